//! Loops end, against a real server on 127.0.0.1: next links and `Link` headers going
//! A → B → A, and cursors cycling, stop with `Refusal::Cycle` after fetching each page once;
//! a polling trigger answered 202 with `Retry-After: 0` or a past date waits at least the
//! client's minimum poll interval between polls.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Router;
use connectorkit::pagination::{cursor_pages, link_header_pages, next_link_pages};
use connectorkit::triggers::poll;
use connectorkit::{Client, Error, Method, Refusal};
use futures_util::StreamExt;

const DEADLINE: Duration = Duration::from_secs(20);

#[derive(Default)]
struct Server {
    calls: AtomicUsize,
}

async fn handle(State(s): State<Arc<Server>>, req: Request) -> axum::response::Response {
    s.calls.fetch_add(1, Ordering::SeqCst);
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or_default().to_string();
    let json = |v: serde_json::Value| axum::Json(v).into_response();
    match path.as_str() {
        // A → B → A (absolute and relative forms of the same URL).
        "/a" => json(serde_json::json!({"value": [1], "nextLink": "/b"})),
        "/b" => json(serde_json::json!({"value": [2], "nextLink": "a"})),
        "/la" => (
            [("link", r#"</lb>; rel="next""#)],
            axum::Json(serde_json::json!({"value": [1]})),
        )
            .into_response(),
        "/lb" => (
            [("link", r#"</la>; rel="next""#)],
            axum::Json(serde_json::json!({"value": [2]})),
        )
            .into_response(),
        "/cursor" => {
            // c1 → c2 → c3 → c1.
            let next = match query.as_str() {
                "" => "c1",
                "c=c1" => "c2",
                "c=c2" => "c3",
                _ => "c1",
            };
            json(serde_json::json!({"value": [0], "next": next}))
        }
        "/poll-zero" => (StatusCode::ACCEPTED, [("retry-after", "0")]).into_response(),
        "/poll-past" => (
            StatusCode::ACCEPTED,
            [("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")],
        )
            .into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
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

#[derive(serde::Deserialize, Debug)]
struct Page {
    #[serde(default, rename = "nextLink")]
    next_link: Option<String>,
    #[serde(default)]
    next: Option<String>,
}

fn decode(r: connectorkit::Response) -> Result<Page, Error> {
    match r.status() {
        200 => r.json(),
        _ => Err(r.error()),
    }
}

fn ends_with_cycle(pages: &[Result<Page, Error>], ok: usize) {
    assert_eq!(pages.len(), ok + 1, "{pages:?}");
    assert!(pages[..ok].iter().all(Result::is_ok), "{pages:?}");
    assert!(
        matches!(pages[ok], Err(Error::Refused(Refusal::Cycle))),
        "{pages:?}"
    );
}

#[tokio::test]
async fn next_link_cycle_ends_with_an_error() {
    let (base, server) = start().await;
    let c = Client::builder(&base).build().unwrap();
    let pages: Vec<_> = tokio::time::timeout(
        DEADLINE,
        next_link_pages(c.request(Method::GET, "/a"), decode, |p: &Page| {
            p.next_link.clone()
        })
        .collect(),
    )
    .await
    .expect("a next-link cycle must end");
    ends_with_cycle(&pages, 2);
    assert_eq!(server.calls.load(Ordering::SeqCst), 2);
    let pages: Vec<_> = tokio::time::timeout(
        DEADLINE,
        link_header_pages(c.request(Method::GET, "/la"), decode).collect(),
    )
    .await
    .expect("a Link cycle must end");
    ends_with_cycle(&pages, 2);
    assert_eq!(server.calls.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn cursor_cycle_ends_with_an_error() {
    let (base, server) = start().await;
    let c = Client::builder(&base).build().unwrap();
    let pages: Vec<_> = tokio::time::timeout(
        DEADLINE,
        cursor_pages(
            |cursor: Option<String>| c.request(Method::GET, "/cursor").query("c", &cursor),
            decode,
            |p: &Page| p.next.clone(),
        )
        .collect(),
    )
    .await
    .expect("a cursor cycle must end");
    // First page, c1, c2, c3; then c1 again.
    ends_with_cycle(&pages, 4);
    assert_eq!(server.calls.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn polling_has_a_floor() {
    let (base, server) = start().await;
    for path in ["/poll-zero", "/poll-past"] {
        let c = Client::builder(&base)
            .min_poll_interval(Duration::from_millis(200))
            .build()
            .unwrap();
        server.calls.store(0, Ordering::SeqCst);
        let first = c.request_url(Method::GET, &format!("{base}{path}"));
        let stream = poll(first, decode, Duration::from_millis(1));
        // Runs for a second; it never yields (always 202).
        let r = tokio::time::timeout(Duration::from_secs(1), Box::pin(stream).next()).await;
        assert!(r.is_err());
        let n = server.calls.load(Ordering::SeqCst);
        // About 5 polls (one per 200 ms); without the floor, hundreds.
        assert!((1..=20).contains(&n), "{path}: {n} polls in a second");
    }
    // The default floor (1 s).
    let c = Client::builder(&base).build().unwrap();
    server.calls.store(0, Ordering::SeqCst);
    let first = c.request(Method::GET, "/poll-zero");
    let r = tokio::time::timeout(
        Duration::from_millis(500),
        Box::pin(poll(first, decode, Duration::ZERO)).next(),
    )
    .await;
    assert!(r.is_err());
    assert!(server.calls.load(Ordering::SeqCst) <= 3);
}
