//! Token providers against a real axum token endpoint and API on 127.0.0.1: client
//! credentials, refresh with rotation, Entra settings, single flight under 100 concurrent
//! calls, and a 401 that triggers one refresh and one retry.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use connectorkit::{
    Client, ClientCredentialsProvider, Credential, Error, Method, OAuthSettings,
    RefreshTokenProvider, StaticToken, TokenProvider,
};

#[derive(Default)]
struct Server {
    token_requests: AtomicUsize,
    forms: Mutex<Vec<Vec<(String, String)>>>,
    /// Tokens the API accepts.
    valid: Mutex<Vec<String>>,
    /// expires_in of issued tokens.
    lifetime: AtomicUsize,
    api_calls: AtomicUsize,
}

async fn token(
    State(s): State<Arc<Server>>,
    Form(form): Form<Vec<(String, String)>>,
) -> impl IntoResponse {
    let n = s.token_requests.fetch_add(1, Ordering::SeqCst) + 1;
    // Hold the request a little so concurrent callers really overlap.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    s.forms.lock().unwrap().push(form.clone());
    if get("client_secret").as_deref() != Some("s3cret-client") {
        return (
            StatusCode::UNAUTHORIZED,
            Json(serde_json::json!({"error": "invalid_client"})),
        );
    }
    let access = format!("access-{n}");
    s.valid.lock().unwrap().push(access.clone());
    let lifetime = s.lifetime.load(Ordering::SeqCst);
    (
        StatusCode::OK,
        Json(serde_json::json!({
            "access_token": access, "token_type": "Bearer",
            "expires_in": lifetime.to_string(), "refresh_token": format!("refresh-{n}")
        })),
    )
}

async fn api(State(s): State<Arc<Server>>, headers: HeaderMap) -> impl IntoResponse {
    s.api_calls.fetch_add(1, Ordering::SeqCst);
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let ok = auth
        .strip_prefix("Bearer ")
        .is_some_and(|t| s.valid.lock().unwrap().iter().any(|v| v == t));
    if ok {
        (StatusCode::OK, auth)
    } else {
        (StatusCode::UNAUTHORIZED, String::new())
    }
}

async fn start(lifetime: usize) -> (String, Arc<Server>) {
    let s = Arc::new(Server::default());
    s.lifetime.store(lifetime, Ordering::SeqCst);
    let app = Router::new()
        .route("/token", post(token))
        .route("/tenant-1/oauth2/v2.0/token", post(token))
        .route("/api", get(api).post(api))
        .with_state(s.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), s)
}

fn settings(base: &str) -> OAuthSettings {
    OAuthSettings::new("my-client", format!("{base}/token"))
        .client_secret("s3cret-client")
        .scopes(["read", "write"])
}

const SEC: &[&[&str]] = &[&["oauth"]];

#[tokio::test]
async fn client_credentials_token_is_cached_and_sent() {
    let (base, s) = start(3600).await;
    let c = Client::builder(&base)
        .credential(
            "oauth",
            Credential::token_provider(ClientCredentialsProvider::new(settings(&base))),
        )
        .build()
        .unwrap();
    for _ in 0..3 {
        let r = c
            .request(Method::GET, "/api")
            .security(SEC)
            .send::<()>()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.text::<()>().unwrap(), "Bearer access-1");
    }
    assert_eq!(s.token_requests.load(Ordering::SeqCst), 1);
    let form = s.forms.lock().unwrap()[0].clone();
    assert!(form.contains(&("grant_type".into(), "client_credentials".into())));
    assert!(form.contains(&("client_id".into(), "my-client".into())));
    assert!(form.contains(&("scope".into(), "read write".into())));
}

