//! The origin policy against real servers: the API on 127.0.0.1 and "another host" on
//! 127.0.0.2. Every test asserts what each server received: credentials (bearer token,
//! API-key header, API-key query parameter, client secret, refresh token) reach only the
//! API's origin, whatever a server names (next links, `Link` headers, polling and
//! subscription `Location`s, redirects of API calls and of token requests).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Router;
use connectorkit::pagination::{link_header_pages, next_link_pages};
use connectorkit::triggers::{poll, Subscription};
use connectorkit::{
    Client, ClientCredentialsProvider, Credential, CrossOrigin, Error, Method, OAuthSettings,
    RefreshTokenProvider, Refusal,
};
use futures_util::StreamExt;

const SECRET: &str = "Zq9";
const DEADLINE: Duration = Duration::from_secs(20);

#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    /// Whether any secret (all contain `Zq9`) reached this server in this request.
    fn has_secret(&self) -> bool {
        self.query.contains(SECRET)
            || self.body.contains(SECRET)
            || self
                .headers
                .iter()
                .any(|(k, v)| v.contains(SECRET) || k == "referer")
    }
}

type Log = Arc<Mutex<Vec<Seen>>>;
type Reply = Arc<dyn Fn(&Seen) -> axum::response::Response + Send + Sync>;

/// A server on `ip` that records every request and answers with `reply`.
async fn host(ip: &str, reply: Reply) -> (String, Log) {
    let log: Log = Arc::default();
    let l = log.clone();
    let app = Router::new().fallback(move |req: Request| {
        let log = l.clone();
        let reply = reply.clone();
        async move {
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, 1 << 20)
                .await
                .unwrap_or_default();
            let seen = Seen {
                method: parts.method.to_string(),
                path: parts.uri.path().to_string(),
                query: parts.uri.query().unwrap_or_default().to_string(),
                headers: parts
                    .headers
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().to_string(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect(),
                body: String::from_utf8_lossy(&body).into_owned(),
            };
            log.lock().unwrap().push(seen.clone());
            reply(&seen)
        }
    });
    let listener = tokio::net::TcpListener::bind(format!("{ip}:0"))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), log)
}

/// The other host: answers everything with an empty last page.
async fn other() -> (String, Log) {
    host(
        "127.0.0.2",
        Arc::new(|_| {
            axum::Json(serde_json::json!({"value": [], "access_token": "stolen"})).into_response()
        }),
    )
    .await
}

fn json(v: serde_json::Value) -> axum::response::Response {
    axum::Json(v).into_response()
}

fn with_header(
    mut r: axum::response::Response,
    k: &'static str,
    v: &str,
) -> axum::response::Response {
    r.headers_mut().insert(k, v.parse().unwrap());
    r
}

fn client(base: &str, policy: CrossOrigin) -> Client {
    Client::builder(base)
        .credential("bearer", Credential::bearer("bt-Zq9-token"))
        .credential(
            "hdr",
            Credential::api_key_header("x-api-key", "ak-Zq9-header"),
        )
        .credential("qry", Credential::api_key_query("code", "ak-Zq9-query"))
        .cross_origin(policy)
        .build()
        .unwrap()
}

const SECURITY: &[&[&str]] = &[&["bearer", "hdr", "qry"]];

#[derive(serde::Deserialize, Debug)]
struct Page {
    #[allow(dead_code)]
    value: Vec<u32>,
    #[serde(rename = "nextLink")]
    next_link: Option<String>,
}

fn decode(r: connectorkit::Response) -> Result<Page, Error> {
    match r.status() {
        200 => r.json(),
        _ => Err(r.error()),
    }
}

fn refused_cross_origin<T: std::fmt::Debug>(r: &Result<T, Error>) -> bool {
    matches!(r, Err(Error::Refused(Refusal::CrossOrigin { .. })))
}

/// The API's requests all carried the credentials; the other host saw none.
fn assert_clean(api: &Log, other: &Log, other_requests: usize) {
    let api = api.lock().unwrap();
    assert!(!api.is_empty());
    assert!(
        api.iter().all(|s| s.query.contains("ak-Zq9-query")),
        "{api:?}"
    );
    let other = other.lock().unwrap();
    assert_eq!(other.len(), other_requests, "{other:?}");
    assert!(other.iter().all(|s| !s.has_secret()), "{other:?}");
}

