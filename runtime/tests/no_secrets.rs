//! No secret (access or refresh token, API key, password, client secret, PKCE verifier,
//! authorization code, webhook signature) appears in any Debug output, error message or
//! tracing event produced across OAuth, retry, timeout, paging, webhook, polling and hook
//! scenarios against axum servers on 127.0.0.1. Every secret contains the marker `Zq7`, which nothing else contains, so the
//! check is one search over everything captured. The same capture shows that request spans
//! carry method, path template, status and attempt.
//!
//! Redirects (same origin and to another host), next links and `Location`s naming another
//! host (127.0.0.2, which must receive no secret, under both cross-origin policies) and base
//! URLs with userinfo and a query are part of the scenarios.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Router;
use base64::Engine;
use connectorkit::http;
use connectorkit::pagination::{items, next_link_pages};
use connectorkit::triggers::{
    parse_verified_notification, poll, NotificationVerifier, Subscription,
};
use connectorkit::{
    AuthorizationCodeFlow, Client, ClientCredentialsProvider, Credential, CrossOrigin, Error, Hook,
    MemoryTokenStore, Method, OAuthSettings, RefreshTokenProvider, RequestParts, ResponseParts,
    RetryPolicy, TokenProvider,
};
use futures_util::StreamExt;

const MARK: &str = "Zq7";
const CLIENT_SECRET: &str = "cs-Zq7-client-secret";
const REFRESH: &str = "rt-Zq7-refresh-initial";
const API_KEY_QUERY: &str = "ak-Zq7-query-key";
const API_KEY_HEADER: &str = "ak-Zq7-header-key";
const PASSWORD: &str = "pw-Zq7-password";
const BEARER: &str = "bt-Zq7-bearer";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[derive(Default)]
struct Server {
    calls: AtomicUsize,
    tokens: AtomicUsize,
    /// The first access token the API saw (it answers 401 to it once).
    rejected: Mutex<Option<String>>,
    /// The base URL of the other host (127.0.0.2).
    away: Mutex<String>,
}

async fn handle(State(s): State<Arc<Server>>, req: Request) -> axum::response::Response {
    let n = s.calls.fetch_add(1, Ordering::SeqCst) + 1;
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or_default().to_string();
    let auth = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .unwrap();
    let body = String::from_utf8_lossy(&body).into_owned();
    let json = |v: serde_json::Value| axum::Json(v).into_response();
    match path.as_str() {
        "/token" => {
            if !body.contains("client_secret=cs-Zq7-client-secret") {
                return (
                    StatusCode::UNAUTHORIZED,
                    json(serde_json::json!({"error": "invalid_client", "error_description": "bad client"})),
                )
                    .into_response();
            }
            let t = s.tokens.fetch_add(1, Ordering::SeqCst) + 1;
            json(serde_json::json!({
                "access_token": format!("at-Zq7-access-{t}"),
                "refresh_token": format!("rt-Zq7-refresh-{t}"),
                "expires_in": 3600,
            }))
        }
        "/api" => {
            let mut rejected = s.rejected.lock().unwrap();
            if rejected.is_none() {
                *rejected = Some(auth);
                return (StatusCode::UNAUTHORIZED, "expired").into_response();
            }
            json(serde_json::json!({"ok": true}))
        }
        "/flaky" if n % 2 == 1 => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "0")],
            "busy",
        )
            .into_response(),
        "/flaky" => json(serde_json::json!({"ok": true})),
        "/unavailable" => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        "/denied" => (
            StatusCode::FORBIDDEN,
            json(serde_json::json!({"message": "no"})),
        )
            .into_response(),
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            "late".into_response()
        }
        "/hooks" => {
            let mut r = (
                StatusCode::CREATED,
                json(serde_json::json!({"id": "sub-1"})),
            )
                .into_response();
            r.headers_mut()
                .insert("location", "/hooks/sub-1".parse().unwrap());
            r
        }
        "/hooks/sub-1" => StatusCode::NO_CONTENT.into_response(),
        "/redir-same" => (StatusCode::FOUND, [("location", "/pages?p=3")]).into_response(),
        "/redir-away" => {
            let to = format!("{}/steal", s.away.lock().unwrap());
            (StatusCode::TEMPORARY_REDIRECT, [("location", to)]).into_response()
        }
        "/pages-away" => {
            let to = format!("{}/steal", s.away.lock().unwrap());
            json(serde_json::json!({"value": [9], "nextLink": to}))
        }
        "/poll-away" => {
            let to = format!("{}/steal", s.away.lock().unwrap());
            (StatusCode::ACCEPTED, [("location", to)]).into_response()
        }
        "/poll" if query.contains("n=1") => json(serde_json::json!({"value": [7]})),
        "/poll" => {
            let mut r = StatusCode::ACCEPTED.into_response();
            r.headers_mut()
                .insert("location", "/poll?n=1".parse().unwrap());
            r.headers_mut().insert("retry-after", "0".parse().unwrap());
            r
        }
        "/pages" => {
            let p: u32 = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("p="))
                .and_then(|v| v.parse().ok())
                .unwrap_or(1);
            let next = (p < 3).then(|| format!("/pages?p={}", p + 1));
            json(serde_json::json!({"value": [p], "nextLink": next}))
        }
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