#[tokio::test]
async fn hundred_concurrent_calls_on_an_expired_token_make_one_token_request() {
    // No token yet: the first wave must fetch one, and only one.
    let (base, s) = start(3600).await;
    let provider = Arc::new(ClientCredentialsProvider::new(settings(&base)));
    let c = Client::builder(&base)
        .credential("oauth", Credential::shared_token_provider(provider.clone()))
        .build()
        .unwrap();
    let calls = (0..100).map(|_| {
        let c = c.clone();
        tokio::spawn(async move {
            c.request(Method::GET, "/api")
                .security(SEC)
                .send::<()>()
                .await
                .map(|r| r.status())
        })
    });
    let results = futures_util::future::join_all(calls).await;
    for r in results {
        assert_eq!(r.unwrap().unwrap(), 200);
    }
    assert_eq!(s.token_requests.load(Ordering::SeqCst), 1);
    assert_eq!(s.api_calls.load(Ordering::SeqCst), 100);

    // Expire it server-side and in the cache: again 100 concurrent calls, one new token.
    s.valid.lock().unwrap().clear();
    let t = provider.token().await.unwrap();
    provider.invalidate(&t);
    let calls = (0..100).map(|_| {
        let c = c.clone();
        tokio::spawn(async move {
            c.request(Method::GET, "/api")
                .security(SEC)
                .send::<()>()
                .await
                .map(|r| r.status())
        })
    });
    for r in futures_util::future::join_all(calls).await {
        assert_eq!(r.unwrap().unwrap(), 200);
    }
    assert_eq!(s.token_requests.load(Ordering::SeqCst), 2);
}

/// 100 concurrent calls, all answered 200 (panics otherwise).
async fn hundred_calls(c: &Client) {
    let calls = (0..100).map(|_| {
        let c = c.clone();
        tokio::spawn(async move {
            c.request(Method::GET, "/api")
                .security(SEC)
                .send::<()>()
                .await
                .map(|r| r.status())
        })
    });
    for r in futures_util::future::join_all(calls).await {
        assert_eq!(r.unwrap().unwrap(), 200);
    }
}

#[tokio::test]
async fn hundred_concurrent_calls_after_expiry_or_revocation_make_one_token_request_each() {
    // Tokens live 4 s and are refreshed at half their lifetime (2 s).
    let (base, s) = start(4).await;
    let provider = Arc::new(ClientCredentialsProvider::new(settings(&base)));
    let c = Client::builder(&base)
        .credential("oauth", Credential::shared_token_provider(provider.clone()))
        .build()
        .unwrap();
    hundred_calls(&c).await;
    assert_eq!(s.token_requests.load(Ordering::SeqCst), 1);

    // The cached token expires by time: the next 100 calls make one token request (the new
    // token lives an hour, so a slow wave cannot see it expire).
    s.lifetime.store(3600, Ordering::SeqCst);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    hundred_calls(&c).await;
    assert_eq!(s.token_requests.load(Ordering::SeqCst), 2);

    // The server revokes the token while the cache still holds it: 100 calls get 401, and
    // between them make one refresh; each retries once with the new token.
    s.valid.lock().unwrap().clear();
    let before = s.api_calls.load(Ordering::SeqCst);
    hundred_calls(&c).await;
    assert_eq!(s.token_requests.load(Ordering::SeqCst), 3);
    // Calls that started after the new token was cached needed no retry.
    let sent = s.api_calls.load(Ordering::SeqCst) - before;
    assert!(
        (101..=200).contains(&sent),
        "at most one retry per call: {sent}"
    );
}

