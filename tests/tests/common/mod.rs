//! The test server the end-to-end tests share: an axum server on 127.0.0.1 that records
//! every request (method, path, query, headers, body) and answers what the tests expect.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::body::{to_bytes, Body};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;

#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

pub type Log = Arc<Mutex<Vec<Seen>>>;

pub fn url_decode_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |s: &str| percent_decode(&s.replace('+', " "));
            (dec(k), dec(v))
        })
        .collect()
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn json(status: StatusCode, v: serde_json::Value) -> Response {
    (
        status,
        [("content-type", "application/json")],
        v.to_string(),
    )
        .into_response()
}

/// Answers what each test expects; everything is recorded.
async fn handle(log: Log, base: Arc<Mutex<String>>, req: Request<Body>) -> Response {
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(url_decode_pairs).unwrap_or_default();
    let headers = req.headers().clone();
    let body = to_bytes(req.into_body(), 1 << 20).await.unwrap().to_vec();
    let seen = Seen {
        method: method.clone(),
        path: path.clone(),
        query,
        headers,
        body,
    };
    log.lock().unwrap().push(seen.clone());
    let base = base.lock().unwrap().clone();
    match (method.as_str(), path.as_str()) {
        ("POST", "/token") => json(
            StatusCode::OK,
            serde_json::json!({"access_token": "at-1", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "rt-2"}),
        ),
        ("GET", "/airmeets") => json(
            StatusCode::OK,
            serde_json::json!({"data": [{"uid": "a1", "name": "Launch"}]}),
        ),
        // A polling trigger: nothing new until the state in the Location says so.
        ("GET", "/trigger/Activity") => match seen.query("sequence") {
            Some("0") => (
                StatusCode::ACCEPTED,
                [
                    ("location", "/trigger/Activity?sequence=41"),
                    ("retry-after", "0"),
                ],
            )
                .into_response(),
            Some("41") => {
                let mut r = json(
                    StatusCode::OK,
                    serde_json::json!({"value": [{"id": "act-41", "activityType": "EVENT"}]}),
                );
                r.headers_mut()
                    .insert("location", "/trigger/Activity?sequence=42".parse().unwrap());
                r.headers_mut().insert("retry-after", "0".parse().unwrap());
                r
            }
            _ => (StatusCode::ACCEPTED, [("retry-after", "0")]).into_response(),
        },
        ("GET", "/_metadata/activity/typeList") => {
            json(StatusCode::OK, serde_json::json!(["EVENT", "GIFT"]))
        }
        ("GET", "/airmeet/a1/info") => json(
            StatusCode::OK,
            serde_json::json!({"sessions": [{"sessionid": "s1", "name": "Keynote"}, {"sessionid": "s2"}]}),
        ),
        ("GET", "/orders/A%2F1%20x") => json(
            StatusCode::OK,
            serde_json::json!({"status": "SUCCESS", "order_info": {"order_number": "A/1 x", "order_date": "2026-12-01"}}),
        ),
        ("POST", "/platform-integration/v1/webhook-register") => {
            json(StatusCode::OK, serde_json::json!({"id": "sub-9"}))
        }
        ("DELETE", _) => json(
            StatusCode::OK,
            serde_json::json!({"success": true, "message": "ok"}),
        ),
        ("POST", "/api/Panel/Find") | ("GET", "/api/Panel/Find") => {
            let page: u32 = seen.query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
            let mut v = serde_json::json!({"value": [{"n": page}]});
            if page < 3 {
                v["@odata.nextLink"] = format!("{base}/api/Panel/Find?page={}", page + 1).into();
            }
            json(StatusCode::OK, v)
        }
        _ => json(StatusCode::OK, serde_json::json!({})),
    }
}

pub async fn server() -> (String, Log) {
    let log: Log = Arc::default();
    let base: Arc<Mutex<String>> = Arc::default();
    let (l, b) = (log.clone(), base.clone());
    let app = Router::new().fallback(move |req: Request<Body>| handle(l.clone(), b.clone(), req));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    *base.lock().unwrap() = url.clone();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, log)
}

/// The last request the server saw.
pub fn last(log: &Log) -> Seen {
    log.lock().unwrap().last().cloned().unwrap()
}

/// A hook that records the URL each request is about to go to, then sends it to `to` (the
/// test server) instead: a test can check the host a client chose for an `https` URL.
pub struct Redirect {
    /// The URLs as the client built them.
    pub seen: Arc<Mutex<Vec<String>>>,
    /// Where the requests really go (`http://127.0.0.1:port`).
    pub to: String,
}

impl connectorkit::Hook for Redirect {
    fn on_request(&self, request: &mut connectorkit::RequestParts) {
        self.seen.lock().unwrap().push(request.url.to_string());
        let to = url_of(&self.to);
        let _ = request.url.set_scheme(to.0);
        let _ = request.url.set_host(Some(to.1));
        let _ = request.url.set_port(Some(to.2));
    }
}

fn url_of(s: &str) -> (&str, &str, u16) {
    let (scheme, rest) = s.split_once("://").unwrap();
    let (host, port) = rest.split_once(':').unwrap();
    (scheme, host, port.trim_end_matches('/').parse().unwrap())
}