async fn pages_api(other_base: &str, link_header: bool) -> (String, Log) {
    let steal = format!("{other_base}/steal");
    host(
        "127.0.0.1",
        Arc::new(move |s: &Seen| {
            if s.path != "/pages" {
                return StatusCode::NOT_FOUND.into_response();
            }
            if link_header {
                with_header(
                    json(serde_json::json!({"value": [1]})),
                    "link",
                    &format!("<{steal}>; rel=\"next\""),
                )
            } else {
                json(serde_json::json!({"value": [1], "nextLink": steal}))
            }
        }),
    )
    .await
}

async fn next_link_case(
    policy: CrossOrigin,
    link_header: bool,
) -> (Vec<Result<Page, Error>>, Log, Log) {
    let (b, b_log) = other().await;
    let (a, a_log) = pages_api(&b, link_header).await;
    let c = client(&a, policy);
    let first = c.request(Method::GET, "/pages").security(SECURITY);
    let pages: Vec<_> = if link_header {
        tokio::time::timeout(DEADLINE, link_header_pages(first, decode).collect())
            .await
            .unwrap()
    } else {
        tokio::time::timeout(
            DEADLINE,
            next_link_pages(first, decode, |p: &Page| p.next_link.clone()).collect(),
        )
        .await
        .unwrap()
    };
    (pages, a_log, b_log)
}

#[tokio::test]
async fn next_link_to_another_host_is_refused_by_default() {
    let (pages, a, b) = next_link_case(CrossOrigin::default(), false).await;
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(
        pages[0].is_ok() && refused_cross_origin(&pages[1]),
        "{pages:?}"
    );
    assert_clean(&a, &b, 0);
}

#[tokio::test]
async fn next_link_to_another_host_followed_without_credentials() {
    let (pages, a, b) = next_link_case(CrossOrigin::FollowWithoutCredentials, false).await;
    assert!(pages.iter().all(Result::is_ok), "{pages:?}");
    assert_eq!(pages.len(), 2);
    assert_clean(&a, &b, 1);
}

#[tokio::test]
async fn link_header_to_another_host() {
    let (pages, a, b) = next_link_case(CrossOrigin::default(), true).await;
    assert!(refused_cross_origin(&pages[1]), "{pages:?}");
    assert_clean(&a, &b, 0);
    let (pages, a, b) = next_link_case(CrossOrigin::FollowWithoutCredentials, true).await;
    assert!(pages.iter().all(Result::is_ok), "{pages:?}");
    assert_clean(&a, &b, 1);
}

#[tokio::test]
async fn trusted_origin_gets_credentials() {
    let (b, b_log) = other().await;
    let (a, _a_log) = pages_api(&b, false).await;
    let c = Client::builder(&a)
        .credential("bearer", Credential::bearer("bt-Zq9-token"))
        .trusted_origin(format!("{b}/any/path"))
        .build()
        .unwrap();
    let first = c.request(Method::GET, "/pages").security(&[&["bearer"]]);
    let pages: Vec<_> = tokio::time::timeout(
        DEADLINE,
        next_link_pages(first, decode, |p: &Page| p.next_link.clone()).collect(),
    )
    .await
    .unwrap();
    assert!(pages.iter().all(Result::is_ok), "{pages:?}");
    let seen = b_log.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert!(seen[0]
        .headers
        .iter()
        .any(|(k, v)| k == "authorization" && v == "Bearer bt-Zq9-token"));
}

#[tokio::test]
async fn polling_location_to_another_host() {
    for policy in [CrossOrigin::Refuse, CrossOrigin::FollowWithoutCredentials] {
        let (b, b_log) = other().await;
        let loc = format!("{b}/poll");
        let (a, a_log) = host(
            "127.0.0.1",
            Arc::new(move |_| {
                let r = with_header(StatusCode::ACCEPTED.into_response(), "location", &loc);
                with_header(r, "retry-after", "0")
            }),
        )
        .await;
        let c = client(&a, policy);
        let first = c.request(Method::GET, "/poll").security(SECURITY);
        let got = tokio::time::timeout(
            DEADLINE,
            Box::pin(poll(first, decode, Duration::from_millis(10))).next(),
        )
        .await
        .unwrap();
        match policy {
            CrossOrigin::Refuse => {
                assert!(refused_cross_origin(&got.unwrap()));
                assert_clean(&a_log, &b_log, 0);
            }
            _ => {
                assert!(got.unwrap().is_ok());
                assert_clean(&a_log, &b_log, 1);
            }
        }
    }
}