#[tokio::test]
async fn short_lived_tokens_are_refreshed_before_expiry() {
    let (base, s) = start(1).await;
    let p = ClientCredentialsProvider::new(settings(&base));
    let a = p.token().await.unwrap();
    assert_eq!(p.token().await.unwrap(), a);
    // Lifetime 1 s, refreshed at half: after 0.6 s a new token is fetched.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let b = p.token().await.unwrap();
    assert_ne!(a, b);
    assert_eq!(s.token_requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_401_triggers_one_refresh_and_one_retry() {
    let (base, s) = start(3600).await;
    let c = Client::builder(&base)
        .credential(
            "oauth",
            Credential::token_provider(RefreshTokenProvider::new(settings(&base), "refresh-0")),
        )
        .build()
        .unwrap();
    let r = c
        .request(Method::POST, "/api")
        .security(SEC)
        .json(&serde_json::json!({"a": 1}))
        .send::<()>()
        .await
        .unwrap();
    assert_eq!(r.text::<()>().unwrap(), "Bearer access-1");
    // The server revokes the token: the next call gets a 401, refreshes once, retries once.
    s.valid.lock().unwrap().clear();
    let before = s.api_calls.load(Ordering::SeqCst);
    let r = c
        .request(Method::POST, "/api")
        .security(SEC)
        .json(&serde_json::json!({"a": 1}))
        .send::<()>()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text::<()>().unwrap(), "Bearer access-2");
    assert_eq!(s.api_calls.load(Ordering::SeqCst) - before, 2);
    assert_eq!(s.token_requests.load(Ordering::SeqCst), 2);
    let forms = s.forms.lock().unwrap().clone();
    // The rotated refresh token is used for the second refresh.
    assert!(forms[0].contains(&("refresh_token".into(), "refresh-0".into())));
    assert!(forms[1].contains(&("refresh_token".into(), "refresh-1".into())));
    assert!(forms[1].contains(&("grant_type".into(), "refresh_token".into())));

    // A token the server keeps refusing: exactly one retry, then the 401 comes back.
    let c = Client::builder(&base)
        .credential(
            "oauth",
            Credential::token_provider(StaticToken::new("nope")),
        )
        .build()
        .unwrap();
    let before = s.api_calls.load(Ordering::SeqCst);
    let r = c
        .request(Method::GET, "/api")
        .security(SEC)
        .send::<()>()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(s.api_calls.load(Ordering::SeqCst) - before, 2);
}

#[tokio::test]
async fn token_endpoint_errors_carry_no_secret() {
    let (base, _s) = start(3600).await;
    let bad =
        OAuthSettings::new("my-client", format!("{base}/token")).client_secret("wrong-secret-x");
    let c = Client::builder(&base)
        .credential(
            "oauth",
            Credential::token_provider(ClientCredentialsProvider::new(bad.clone())),
        )
        .build()
        .unwrap();
    let err = c
        .request(Method::GET, "/api")
        .security(SEC)
        .send::<()>()
        .await
        .unwrap_err();
    let Error::Auth(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status(), Some(401));
    let shown = format!("{err} {err:?} {bad:?} {c:?}");
    assert!(shown.contains("invalid_client"), "{shown}");
    assert!(!shown.contains("wrong-secret-x"), "{shown}");
}

#[test]
fn entra_settings() {
    let s = OAuthSettings::entra("", "", "cid").resource("https://graph.microsoft.com/");
    assert_eq!(
        s.token_url_value(),
        "https://login.microsoftonline.com/common/oauth2/v2.0/token"
    );
    assert_eq!(
        s.authorization_url_value(),
        Some("https://login.microsoftonline.com/common/oauth2/v2.0/authorize")
    );
    assert!(s.is_entra());
    let s = OAuthSettings::entra("https://login.windows.net/", "contoso", "cid");
    assert_eq!(
        s.token_url_value(),
        "https://login.windows.net/contoso/oauth2/v2.0/token"
    );
}

#[tokio::test]
async fn entra_client_credentials_ask_for_resource_default_scope() {
    let (base, s) = start(3600).await;
    let settings = OAuthSettings::entra(&base, "tenant-1", "cid")
        .client_secret("s3cret-client")
        .resource("https://api.example/");
    assert_eq!(
        settings.token_url_value(),
        format!("{base}/tenant-1/oauth2/v2.0/token")
    );
    let p = ClientCredentialsProvider::new(settings);
    assert_eq!(p.token().await.unwrap().expose(), "access-1");
    let form = s.forms.lock().unwrap()[0].clone();
    assert!(
        form.contains(&("scope".into(), "https://api.example/.default".into())),
        "{form:?}"
    );
    assert!(!form.iter().any(|(k, _)| k == "resource"), "{form:?}");
}
