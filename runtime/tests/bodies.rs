//! Bounded response bodies against a real server on 127.0.0.1: a body over the client's
//! limit (with or without `Content-Length`, the default 32 MiB limit included) fails with
//! `Error::TooLarge` and is not read to the end; the token endpoint's answer is bounded too;
//! `Request::download` streams a large body without the limit.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::IntoResponse;
use axum::Router;
use bytes::Bytes;
use connectorkit::{
    Client, ClientCredentialsProvider, Credential, Error, Method, OAuthSettings, TokenProvider,
    DEFAULT_MAX_RESPONSE_BYTES,
};
use futures_util::StreamExt;

const DEADLINE: Duration = Duration::from_secs(60);
const MIB: u64 = 1 << 20;

#[derive(Default)]
struct Server {
    /// Bytes of body the server managed to hand to the connection.
    sent: AtomicU64,
}

/// `/chunked/<MiB>` streams that many MiB without `Content-Length`; `/sized/<MiB>` sends
/// them with it; `/token/<MiB>` is a token response padded to that size.
async fn handle(State(s): State<Arc<Server>>, req: Request) -> axum::response::Response {
    let path = req.uri().path().to_string();
    let mut parts = path.trim_start_matches('/').split('/');
    let kind = parts.next().unwrap_or_default().to_string();
    let mib: u64 = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let chunk = Bytes::from(vec![b'x'; MIB as usize]);
    match kind.as_str() {
        "sized" => {
            let body = Bytes::from(vec![b'x'; (mib * MIB) as usize]);
            body.into_response()
        }
        "token" => {
            let pad = "p".repeat((mib * MIB) as usize);
            axum::Json(serde_json::json!({"access_token": "at", "pad": pad})).into_response()
        }
        _ => {
            let server = s.clone();
            let stream = futures_util::stream::iter(0..mib).map(move |_| {
                server.sent.fetch_add(MIB, Ordering::SeqCst);
                Ok::<_, std::io::Error>(chunk.clone())
            });
            Body::from_stream(stream).into_response()
        }
    }
}

async fn start() -> (String, Arc<Server>) {
    let s = Arc::new(Server::default());
    let app = Router::new().fallback(handle).with_state(s.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), s)
}

async fn get(c: &Client, url: &str) -> Result<connectorkit::Response, Error> {
    tokio::time::timeout(DEADLINE, c.request_url(Method::GET, url).send())
        .await
        .unwrap()
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let (base, server) = start().await;
    let c = Client::builder(&base)
        .max_response_bytes(2 * MIB)
        .build()
        .unwrap();
    let r = get(&c, &format!("{base}/sized/1")).await.unwrap();
    assert_eq!(r.body().len() as u64, MIB);
    let r = get(&c, &format!("{base}/chunked/2")).await.unwrap();
    assert_eq!(r.body().len() as u64, 2 * MIB);
    for path in ["sized/3", "chunked/3"] {
        let e = get(&c, &format!("{base}/{path}")).await.unwrap_err();
        assert!(
            matches!(e, Error::TooLarge { limit } if limit == 2 * MIB),
            "{path}: {e:?}"
        );
    }
    // The stream stops being read: far less than 512 MiB leaves the server.
    server.sent.store(0, Ordering::SeqCst);
    let e = get(&c, &format!("{base}/chunked/512")).await.unwrap_err();
    assert!(matches!(e, Error::TooLarge { .. }));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(server.sent.load(Ordering::SeqCst) < 128 * MIB);
}

#[tokio::test]
async fn the_default_limit_applies() {
    let (base, _server) = start().await;
    let c = Client::builder(&base).build().unwrap();
    let over = DEFAULT_MAX_RESPONSE_BYTES / MIB + 1;
    let e = get(&c, &format!("{base}/chunked/{over}"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::TooLarge { limit } if limit == DEFAULT_MAX_RESPONSE_BYTES));
    assert!(Client::builder(&base)
        .max_response_bytes(0)
        .build()
        .is_err());
}

#[tokio::test]
async fn token_responses_are_bounded() {
    let (base, _server) = start().await;
    let p = ClientCredentialsProvider::new(OAuthSettings::new("id", format!("{base}/token/2")));
    let e = tokio::time::timeout(DEADLINE, p.token())
        .await
        .unwrap()
        .unwrap_err();
    assert!(e.to_string().contains("larger than"), "{e}");
    let p = ClientCredentialsProvider::new(OAuthSettings::new("id", format!("{base}/token/0")));
    let c = Client::builder(&base)
        .credential("oauth", Credential::token_provider(p))
        .build()
        .unwrap();
    let r = tokio::time::timeout(
        DEADLINE,
        c.request(Method::GET, "/sized/0")
            .security(&[&["oauth"]])
            .send::<()>(),
    )
    .await
    .unwrap();
    assert_eq!(r.unwrap().status(), 200);
}

#[tokio::test]
async fn downloads_stream_past_the_limit() {
    let (base, _server) = start().await;
    let c = Client::builder(&base)
        .max_response_bytes(MIB)
        .build()
        .unwrap();
    let d = tokio::time::timeout(
        DEADLINE,
        c.request_url(Method::GET, &format!("{base}/chunked/8"))
            .download::<()>(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(d.status(), 200);
    let mut total = 0u64;
    let mut s = Box::pin(d.into_stream::<()>());
    while let Some(c) = tokio::time::timeout(DEADLINE, s.next()).await.unwrap() {
        total += c.unwrap().len() as u64;
    }
    assert_eq!(total, 8 * MIB);
    let d = c
        .request_url(Method::GET, &format!("{base}/sized/2"))
        .download::<()>()
        .await
        .unwrap();
    let e = d.bytes::<()>(MIB).await.unwrap_err();
    assert!(matches!(e, Error::TooLarge { .. }));
}