#[tokio::test]
async fn unsubscribe_location_on_another_host() {
    let (b, b_log) = other().await;
    let (a, a_log) = host(
        "127.0.0.1",
        Arc::new(|_| StatusCode::NO_CONTENT.into_response()),
    )
    .await;
    let c = client(&a, CrossOrigin::default());
    let sub = Subscription::new(Some(format!("{b}/hooks/1")), None, serde_json::Value::Null);
    let r = tokio::time::timeout(DEADLINE, sub.unsubscribe::<serde_json::Value>(&c, SECURITY))
        .await
        .unwrap();
    assert!(
        matches!(r, Err(Error::Refused(Refusal::CrossOrigin { .. }))),
        "{r:?}"
    );
    // On the API's own origin, the credentials go.
    let sub = Subscription::new(Some(format!("{a}/hooks/1")), None, serde_json::Value::Null);
    let r = tokio::time::timeout(DEADLINE, sub.unsubscribe::<serde_json::Value>(&c, SECURITY))
        .await
        .unwrap();
    assert!(r.is_ok(), "{r:?}");
    assert_clean(&a_log, &b_log, 0);
}

#[tokio::test]
async fn downgrade_to_http_is_refused() {
    let (a, a_log) = host("127.0.0.1", Arc::new(|_| StatusCode::OK.into_response())).await;
    // An https API (nothing listens there) naming an http URL.
    let c = client("https://127.0.0.1:9", CrossOrigin::FollowWithoutCredentials);
    let r = tokio::time::timeout(
        DEADLINE,
        c.request_url(Method::GET, &format!("{a}/x"))
            .security(SECURITY)
            .send::<serde_json::Value>(),
    )
    .await
    .unwrap();
    assert!(
        matches!(r, Err(Error::Refused(Refusal::Downgrade { .. }))),
        "{r:?}"
    );
    assert!(a_log.lock().unwrap().is_empty());
}

/// An API whose `/redir` answers `status` to `target`, `/loop` redirects to itself and
/// `/ok` answers 200.
async fn redirecting_api(status: u16, target: String) -> (String, Log) {
    host(
        "127.0.0.1",
        Arc::new(move |s: &Seen| match s.path.as_str() {
            "/redir" => with_header(
                StatusCode::from_u16(status).unwrap().into_response(),
                "location",
                &target,
            ),
            "/loop" => with_header(StatusCode::FOUND.into_response(), "location", "/loop"),
            _ => json(serde_json::json!({"value": [], "method": s.method})),
        }),
    )
    .await
}

#[tokio::test]
async fn redirects_to_another_host() {
    for status in [301, 302, 303, 307, 308] {
        for policy in [CrossOrigin::Refuse, CrossOrigin::FollowWithoutCredentials] {
            let (b, b_log) = other().await;
            let (a, a_log) = redirecting_api(status, format!("{b}/steal")).await;
            let c = client(&a, policy);
            let r = tokio::time::timeout(
                DEADLINE,
                c.request(Method::PUT, "/redir")
                    .security(SECURITY)
                    .json(&serde_json::json!({"data": "payload"}))
                    .send::<serde_json::Value>(),
            )
            .await
            .unwrap();
            match policy {
                CrossOrigin::Refuse => {
                    assert!(refused_cross_origin(&r), "{status}: {r:?}");
                    assert_clean(&a_log, &b_log, 0);
                }
                _ => {
                    assert_eq!(r.unwrap().status(), 200, "{status}");
                    assert_clean(&a_log, &b_log, 1);
                    let seen = &b_log.lock().unwrap()[0];
                    let method = if status == 303 { "GET" } else { "PUT" };
                    assert_eq!(seen.method, method, "{status}");
                }
            }
        }
    }
}

