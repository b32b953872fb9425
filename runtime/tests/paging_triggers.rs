//! Pagination (next link, Link header, cursor) and triggers (webhook subscribe, notify,
//! unsubscribe; polling) against a real axum server on 127.0.0.1 that records requests.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response as AxumResponse};
use axum::Router;
use connectorkit::pagination::{cursor_pages, items, link_header_pages, next_link_pages};
use connectorkit::triggers::{
    parse_notification, parse_verified_notification, poll, NotificationError, NotificationVerifier,
    Subscription,
};
use connectorkit::{Client, Credential, Error, Method, Response};
use futures_util::StreamExt;
use serde::Deserialize;

type Log = Arc<Mutex<Vec<(String, String, String)>>>; // method, path?query, x-api-key

fn json(v: serde_json::Value) -> AxumResponse {
    ([("content-type", "application/json")], v.to_string()).into_response()
}

async fn handle(State(log): State<Log>, req: Request) -> AxumResponse {
    let method = req.method().to_string();
    let pq = req
        .uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let key = req
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    log.lock().unwrap().push((method.clone(), pq.clone(), key));
    let page = |n: u32| -> serde_json::Value { serde_json::json!([n * 10, n * 10 + 1]) };
    match (method.as_str(), req.uri().path()) {
        // x-ms-pageable: absolute link on page 1, relative on page 2, none on page 3.
        ("GET", "/items") => {
            let host = req
                .headers()
                .get("host")
                .and_then(|h| h.to_str().ok())
                .unwrap_or("");
            let n: u32 = req
                .uri()
                .query()
                .and_then(|q| q.strip_prefix("page="))
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            let next = match n {
                1 => serde_json::json!(format!("http://{host}/items?page=2")),
                2 => serde_json::json!("items?page=3"),
                _ => serde_json::Value::Null,
            };
            json(serde_json::json!({"value": page(n), "@odata.nextLink": next}))
        }
        ("GET", "/linked") => {
            let n: u32 = req
                .uri()
                .query()
                .and_then(|q| q.strip_prefix("p="))
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            let mut r = json(serde_json::json!({"value": page(n)}));
            if n < 4 {
                let link = format!(
                    r#"</linked?p=1>; rel="first", </linked?p={}>; rel="next""#,
                    n + 1
                );
                r.headers_mut().insert("link", link.parse().unwrap());
            }
            r
        }
        ("GET", "/cursor") => {
            let cursor = req
                .uri()
                .query()
                .and_then(|q| q.strip_prefix("cursor="))
                .unwrap_or("");
            let (n, next) = match cursor {
                "" => (1, serde_json::json!("c2")),
                "c2" => (2, serde_json::json!("c3")),
                _ => (3, serde_json::json!("")),
            };
            json(serde_json::json!({"value": page(n), "next": next}))
        }
        ("POST", "/hooks") => {
            let mut r = (StatusCode::CREATED, json(serde_json::json!({"id": 42}))).into_response();
            r.headers_mut()
                .insert("location", "/hooks/42".parse().unwrap());
            r
        }
        ("DELETE", "/hooks/42") => StatusCode::NO_CONTENT.into_response(),
        // Polling: 202 twice (state in Location), then 200 with data and the next Location.
        ("GET", "/poll") => {
            let state = req.uri().query().unwrap_or("").to_string();
            let (status, next, body) = match state.as_str() {
                "" => (StatusCode::ACCEPTED, "/poll?since=0&n=1", None),
                "since=0&n=1" => (StatusCode::ACCEPTED, "/poll?since=0&n=2", None),
                "since=0&n=2" => (
                    StatusCode::OK,
                    "/poll?since=5&n=3",
                    Some(serde_json::json!({"value": [1, 2]})),
                ),
                "since=5&n=3" => (StatusCode::ACCEPTED, "/poll?since=5&n=4", None),
                _ => (
                    StatusCode::OK,
                    "/poll?since=9&n=5",
                    Some(serde_json::json!({"value": [3]})),
                ),
            };
            let mut r = match body {
                Some(b) => json(b),
                None => StatusCode::ACCEPTED.into_response(),
            };
            *r.status_mut() = status;
            r.headers_mut().insert("location", next.parse().unwrap());
            r.headers_mut().insert("retry-after", "0".parse().unwrap());
            r
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn start() -> (Client, Log) {
    let log: Log = Arc::default();
    let app = Router::new().fallback(handle).with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let c = Client::builder(format!("http://{addr}/"))
        .credential("key", Credential::api_key_header("x-api-key", "k-123"))
        .build()
        .unwrap();
    (c, log)
}

const SEC: &[&[&str]] = &[&["key"]];

#[derive(Deserialize, Debug)]
struct Page {
    value: Vec<u32>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
    next: Option<String>,
}

fn decode(r: Response) -> Result<Page, Error> {
    match r.status() {
        200 => r.json(),
        _ => Err(r.error()),
    }
}

#[tokio::test]
async fn next_link_pages_follow_absolute_and_relative_links() {
    let (c, log) = start().await;
    let first = c
        .request(Method::GET, "/items")
        .security(SEC)
        .header("x-trace", "t1");
    let pages = next_link_pages(first, decode, |p: &Page| p.next_link.clone());
    let all: Vec<u32> = items(pages, |p: Page| p.value)
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(all, vec![10, 11, 20, 21, 30, 31]);
    let log = log.lock().unwrap().clone();
    let paths: Vec<&str> = log.iter().map(|l| l.1.as_str()).collect();
    assert_eq!(paths, ["/items", "/items?page=2", "/items?page=3"]);
    assert!(
        log.iter().all(|l| l.0 == "GET" && l.2 == "k-123"),
        "{log:?}"
    );
}

#[tokio::test]
async fn link_header_pages_follow_rel_next() {
    let (c, log) = start().await;
    let first = c.request(Method::GET, "/linked").security(SEC);
    let pages: Vec<Page> = link_header_pages(first, decode)
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(pages.len(), 4);
    assert_eq!(pages[3].value, vec![40, 41]);
    let log = log.lock().unwrap().clone();
    assert_eq!(log.len(), 4);
    assert!(log.iter().all(|l| l.2 == "k-123"));
}

#[tokio::test]
async fn cursor_pages_pass_the_cursor_until_empty() {
    let (c, log) = start().await;
    let pages = cursor_pages(
        |cursor: Option<String>| {
            c.request(Method::GET, "/cursor")
                .security(SEC)
                .query("cursor", &cursor)
        },
        decode,
        |p: &Page| p.next.clone(),
    );
    let all: Vec<u32> = items(pages, |p: Page| p.value)
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(all, vec![10, 11, 20, 21, 30, 31]);
    let paths: Vec<String> = log.lock().unwrap().iter().map(|l| l.1.clone()).collect();
    assert_eq!(paths, ["/cursor", "/cursor?cursor=c2", "/cursor?cursor=c3"]);
}

#[tokio::test]
async fn page_errors_end_the_stream() {
    let (c, _log) = start().await;
    let first = c.request(Method::GET, "/nowhere").security(SEC);
    let got: Vec<Result<Page, Error>> =
        next_link_pages(first, decode, |p: &Page| p.next_link.clone())
            .collect()
            .await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].as_ref().unwrap_err().status(), Some(404));
}

#[tokio::test]
async fn webhook_subscribe_notify_unsubscribe() {
    let (c, log) = start().await;
    let resp = c
        .request(Method::POST, "/hooks")
        .security(SEC)
        .json(&serde_json::json!({"callbackUrl": "https://me.example/cb"}))
        .send::<()>()
        .await
        .unwrap();
    let sub = Subscription::from_response::<()>(resp).unwrap();
    assert_eq!(sub.location(), Some("/hooks/42"));
    assert_eq!(sub.id(), Some("42"));
    sub.unsubscribe::<()>(&c, SEC).await.unwrap();
    let log = log.lock().unwrap().clone();
    assert_eq!(
        log[1],
        ("DELETE".into(), "/hooks/42".into(), "k-123".into())
    );

    #[derive(Deserialize, Debug, PartialEq)]
    struct Event {
        kind: String,
        n: u32,
    }
    let headers = axum::http::HeaderMap::new();
    let e: Event = parse_notification(&headers, br#"{"kind":"created","n":3}"#).unwrap();
    assert_eq!(
        e,
        Event {
            kind: "created".into(),
            n: 3
        }
    );
    let err = parse_notification::<Event>(&headers, br#"{"kind":1}"#).unwrap_err();
    assert!(
        matches!(err, NotificationError::Decode(ref m) if m.contains("kind")),
        "{err}"
    );

    struct SharedSecret;
    impl NotificationVerifier for SharedSecret {
        fn verify(&self, h: &axum::http::HeaderMap, _b: &[u8]) -> Result<(), String> {
            match h.get("x-hook-secret") {
                Some(v) if v == "hs-1" => Ok(()),
                _ => Err("bad or missing x-hook-secret".into()),
            }
        }
    }
    let body = br#"{"kind":"x","n":1}"#;
    let err = parse_verified_notification::<Event>(&SharedSecret, &headers, body).unwrap_err();
    assert!(matches!(err, NotificationError::Rejected(_)));
    let mut ok = axum::http::HeaderMap::new();
    ok.insert("x-hook-secret", "hs-1".parse().unwrap());
    assert_eq!(
        parse_verified_notification::<Event>(&SharedSecret, &ok, body)
            .unwrap()
            .n,
        1
    );
}

#[derive(Deserialize, Debug)]
struct Batch {
    value: Vec<u32>,
}

fn decode_batch(r: Response) -> Result<Batch, Error> {
    match r.status() {
        200 => r.json(),
        _ => Err(r.error()),
    }
}

#[tokio::test]
async fn polling_trigger_follows_location_and_skips_202() {
    let (c, log) = start().await;
    let first = c.request(Method::GET, "/poll").security(SEC);
    let started = Instant::now();
    let got: Vec<Batch> = poll(first, decode_batch, Duration::from_secs(60))
        .take(2)
        .map(|r| r.unwrap())
        .collect()
        .await;
    // Retry-After: 0 overrides the 60 s default interval.
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(got[0].value, vec![1, 2]);
    assert_eq!(got[1].value, vec![3]);
    let log = log.lock().unwrap().clone();
    let paths: Vec<&str> = log.iter().map(|l| l.1.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/poll",
            "/poll?since=0&n=1",
            "/poll?since=0&n=2",
            "/poll?since=5&n=3",
            "/poll?since=5&n=4"
        ]
    );
    assert!(log.iter().all(|l| l.2 == "k-123"));
}
