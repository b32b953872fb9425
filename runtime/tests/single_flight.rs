//! Single flight that shares failures, cancel-safe waits, one budget per call, against real
//! servers on 127.0.0.1, asserting what each server received:
//! - a token endpoint that fails or hangs gets one request for 20 waiting callers, all of
//!   which get the error; after a short backoff the next call tries again;
//! - callers cancelled while the rate limiter made them wait give their slots back;
//! - a `TokenStore::load` cancelled midway is done again by the next call;
//! - the retry budget (attempts) covers the resend after the 401 refresh.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Router;
use connectorkit::oauth::StoreFuture;
use connectorkit::{
    Client, ClientCredentialsProvider, Credential, Error, Method, OAuthSettings, RateLimit,
    RefreshTokenProvider, RetryPolicy, StoredToken, TokenProvider, TokenStore,
};

const DEADLINE: Duration = Duration::from_secs(30);

#[derive(Default)]
struct Server {
    token_calls: AtomicUsize,
    api_calls: AtomicUsize,
    /// `/token` answers 500 (after 300 ms) while set, else a token.
    failing: AtomicBool,
    /// Refresh tokens the token endpoint received.
    refresh_tokens: Mutex<Vec<String>>,
}

async fn handle(State(s): State<Arc<Server>>, req: Request) -> axum::response::Response {
    let path = req.uri().path().to_string();
    let body = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    let body = String::from_utf8_lossy(&body).into_owned();
    match path.as_str() {
        "/token" => {
            let n = s.token_calls.fetch_add(1, Ordering::SeqCst) + 1;
            if let Some(rt) = body
                .split('&')
                .find_map(|kv| kv.strip_prefix("refresh_token="))
            {
                s.refresh_tokens.lock().unwrap().push(rt.to_string());
            }
            if s.failing.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(300)).await;
                return (StatusCode::INTERNAL_SERVER_ERROR, "down").into_response();
            }
            axum::Json(serde_json::json!({"access_token": format!("at-{n}"), "expires_in": 3600}))
                .into_response()
        }
        "/hang" => {
            s.token_calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_secs(30)).await;
            "late".into_response()
        }
        "/budget" => {
            // 503, 503, 401, then 503 for ever.
            let n = s.api_calls.fetch_add(1, Ordering::SeqCst) + 1;
            let status = if n == 3 {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            (status, [("retry-after", "0")]).into_response()
        }
        _ => {
            s.api_calls.fetch_add(1, Ordering::SeqCst);
            "ok".into_response()
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

async fn twenty_calls(c: &Client) -> Vec<Result<connectorkit::Response, Error>> {
    let calls = (0..20).map(|_| {
        let c = c.clone();
        tokio::spawn(async move {
            c.request(Method::GET, "/ok")
                .security(&[&["oauth"]])
                .send::<serde_json::Value>()
                .await
        })
    });
    let all = tokio::time::timeout(DEADLINE, futures_util::future::join_all(calls))
        .await
        .expect("the callers must not queue one token request after another");
    all.into_iter().map(|r| r.unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_token_endpoint_is_asked_once_for_all_waiting_callers() {
    let (base, server) = start().await;
    server.failing.store(true, Ordering::SeqCst);
    let p = ClientCredentialsProvider::new(OAuthSettings::new("id", format!("{base}/token")));
    let c = Client::builder(&base)
        .credential("oauth", Credential::token_provider(p))
        .build()
        .unwrap();
    let all = twenty_calls(&c).await;
    assert!(all.iter().all(|r| matches!(r, Err(Error::Auth(_)))));
    let asked = server.token_calls.load(Ordering::SeqCst);
    assert!(asked <= 2, "{asked} token requests for 20 callers");
    // After the backoff, the next call tries again (and the endpoint is back).
    server.failing.store(false, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(600)).await;
    let all = twenty_calls(&c).await;
    assert!(all
        .iter()
        .all(|r| r.as_ref().is_ok_and(|r| r.status() == 200)));
    assert_eq!(server.token_calls.load(Ordering::SeqCst), asked + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_token_endpoint_times_out_once_for_all_waiting_callers() {
    let (base, server) = start().await;
    let http = connectorkit::reqwest_client_builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let p = ClientCredentialsProvider::new(OAuthSettings::new("id", format!("{base}/hang")))
        .with_http_client(http);
    let c = Client::builder(&base)
        .credential("oauth", Credential::token_provider(p))
        .build()
        .unwrap();
    let all = twenty_calls(&c).await;
    assert!(all.iter().all(|r| matches!(r, Err(Error::Auth(_)))));
    let asked = server.token_calls.load(Ordering::SeqCst);
    assert!(asked <= 2, "{asked} token requests for 20 callers");
}

#[tokio::test]
async fn cancelled_waiters_give_their_rate_limit_slots_back() {
    let (base, server) = start().await;
    // One request per 2 s.
    let c = Client::builder(&base)
        .rate_limit(RateLimit::new(1, Duration::from_secs(2)))
        .build()
        .unwrap();
    c.request(Method::GET, "/ok").send::<()>().await.unwrap();
    // Ten callers wait for a slot and give up.
    for _ in 0..10 {
        let r = tokio::time::timeout(
            Duration::from_millis(50),
            c.request(Method::GET, "/ok").send::<()>(),
        )
        .await;
        assert!(r.is_err());
    }
    // The next one waits for one slot (under 2 s), not for eleven (about 22 s).
    let t = Instant::now();
    tokio::time::timeout(
        Duration::from_secs(10),
        c.request(Method::GET, "/ok").send::<()>(),
    )
    .await
    .expect("cancelled callers kept their reservations")
    .unwrap();
    assert!(t.elapsed() < Duration::from_secs(10));
    assert_eq!(server.api_calls.load(Ordering::SeqCst), 2);
}

/// A store whose first `load` never ends; later ones return a refresh token.
#[derive(Debug, Default)]
struct SlowStore {
    loads: AtomicUsize,
}

impl TokenStore for SlowStore {
    fn load(&self) -> StoreFuture<'_, Option<StoredToken>> {
        let n = self.loads.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            if n == 0 {
                std::future::pending::<()>().await;
            }
            Ok(Some(StoredToken {
                access_token: "expired".into(),
                refresh_token: Some("rt-from-store".into()),
                expires_at: Some(std::time::UNIX_EPOCH),
            }))
        })
    }
    fn save(&self, _token: StoredToken) -> StoreFuture<'_, ()> {
        Box::pin(async { Ok(()) })
    }
}

#[tokio::test]
async fn a_cancelled_store_load_is_done_again() {
    let (base, server) = start().await;
    let store = Arc::new(SlowStore::default());
    let p = RefreshTokenProvider::from_store(
        OAuthSettings::new("id", format!("{base}/token")),
        store.clone(),
    );
    assert!(tokio::time::timeout(Duration::from_millis(100), p.token())
        .await
        .is_err());
    let t = tokio::time::timeout(DEADLINE, p.token()).await.unwrap();
    assert!(t.is_ok(), "{t:?}");
    assert_eq!(store.loads.load(Ordering::SeqCst), 2);
    assert_eq!(
        server.refresh_tokens.lock().unwrap().as_slice(),
        ["rt-from-store"]
    );
}

#[tokio::test]
async fn one_budget_covers_the_401_refresh() {
    let (base, server) = start().await;
    let p = ClientCredentialsProvider::new(OAuthSettings::new("id", format!("{base}/token")));
    let c = Client::builder(&base)
        .credential("oauth", Credential::token_provider(p))
        .retry(
            RetryPolicy::default()
                .max_attempts(4)
                .base_delay(Duration::from_millis(1))
                .max_total(Duration::from_secs(3)),
        )
        .build()
        .unwrap();
    let r = tokio::time::timeout(
        DEADLINE,
        c.request(Method::GET, "/budget")
            .security(&[&["oauth"]])
            .send::<()>(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(r.status(), 503);
    // 503, 503, 401, (refresh), 503: four attempts in all, not 3 + 4.
    assert_eq!(server.api_calls.load(Ordering::SeqCst), 4);
    assert_eq!(server.token_calls.load(Ordering::SeqCst), 2);
}
