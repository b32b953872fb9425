//! OAuth2 against a real third-party authorization server: the npm package
//! `oauth2-mock-server` (installed by `.ci/setup.sh`), started with node on 127.0.0.1.
//! Client credentials, the authorization code flow with PKCE (the server checks the
//! verifier against the challenge), refresh tokens (rotated by the server and persisted in a
//! `TokenStore`), and an axum API that checks the JWTs came from that server.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine;
use connectorkit::{
    AuthorizationCodeFlow, Client, ClientCredentialsProvider, Credential, Error, MemoryTokenStore,
    Method, OAuthSettings, RefreshTokenProvider, TokenProvider, TokenStore,
};

/// The node process; killed (and reaped) on drop, also when a test fails.
struct MockServer {
    child: Child,
    base: String,
    issuer: String,
    lines: Arc<Mutex<Vec<serde_json::Value>>>,
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ci_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci")
}

/// `.ci/node_modules/oauth2-mock-server`, installing it with `.ci/setup.sh` if missing.
fn ensure_installed() {
    let ci = ci_dir();
    if ci
        .join("node_modules/oauth2-mock-server/package.json")
        .exists()
    {
        return;
    }
    let status = Command::new("bash")
        .arg(ci.join("setup.sh"))
        .status()
        .unwrap_or_else(|e| panic!("cannot run .ci/setup.sh to install oauth2-mock-server: {e}"));
    assert!(
        status.success() && ci.join("node_modules/oauth2-mock-server").exists(),
        "oauth2-mock-server is not installed and `bash .ci/setup.sh` failed ({status}); \
         this test needs node, npm and the npm registry once"
    );
}

impl MockServer {
    fn start() -> MockServer {
        ensure_installed();
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/oauth2_mock_server.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .arg(ci_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start node (needed for oauth2-mock-server): {e}"));
        let stdout = child.stdout.take().expect("piped stdout");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
                    continue;
                };
                if v["event"] == "listening" {
                    let _ = tx.send(v.clone());
                }
                sink.lock().unwrap().push(v);
            }
        });
        let mut server = MockServer {
            child,
            base: String::new(),
            issuer: String::new(),
            lines,
        };
        let ready = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("oauth2-mock-server did not start listening within 30 s"));
        server.base = format!("http://127.0.0.1:{}", ready["port"]);
        server.issuer = ready["issuer"].as_str().unwrap().to_string();
        server
    }

    fn token_url(&self) -> String {
        format!("{}/token", self.base)
    }

    /// Token responses the server logged.
    fn token_events(&self) -> Vec<serde_json::Value> {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|v| v["event"] == "token")
            .cloned()
            .collect()
    }

    /// The server logs a response just before sending it: wait for `n` of them.
    async fn wait_for_tokens(&self, n: usize) -> Vec<serde_json::Value> {
        let start = Instant::now();
        loop {
            let e = self.token_events();
            if e.len() >= n || start.elapsed() > Duration::from_secs(10) {
                return e;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The `kid`s of the server's signing keys.
    async fn key_ids(&self) -> Vec<String> {
        let jwks: serde_json::Value = reqwest::get(format!("{}/jwks", self.base))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap().to_string())
            .collect()
    }
}

/// The API: records bearer tokens; `/reject-first` answers 401 to the first token it sees.
#[derive(Default)]
struct Api {
    seen: Mutex<Vec<String>>,
    rejected: Mutex<Option<String>>,
}

fn bearer(headers: &HeaderMap) -> String {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_string()
}

async fn me(State(api): State<Arc<Api>>, headers: HeaderMap) -> impl IntoResponse {
    let token = bearer(&headers);
    api.seen.lock().unwrap().push(token);
    Json(serde_json::json!({"ok": true}))
}

async fn reject_first(State(api): State<Arc<Api>>, headers: HeaderMap) -> impl IntoResponse {
    let token = bearer(&headers);
    api.seen.lock().unwrap().push(token.clone());
    let mut rejected = api.rejected.lock().unwrap();
    if rejected.is_none() || rejected.as_deref() == Some(token.as_str()) {
        *rejected = Some(token);
        return (
            StatusCode::UNAUTHORIZED,
            Json(serde_json::json!({"error": "expired"})),
        );
    }
    (StatusCode::OK, Json(serde_json::json!({"ok": true})))
}

async fn start_api() -> (String, Arc<Api>) {
    let api = Arc::new(Api::default());
    let app = Router::new()
        .route("/me", get(me))
        .route("/reject-first", get(reject_first))
        .with_state(api.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), api)
}

