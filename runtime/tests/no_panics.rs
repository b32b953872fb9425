//! No panic from any server value or setting, against real servers on 127.0.0.1: huge
//! `expires_in` values from a token endpoint, huge `Retry-After`s, a stored token expiring
//! in the far future; absurd settings are refused by the builder with an error.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Router;
use connectorkit::{
    Client, ClientCredentialsProvider, Credential, MemoryTokenStore, Method, OAuthSettings,
    RateLimit, RefreshTokenProvider, RetryPolicy, StoredToken, TokenProvider,
};

const DEADLINE: Duration = Duration::from_secs(20);

#[derive(Default)]
struct Server {
    tokens: AtomicUsize,
    calls: AtomicUsize,
}

/// `/token/<expires_in as JSON>` answers a token with that `expires_in`; `/busy/<value>`
/// answers 503 with that `Retry-After`; `/ok` answers 200.
async fn handle(State(s): State<Arc<Server>>, req: Request) -> axum::response::Response {
    s.calls.fetch_add(1, Ordering::SeqCst);
    let path = req.uri().path().to_string();
    if let Some(exp) = path.strip_prefix("/token/") {
        s.tokens.fetch_add(1, Ordering::SeqCst);
        let exp = percent_decode(exp);
        let body = format!(r#"{{"access_token":"at","refresh_token":"rt","expires_in":{exp}}}"#);
        return ([("content-type", "application/json")], body).into_response();
    }
    if let Some(v) = path.strip_prefix("/busy/") {
        let v = percent_decode(v);
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [("retry-after", v)],
            "busy",
        )
            .into_response();
    }
    "ok".into_response()
}

fn percent_decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(n) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(n);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn start() -> (String, Arc<Server>) {
    let s = Arc::new(Server::default());
    let app = Router::new().fallback(handle).with_state(s.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), s)
}

const HUGE_EXPIRES: &[&str] = &[
    "18446744073709551615",
    "1e300",
    "1.7976931348623157e308",
    "\"18446744073709551615\"",
    "\"99999999999999999999999999999\"",
    "-5",
    "\"-5\"",
    "null",
    "\"soon\"",
    "31536000000",
];

#[tokio::test]
async fn huge_expires_in_from_the_token_endpoint() {
    let (base, server) = start().await;
    for exp in HUGE_EXPIRES {
        let url = format!("{base}/token/{}", exp.replace('"', "%22"));
        let settings = OAuthSettings::new("id", url).client_secret("s");
        let store = Arc::new(MemoryTokenStore::new());
        let cc = ClientCredentialsProvider::new(settings.clone()).with_store(store.clone());
        let t = tokio::time::timeout(DEADLINE, cc.token()).await.unwrap();
        assert!(t.is_ok(), "{exp}: {t:?}");
        // Cached: a second call makes no request.
        let before = server.tokens.load(Ordering::SeqCst);
        tokio::time::timeout(DEADLINE, cc.token())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(server.tokens.load(Ordering::SeqCst), before, "{exp}");
        let rt = RefreshTokenProvider::new(settings, "rt0");
        let c = Client::builder(&base)
            .credential("oauth", Credential::token_provider(rt))
            .build()
            .unwrap();
        let r = tokio::time::timeout(
            DEADLINE,
            c.request(Method::GET, "/ok")
                .security(&[&["oauth"]])
                .send::<()>(),
        )
        .await
        .unwrap();
        assert_eq!(r.unwrap().status(), 200, "{exp}");
    }
}

#[tokio::test]
async fn stored_token_expiring_in_the_far_future() {
    let (base, _server) = start().await;
    let far = [
        SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(i64::MAX as u64 / 2)),
        SystemTime::now().checked_add(Duration::from_secs(u32::MAX as u64 * 1000)),
        Some(SystemTime::UNIX_EPOCH),
    ];
    for at in far.into_iter().flatten() {
        let store = Arc::new(MemoryTokenStore::with_token(StoredToken {
            access_token: "stored".into(),
            refresh_token: Some("rt".into()),
            expires_at: Some(at),
        }));
        let settings = OAuthSettings::new("id", format!("{base}/token/3600"));
        let p = RefreshTokenProvider::from_store(settings, store);
        let t = tokio::time::timeout(DEADLINE, p.token()).await.unwrap();
        assert!(t.is_ok(), "{at:?}: {t:?}");
    }
}

#[tokio::test]
async fn huge_retry_after() {
    let (base, server) = start().await;
    for max_delay in [Duration::from_secs(365 * 24 * 3600), Duration::from_secs(5)] {
        let c = Client::builder(&base)
            .retry(
                RetryPolicy::default()
                    .max_delay(max_delay)
                    .max_total(Duration::from_secs(2)),
            )
            .build()
            .unwrap();
        for v in [
            "18446744073709551615",
            "99999999999999999999999",
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "Thu, 01 Jan 1970 00:00:00 GMT",
            "-1",
            "1e9",
        ] {
            let path = format!("/busy/{}", v.replace(' ', "%20").replace(',', "%2C"));
            let before = server.calls.load(Ordering::SeqCst);
            // A path is `&'static str`; use an absolute URL instead.
            let r = tokio::time::timeout(
                DEADLINE,
                c.request_url(Method::GET, &format!("{base}{path}"))
                    .send::<()>(),
            )
            .await
            .expect("a huge Retry-After must not make the call wait past its budget")
            .unwrap();
            assert_eq!(r.status(), 503, "{v}");
            assert!(server.calls.load(Ordering::SeqCst) > before);
        }
    }
}

#[test]
fn absurd_settings_are_refused() {
    let b = || Client::builder("http://127.0.0.1:9");
    let year = Duration::from_secs(365 * 24 * 3600);
    let refused = [
        b().retry(RetryPolicy::default().max_delay(Duration::MAX))
            .build(),
        b().retry(RetryPolicy::default().max_total(Duration::MAX))
            .build(),
        b().retry(RetryPolicy::default().base_delay(year * 2))
            .build(),
        b().retry(RetryPolicy::default().max_attempts(u32::MAX))
            .build(),
        b().rate_limit(RateLimit::new(1, Duration::MAX)).build(),
        b().timeout(Duration::ZERO).build(),
        b().timeout(Duration::MAX).build(),
        b().connect_timeout(Duration::MAX).build(),
        b().total_timeout(Duration::MAX).build(),
        b().total_timeout(Duration::ZERO).build(),
        Client::builder("ftp://127.0.0.1/").build(),
        Client::builder("mailto:x@y").build(),
    ];
    for (i, r) in refused.into_iter().enumerate() {
        let e = r.expect_err(&format!("setting {i} was accepted"));
        assert!(!e.to_string().is_empty());
    }
    assert!(b()
        .retry(RetryPolicy::default().max_delay(year).max_total(year))
        .rate_limit(RateLimit::new(u32::MAX, year))
        .build()
        .is_ok());
}