#[tokio::test]
async fn same_origin_redirects_keep_credentials_and_loops_end() {
    let (_b, b_log) = other().await;
    let (a, a_log) = redirecting_api(307, "/ok".into()).await;
    let c = client(&a, CrossOrigin::default());
    let r = tokio::time::timeout(
        DEADLINE,
        c.request(Method::POST, "/redir")
            .security(SECURITY)
            .body_text("text/plain", "payload")
            .send::<serde_json::Value>(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(r.status(), 200);
    {
        let seen = a_log.lock().unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(
            (seen[1].path.as_str(), seen[1].method.as_str()),
            ("/ok", "POST")
        );
        assert_eq!(seen[1].body, "payload");
        assert!(seen[1]
            .headers
            .iter()
            .any(|(k, v)| k == "x-api-key" && v == "ak-Zq9-header"));
        // The key is in the query once, not twice.
        assert_eq!(seen[1].query.matches("ak-Zq9-query").count(), 1);
    }
    let r = tokio::time::timeout(
        DEADLINE,
        c.request(Method::GET, "/loop")
            .security(SECURITY)
            .send::<serde_json::Value>(),
    )
    .await
    .unwrap();
    assert!(
        matches!(
            r,
            Err(Error::Refused(Refusal::TooManyRedirects { limit: 10 }))
        ),
        "{r:?}"
    );
    assert_eq!(a_log.lock().unwrap().len(), 2 + 11);
    assert!(b_log.lock().unwrap().is_empty());
}

#[tokio::test]
async fn token_endpoint_redirect_to_another_host_is_refused() {
    for status in [307, 308, 302] {
        let (b, b_log) = other().await;
        let (a, a_log) = redirecting_api(status, format!("{b}/token")).await;
        let settings =
            OAuthSettings::new("client-id", format!("{a}/redir")).client_secret("cs-Zq9-secret");
        let cc = ClientCredentialsProvider::new(settings.clone());
        let rt = RefreshTokenProvider::new(settings, "rt-Zq9-refresh");
        for p in [
            Credential::token_provider(cc),
            Credential::token_provider(rt),
        ] {
            let c = Client::builder(&a).credential("oauth", p).build().unwrap();
            let r = tokio::time::timeout(
                DEADLINE,
                c.request(Method::GET, "/ok")
                    .security(&[&["oauth"]])
                    .send::<serde_json::Value>(),
            )
            .await
            .unwrap();
            assert!(matches!(r, Err(Error::Auth(_))), "{status}: {r:?}");
        }
        assert_eq!(a_log.lock().unwrap().len(), 2);
        assert!(b_log.lock().unwrap().is_empty(), "{status}");
    }
}

#[tokio::test]
async fn default_headers_with_a_custom_client_and_only_on_trusted_origins() {
    let (b, b_log) = other().await;
    let (a, a_log) = pages_api(&b, false).await;
    let custom = connectorkit::reqwest_client_builder().build().unwrap();
    let c = Client::builder(&a)
        .reqwest_client(custom)
        .default_header("x-tenant", "t-Zq9-tenant")
        .cross_origin(CrossOrigin::FollowWithoutCredentials)
        .build()
        .unwrap();
    let pages: Vec<_> = tokio::time::timeout(
        DEADLINE,
        next_link_pages(c.request(Method::GET, "/pages"), decode, |p: &Page| {
            p.next_link.clone()
        })
        .collect(),
    )
    .await
    .unwrap();
    assert!(pages.iter().all(Result::is_ok), "{pages:?}");
    {
        let seen = a_log.lock().unwrap();
        assert!(seen[0]
            .headers
            .iter()
            .any(|(k, v)| k == "x-tenant" && v == "t-Zq9-tenant"));
        let other = b_log.lock().unwrap();
        assert_eq!(other.len(), 1);
        assert!(!other[0].has_secret(), "{other:?}");
    }
    // A header the request sets itself wins over the default.
    let r = tokio::time::timeout(
        DEADLINE,
        c.request(Method::GET, "/pages")
            .header("x-tenant", "mine")
            .send::<serde_json::Value>(),
    )
    .await
    .unwrap();
    assert!(r.is_ok());
    let seen = a_log.lock().unwrap();
    let last = seen.last().unwrap();
    let tenants: Vec<_> = last
        .headers
        .iter()
        .filter(|(k, _)| k == "x-tenant")
        .collect();
    assert_eq!(tenants.len(), 1);
    assert_eq!(tenants[0].1, "mine");
    assert!(Client::builder(&a)
        .default_header("bad name", "v")
        .build()
        .is_err());
}