/// A JWT's header and payload (not verified here; see `assert_from_mock`).
fn jwt_parts(token: &str) -> (serde_json::Value, serde_json::Value) {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "not a JWT");
    let dec = |s: &str| -> serde_json::Value {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    };
    (dec(parts[0]), dec(parts[1]))
}

/// The token is an RS256 JWT issued by this mock server, signed with one of its keys.
async fn assert_from_mock(server: &MockServer, token: &str) -> serde_json::Value {
    let (header, payload) = jwt_parts(token);
    assert_eq!(header["alg"], "RS256");
    assert!(
        server
            .key_ids()
            .await
            .contains(&header["kid"].as_str().unwrap().to_string()),
        "the token's kid is not one of the mock server's keys"
    );
    assert_eq!(payload["iss"], server.issuer.as_str());
    payload
}

fn client(base: &str, provider: Arc<dyn TokenProvider>) -> Client {
    Client::builder(base)
        .credential("oauth", Credential::shared_token_provider(provider))
        .build()
        .unwrap()
}

async fn call(c: &Client, path: &'static str) -> Result<serde_json::Value, Error> {
    c.request(Method::GET, path)
        .security(&[&["oauth"]])
        .send::<serde_json::Value>()
        .await?
        .json()
}

#[tokio::test]
async fn client_credentials_from_the_mock_server_reach_the_api_once_for_100_calls() {
    let server = MockServer::start();
    let (base, api) = start_api().await;
    let settings = OAuthSettings::new("ck-client", server.token_url())
        .client_secret("cc-secret-4711")
        .scopes(["read", "write"]);
    let provider: Arc<dyn TokenProvider> = Arc::new(ClientCredentialsProvider::new(settings));
    let c = client(&base, provider);

    let calls = (0..100).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { call(&c, "/me").await })
    });
    for r in futures_util::future::join_all(calls).await {
        assert_eq!(r.unwrap().unwrap()["ok"], true);
    }

    let events = server.wait_for_tokens(1).await;
    assert_eq!(
        events.len(),
        1,
        "100 concurrent calls make one token request: {events:?}"
    );
    assert_eq!(events[0]["grant_type"], "client_credentials");
    assert_eq!(events[0]["client_id"], "ck-client");
    assert_eq!(events[0]["has_client_secret"], true);
    assert_eq!(events[0]["scope"], "read write");
    assert_eq!(events[0]["status"], 200);

    let seen = api.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 100);
    assert!(
        seen.iter().all(|t| t == &seen[0]),
        "one token for every call"
    );
    let claims = assert_from_mock(&server, &seen[0]).await;
    assert_eq!(claims["scope"], "read write");
}

fn code_flow_settings(server: &MockServer) -> OAuthSettings {
    OAuthSettings::new("ck-app", server.token_url())
        .authorization_url(format!("{}/authorize", server.base))
        .redirect_url("http://127.0.0.1:9/callback")
        .scopes(["openid", "offline_access"])
}