/// The other host (127.0.0.2): records each request (method, URI, headers, body) as text.
async fn start_away() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = seen.clone();
    let app = Router::new().fallback(move |req: Request| {
        let log = log.clone();
        async move {
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, 1 << 20)
                .await
                .unwrap_or_default();
            log.lock().unwrap().push(format!(
                "{} {} {:?} {}",
                parts.method,
                parts.uri,
                parts.headers,
                String::from_utf8_lossy(&body)
            ));
            axum::Json(serde_json::json!({"value": []}))
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.2:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

/// A hook that renders what it sees with Debug, as a logging hook would.
struct Logging(Arc<Mutex<Vec<String>>>);

impl Hook for Logging {
    fn on_request(&self, r: &mut RequestParts) {
        self.0.lock().unwrap().push(format!("{r:?}"));
    }
    fn on_response(&self, r: &mut ResponseParts) {
        self.0.lock().unwrap().push(format!("{r:?}"));
    }
}

#[derive(serde::Deserialize, Debug)]
struct Page {
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

fn shown<T: std::fmt::Debug>(out: &mut Vec<String>, v: &T) {
    out.push(format!("{v:?}"));
}

fn shown_err<E: std::fmt::Debug>(out: &mut Vec<String>, e: &Error<E>) {
    out.push(format!("{e} / {e:?}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_debug_errors_or_tracing() {
    let capture = Capture::default();
    let sink = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || sink.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let (base, _server) = start().await;
    let mut out: Vec<String> = Vec::new();
    let hook_log = Arc::new(Mutex::new(Vec::new()));
    let settings = OAuthSettings::new("client-1", format!("{base}/token"))
        .client_secret(CLIENT_SECRET)
        .authorization_url(format!("{base}/authorize"))
        .redirect_url("http://127.0.0.1:9/cb")
        .scopes(["read"]);
    shown(&mut out, &settings);

    // Client credentials; the API's 401 makes one refresh and one retry.
    let cc = Arc::new(ClientCredentialsProvider::new(settings.clone()));
    let builder = Client::builder(&base)
        .credential("oauth", Credential::shared_token_provider(cc.clone()))
        .credential("basic", Credential::basic("user", PASSWORD))
        .credential(
            "hkey",
            Credential::api_key_header("x-api-key", API_KEY_HEADER),
        )
        .credential("qkey", Credential::api_key_query("code", API_KEY_QUERY))
        .credential("bearer", Credential::bearer(BEARER))
        .retry(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(5))
                .max_attempts(3),
        )
        .timeout(Duration::from_millis(300))
        .hook(Logging(hook_log.clone()));
    shown(&mut out, &builder);
    let c = builder.build().unwrap();
    shown(&mut out, &c);
    shown(&mut out, &cc);
    let r = c
        .request(Method::GET, "/api")
        .security(&[&["oauth", "hkey", "qkey"]])
        .send::<()>()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    shown(&mut out, &r);

    // Retries on 429 and 503 with basic auth, a header and a query key.
    for path in ["/flaky", "/unavailable", "/denied"] {
        let r = c
            .request(Method::GET, path)
            .security(&[&["basic", "hkey", "qkey"]])
            .send::<serde_json::Value>()
            .await
            .unwrap();
        shown(&mut out, &r);
        if r.status() != 200 {
            shown_err(&mut out, &r.error::<serde_json::Value>());
        }
    }
    // A timeout, a refused connection (the query key is in its URL), a bad header.
    for (client, path) in [
        (c.clone(), "/slow"),
        (c.with_base_url("http://127.0.0.1:1").unwrap(), "/x"),
    ] {
        let e = client
            .request(Method::GET, path)
            .security(&[&["bearer", "qkey"]])
            .send::<()>()
            .await
            .unwrap_err();
        shown_err(&mut out, &e);
    }
    let e = c
        .request(Method::GET, "/x")
        .header("x-bad", "Zq7-header\r\nvalue")
        .send::<()>()
        .await
        .unwrap_err();
    assert!(format!("{e}").contains("CR, LF"));
    // (The rejected value itself is the caller's; it is not quoted.)
    shown_err(&mut out, &e);

    // A token endpoint that refuses the client: the error names no secret.
    let bad = ClientCredentialsProvider::new(
        OAuthSettings::new("client-1", format!("{base}/token")).client_secret("cs-Zq7-wrong"),
    );
    let e = Client::builder(&base)
        .credential("oauth", Credential::token_provider(bad))
        .build()
        .unwrap()
        .request(Method::GET, "/api")
        .security(&[&["oauth"]])
        .send::<()>()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Auth(_)));
    shown_err(&mut out, &e);

    // Refresh token (rotated), stored.
    let store = Arc::new(MemoryTokenStore::new());
    let rt = RefreshTokenProvider::new(settings.clone(), REFRESH).with_store(store.clone());
    rt.token().await.unwrap();
    shown(&mut out, &rt);
    shown(&mut out, &store);
    shown(&mut out, &store.get());

    // Authorization code with PKCE.
    let flow = AuthorizationCodeFlow::new(settings.clone()).with_store(store.clone());
    let pending = flow.authorize().unwrap();
    shown(&mut out, &flow);
    shown(&mut out, &pending);
    let e = flow
        .exchange(&pending, "code-Zq7", "wrong-state")
        .await
        .unwrap_err();
    out.push(format!("{e} / {e:?}"));
    let p = flow
        .exchange(&pending, "code-Zq7", pending.state())
        .await
        .unwrap();
    shown(&mut out, &p);

    // Three pages, with the query key on every request.
    let pages = next_link_pages(
        c.request(Method::GET, "/pages").security(&[&["qkey"]]),
        decode,
        |p: &Page| p.next_link.clone(),
    );
    let all: Vec<u32> = items(pages, |p: Page| p.value)
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(all, [1, 2, 3]);

    // A webhook: subscribe (id and Location), a notification refused by the verifier and one
    // that does not decode, unsubscribe; then a polling trigger (202, then data).
    let sub = Subscription::from_response::<serde_json::Value>(
        c.request(Method::POST, "/hooks")
            .security(&[&["hkey", "qkey"]])
            .json(&serde_json::json!({"notificationUrl": "https://example.test/cb"}))
            .send::<serde_json::Value>()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(sub.id(), Some("sub-1"));
    shown(&mut out, &sub);
    struct Verifier;
    impl NotificationVerifier for Verifier {
        fn verify(&self, h: &http::HeaderMap, _body: &[u8]) -> Result<(), String> {
            match h.get("x-signature") {
                Some(v) if v == "sig-Zq7-shared-secret" => Ok(()),
                _ => Err("the signature does not match".into()),
            }
        }
    }
    let mut headers = http::HeaderMap::new();
    headers.insert("x-signature", "sig-Zq7-forged".parse().unwrap());
    let e =
        parse_verified_notification::<Page>(&Verifier, &headers, br#"{"value": [1]}"#).unwrap_err();
    out.push(format!("{e} / {e:?}"));
    headers.insert("x-signature", "sig-Zq7-shared-secret".parse().unwrap());
    let e =
        parse_verified_notification::<Page>(&Verifier, &headers, br#"{"value": "x"}"#).unwrap_err();
    out.push(format!("{e} / {e:?}"));
    sub.unsubscribe::<serde_json::Value>(&c, &[&["hkey", "qkey"]])
        .await
        .unwrap();
    let polled: Vec<Page> = poll(
        c.request(Method::GET, "/poll")
            .security(&[&["bearer", "qkey"]]),
        decode,
        Duration::from_millis(10),
    )
    .take(1)
    .map(|r| r.unwrap())
    .collect()
    .await;
    assert_eq!(polled[0].value, [7]);
    shown(&mut out, &polled);

    // Redirects, next links and Locations naming another host, under both policies, and
    // a same-origin redirect; base URLs with userinfo and a query.
    let (away, away_seen) = start_away().await;
    *_server.away.lock().unwrap() = away;
    let all_creds: &[&[&str]] = &[&["bearer", "hkey", "qkey"]];
    for policy in [CrossOrigin::Refuse, CrossOrigin::FollowWithoutCredentials] {
        let c = Client::builder(&base)
            .credential(
                "hkey",
                Credential::api_key_header("x-api-key", API_KEY_HEADER),
            )
            .credential("qkey", Credential::api_key_query("code", API_KEY_QUERY))
            .credential("bearer", Credential::bearer(BEARER))
            .cross_origin(policy)
            .hook(Logging(hook_log.clone()))
            .build()
            .unwrap();
        for path in ["/redir-same", "/redir-away"] {
            match c
                .request(Method::PUT, path)
                .security(all_creds)
                .json(&serde_json::json!({"a": 1}))
                .send::<serde_json::Value>()
                .await
            {
                Ok(r) => shown(&mut out, &r),
                Err(e) => shown_err(&mut out, &e),
            }
        }
        let pages: Vec<_> = next_link_pages(
            c.request(Method::GET, "/pages-away").security(all_creds),
            decode,
            |p: &Page| p.next_link.clone(),
        )
        .collect()
        .await;
        shown(&mut out, &pages);
        let polled: Vec<_> = poll(
            c.request(Method::GET, "/poll-away").security(all_creds),
            decode,
            Duration::from_millis(10),
        )
        .take(1)
        .collect()
        .await;
        shown(&mut out, &polled);
        let sub = Subscription::new(
            Some(format!("{}/hooks/1", _server.away.lock().unwrap())),
            None,
            serde_json::Value::Null,
        );
        if let Err(e) = sub.unsubscribe::<serde_json::Value>(&c, all_creds).await {
            shown_err(&mut out, &e);
        }
    }
    {
        let seen = away_seen.lock().unwrap();
        // Followed without credentials: the redirect, the next link, the poll, the DELETE.
        assert_eq!(seen.len(), 4, "{seen:?}");
        for s in seen.iter() {
            assert!(!s.contains(MARK), "the other host received a secret: {s}");
            assert!(!s.contains("referer"), "{s}");
        }
    }
    let userinfo = format!(
        "{}/v1?sig=qs-Zq7-query",
        base.replace("http://", "http://user:pw-Zq7-userinfo@")
    );
    let builder = Client::builder(&userinfo).hook(Logging(hook_log.clone()));
    shown(&mut out, &builder);
    let c = builder.build().unwrap();
    shown(&mut out, &c);
    // Hooks see the request URL; its Debug output redacts the userinfo and the query.
    let r = c.request(Method::GET, "/x").send::<()>().await;
    match r {
        Ok(r) => shown(&mut out, &r),
        Err(e) => shown_err(&mut out, &e),
    }
    shown(
        &mut out,
        &c.with_credential("bearer", Credential::bearer(BEARER)),
    );
    let e = c
        .request_url(Method::GET, "http://127.0.0.2:1/x")
        .send::<()>()
        .await
        .unwrap_err();
    shown_err(&mut out, &e);
    for bad in [
        "http://user:pw-Zq7-userinfo@[::1/v1?sig=qs-Zq7-query",
        "user:pw-Zq7-userinfo@host/v1?sig=qs-Zq7-query",
        "http://u:pw-Zq7@127.0.0.1:99999/?k=Zq7",
    ] {
        let e = Client::builder(bad).build().unwrap_err();
        shown(&mut out, &e);
        out.push(e.to_string());
        let e = c.with_base_url(bad).unwrap_err();
        out.push(format!("{e} / {e:?}"));
        let e = Client::builder(&base)
            .trusted_origin(bad)
            .build()
            .unwrap_err();
        out.push(format!("{e} / {e:?}"));
    }

    out.extend(hook_log.lock().unwrap().iter().cloned());
    let traced = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();

    // The capture is real: spans carry method, path template, status and attempt.
    assert!(traced.contains("connectorkit.request"), "{traced}");
    assert!(traced.contains("method=GET"), "{traced}");
    assert!(traced.contains(r#"path="/flaky""#), "{traced}");
    assert!(traced.contains("status=200"), "{traced}");
    assert!(traced.contains("attempt=2"), "{traced}");
    assert!(traced.contains("status=429"), "{traced}");
    assert!(out.len() > 20);

    let basic = base64::engine::general_purpose::STANDARD.encode(format!("user:{PASSWORD}"));
    let verifier = pending.code_verifier().unwrap().expose().to_string();
    for (what, text) in out
        .iter()
        .map(|t| ("Debug/error output", t.as_str()))
        .chain(std::iter::once(("tracing", traced.as_str())))
    {
        for needle in [MARK, basic.as_str(), verifier.as_str()] {
            assert!(
                !text.contains(needle),
                "{what} contains a secret ({needle}): {text}"
            );
        }
    }
}