/// Plays the browser: GET the authorization URL, return the redirect's Location.
async fn consent(url: &str) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = http.get(url).send().await.unwrap();
    assert!(resp.status().is_redirection(), "{}", resp.status());
    resp.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn authorization_code_with_pkce_then_rotated_refresh_tokens_are_persisted() {
    let server = MockServer::start();
    let (base, api) = start_api().await;
    let store = Arc::new(MemoryTokenStore::new());
    let flow = AuthorizationCodeFlow::new(code_flow_settings(&server)).with_store(store.clone());

    let pending = flow.authorize().unwrap();
    let url = url::Url::parse(pending.url()).unwrap();
    let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], "ck-app");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["state"], pending.state());
    assert_eq!(q["scope"], "openid offline_access");
    assert!(!pending
        .url()
        .contains(pending.code_verifier().unwrap().expose()));

    let redirect = consent(pending.url()).await;
    assert!(redirect.starts_with("http://127.0.0.1:9/callback?"));
    let provider = Arc::new(flow.exchange_redirect(&pending, &redirect).await.unwrap());
    let events = server.wait_for_tokens(1).await;
    assert_eq!(events[0]["grant_type"], "authorization_code");
    assert_eq!(events[0]["has_code_verifier"], true);
    assert_eq!(
        events[0]["status"], 200,
        "the server accepted the PKCE verifier"
    );

    let first = store.get().expect("the exchange saved the tokens");
    let first_refresh = first.refresh_token.clone().expect("a refresh token");
    assert!(first.expires_at.is_some());

    // The API rejects the first access token: one refresh (rotating the refresh token), one retry.
    let c = client(&base, provider.clone());
    assert_eq!(call(&c, "/reject-first").await.unwrap()["ok"], true);
    let events = server.wait_for_tokens(2).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[1]["grant_type"], "refresh_token");
    assert_eq!(events[1]["status"], 200);

    let seen = api.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0], first.access_token.expose());
    assert_ne!(seen[0], seen[1]);
    let claims = assert_from_mock(&server, &seen[1]).await;
    assert_eq!(claims["sub"], "johndoe");

    let second = store.get().unwrap();
    assert_eq!(second.access_token.expose(), seen[1]);
    let rotated = second.refresh_token.unwrap();
    assert_ne!(
        rotated, first_refresh,
        "the server rotated the refresh token"
    );
    assert_eq!(provider.refresh_token(), Some(rotated.clone()));
    assert_eq!(store.saves(), 2);

    // A new process: a provider from the store uses the saved access token, no token request.
    let restarted = Arc::new(RefreshTokenProvider::from_store(
        code_flow_settings(&server),
        store.clone() as Arc<dyn TokenStore>,
    ));
    let c2 = client(&base, restarted.clone());
    call(&c2, "/me").await.unwrap();
    assert_eq!(api.seen.lock().unwrap().last().unwrap(), &seen[1]);
    assert_eq!(restarted.refresh_token(), Some(rotated));
    assert_eq!(server.token_events().len(), 2);
}

#[tokio::test]
async fn the_mock_server_refuses_a_verifier_that_does_not_match_and_a_wrong_state_is_caught() {
    let server = MockServer::start();
    let flow = AuthorizationCodeFlow::new(code_flow_settings(&server));
    let first = flow.authorize().unwrap();
    let second = flow.authorize().unwrap();
    assert_ne!(first.state(), second.state());

    let redirect = consent(first.url()).await;
    let code = url::Url::parse(&redirect)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();

    // The state of another authorization: refused before any token request.
    let e = flow
        .exchange(&second, &code, first.state())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("state"), "{e}");
    assert!(server.token_events().is_empty());

    // Right state, but the verifier of the other authorization: the server refuses it.
    let e = flow
        .exchange(&second, &code, second.state())
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(400), "{e}");
    assert!(e.to_string().contains("code_verifier"), "{e}");
    assert!(!e
        .to_string()
        .contains(second.code_verifier().unwrap().expose()));
}

#[tokio::test]
async fn a_refresh_token_in_hand_gets_tokens_from_the_mock_server() {
    let server = MockServer::start();
    let (base, api) = start_api().await;
    let store = Arc::new(MemoryTokenStore::new());
    let settings =
        OAuthSettings::new("ck-app", server.token_url()).client_secret("rt-client-secret");
    let provider =
        Arc::new(RefreshTokenProvider::new(settings, "rt-initial-0815").with_store(store.clone()));
    let c = client(&base, provider.clone());
    call(&c, "/me").await.unwrap();
    call(&c, "/me").await.unwrap();

    let events = server.wait_for_tokens(1).await;
    assert_eq!(events.len(), 1, "the token is cached: {events:?}");
    assert_eq!(events[0]["grant_type"], "refresh_token");
    assert_eq!(events[0]["has_client_secret"], true);
    let seen = api.seen.lock().unwrap().clone();
    assert_eq!(seen[0], seen[1]);
    assert_from_mock(&server, &seen[0]).await;
    let saved = store.get().unwrap();
    assert_eq!(saved.access_token.expose(), seen[0]);
    assert_ne!(saved.refresh_token.unwrap().expose(), "rt-initial-0815");
}
