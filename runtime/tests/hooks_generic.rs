//! Hooks that observe and alter requests and responses, the total timeout of a call, and
//! Power Platform `oauth2generic` templates, against axum servers on 127.0.0.1.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Router;
use connectorkit::{
    AuthorizationCodeFlow, Client, Credential, Error, Hook, Method, OAuthSettings, OAuthTemplates,
    RefreshTokenProvider, RequestParts, ResponseParts, RetryPolicy, TokenProvider,
};

#[derive(Default)]
struct Log {
    calls: AtomicUsize,
    /// (path, x-hook header, authorization header, body) of every request.
    requests: Mutex<Vec<(String, String, String, String)>>,
}

async fn handle(State(log): State<Arc<Log>>, req: Request) -> axum::response::Response {
    let n = log.calls.fetch_add(1, Ordering::SeqCst) + 1;
    let path = req.uri().path().to_string();
    let (hook, auth) = {
        let h = |k: &str| {
            req.headers()
                .get(k)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        (h("x-hook"), h("authorization"))
    };
    let body = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .unwrap();
    let body = String::from_utf8_lossy(&body).into_owned();
    log.requests
        .lock()
        .unwrap()
        .push((path.clone(), hook, auth, body.clone()));
    match path.as_str() {
        "/items/7" if n == 1 => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            "late".into_response()
        }
        "/contoso/token" => {
            let access = if body.contains("grant_type=authorization_code") {
                "gen-access-code"
            } else {
                "gen-access-refresh"
            };
            axum::Json(serde_json::json!({
                "access_token": access, "expires_in": 3600, "refresh_token": "gen-refresh-2"
            }))
            .into_response()
        }
        _ => format!("ok {n}").into_response(),
    }
}

async fn start() -> (String, Arc<Log>) {
    let log = Arc::new(Log::default());
    let app = Router::new().fallback(handle).with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), log)
}

#[derive(Default)]
struct Recorder {
    /// (method, template, attempt, Debug of the request) per attempt.
    requests: Mutex<Vec<(String, &'static str, u32, String)>>,
    /// (status, attempt, Debug of the response) per attempt.
    responses: Mutex<Vec<(u16, u32, String)>>,
}

struct Shared(Arc<Recorder>);

impl Hook for Shared {
    fn on_request(&self, r: &mut RequestParts) {
        r.headers.insert("x-hook", "added".parse().unwrap());
        self.0.requests.lock().unwrap().push((
            r.method.to_string(),
            r.path_template,
            r.attempt,
            format!("{r:?}"),
        ));
    }
    fn on_response(&self, r: &mut ResponseParts) {
        self.0
            .responses
            .lock()
            .unwrap()
            .push((r.status, r.attempt, format!("{r:?}")));
        if r.status == 200 {
            r.body = format!("hooked {}", String::from_utf8_lossy(&r.body)).into();
        }
    }
}

#[tokio::test]
async fn hooks_see_every_attempt_and_can_alter_requests_and_responses() {
    let (base, log) = start().await;
    let rec = Arc::new(Recorder::default());
    let c = Client::builder(&base)
        .credential(
            "key",
            Credential::api_key_query("api_key", "hook-query-key-31"),
        )
        .credential("bearer", Credential::bearer("hook-bearer-token-32"))
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(5)))
        .hook(Shared(rec.clone()))
        .build()
        .unwrap();
    let r = c
        .request(Method::GET, "/items/{id}")
        .path("id", &7)
        .security(&[&["key", "bearer"]])
        .send::<()>()
        .await
        .unwrap();
    assert_eq!(r.text::<()>().unwrap(), "hooked ok 2");

    let reqs = rec.requests.lock().unwrap().clone();
    let attempts: Vec<_> = reqs
        .iter()
        .map(|(m, t, a, _)| (m.as_str(), *t, *a))
        .collect();
    assert_eq!(
        attempts,
        [("GET", "/items/{id}", 1), ("GET", "/items/{id}", 2)]
    );
    let resps: Vec<_> = rec
        .responses
        .lock()
        .unwrap()
        .iter()
        .map(|(s, a, _)| (*s, *a))
        .collect();
    assert_eq!(resps, [(503, 1), (200, 2)]);

    // The server got the header the hook added, and the credentials.
    let seen = log.requests.lock().unwrap().clone();
    assert!(seen
        .iter()
        .all(|(_, hook, auth, _)| hook == "added" && auth == "Bearer hook-bearer-token-32"));

    // What a hook might log is redacted.
    for (_, _, _, dbg) in &reqs {
        assert!(dbg.contains("[redacted]"), "{dbg}");
        assert!(
            !dbg.contains("hook-query-key-31") && !dbg.contains("hook-bearer-token-32"),
            "{dbg}"
        );
    }
}

/// A request signer of the kind Postman's Hawk/AWS auth needs: it reads the method, the path
/// and the body, puts a digest of them in a header, and may rewrite the body.
struct Signer;

fn digest(parts: &[&[u8]]) -> u64 {
    // FNV-1a: a stand-in for an HMAC, enough to show the hook sees the exact payload.
    let mut h: u64 = 0xcbf29ce484222325;
    for p in parts {
        for b in p.iter() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}

impl Hook for Signer {
    fn on_request(&self, r: &mut RequestParts) {
        let body = r.body.clone().unwrap_or_default();
        let sig = digest(&[r.method.as_str().as_bytes(), r.url.path().as_bytes(), &body]);
        r.headers
            .insert("x-hook", format!("sig={sig:x}").parse().unwrap());
        if body.as_ref() == b"{\"n\":1}" {
            r.body = Some(bytes::Bytes::from_static(b"{\"n\":1,\"signed\":true}"));
        }
    }
}

#[tokio::test]
async fn a_hook_signs_requests_over_their_body() {
    let (base, log) = start().await;
    let c = Client::builder(&base).hook(Signer).build().unwrap();
    c.request(Method::POST, "/sign")
        .json(&serde_json::json!({"n": 2}))
        .send::<()>()
        .await
        .unwrap();
    c.request(Method::POST, "/sign")
        .json(&serde_json::json!({"n": 1}))
        .send::<()>()
        .await
        .unwrap();
    c.request(Method::GET, "/sign").send::<()>().await.unwrap();
    let seen = log.requests.lock().unwrap().clone();
    let expect = |m: &str, body: &str| {
        format!(
            "sig={:x}",
            digest(&[m.as_bytes(), b"/sign", body.as_bytes()])
        )
    };
    assert_eq!(seen[0].0, "/sign");
    assert_eq!(seen[0].1, expect("POST", "{\"n\":2}"));
    assert_eq!(seen[0].3, "{\"n\":2}");
    // The hook's rewritten body is what went on the wire (signed over the original).
    assert_eq!(seen[1].1, expect("POST", "{\"n\":1}"));
    assert_eq!(seen[1].3, "{\"n\":1,\"signed\":true}");
    assert_eq!(seen[2].1, expect("GET", ""));
    assert_eq!(seen[2].3, "");
}

#[tokio::test]
async fn the_total_timeout_bounds_the_whole_call() {
    let (base, log) = start().await;
    let c = Client::builder(&base)
        .timeout(Duration::from_secs(10))
        .total_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let t = Instant::now();
    let e = c
        .request(Method::GET, "/slow")
        .send::<()>()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Timeout), "{e:?}");
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(log.calls.load(Ordering::SeqCst), 1);
}

fn generic_settings(base: &str) -> OAuthSettings {
    // As `certified-connectors/AzureAD` declares them, with the endpoints on the test server.
    let templates = OAuthTemplates::from_parameters([
        ("authorizationUrlTemplate", format!("{base}/{{tenant}}/authorize")),
        (
            "authorizationUrlQueryStringTemplate",
            "?client_id={ClientId}&response_type=code&redirect_uri={RedirectUrl}&response_mode=query&scope={Scopes}&prompt=login&state={State}".to_string(),
        ),
        (
            "refreshBodyTemplate",
            "client_id={ClientId}&refresh_token={RefreshToken}&redirect_uri={RedirectUrl}&grant_type=refresh_token&client_secret={ClientSecret}".to_string(),
        ),
        ("refreshUrlTemplate", format!("{base}/{{tenant}}/token")),
        ("scopeListDelimiter", " ".to_string()),
        (
            "tokenBodyTemplate",
            "client_id={ClientId}&code={Code}&redirect_uri={RedirectUrl}&grant_type=authorization_code&client_secret={ClientSecret}".to_string(),
        ),
        ("tokenUrlTemplate", format!("{base}/{{tenant}}/token")),
    ])
    .value("tenant", "contoso");
    OAuthSettings::generic("gen-client", templates)
        .client_secret("gen-secret&=x")
        .redirect_url("https://global.consent.azure-apim.net/redirect")
        .scopes(["User.Read", "offline_access"])
}

#[tokio::test]
async fn oauth2generic_templates_drive_authorize_exchange_and_refresh() {
    let (base, log) = start().await;
    let flow = AuthorizationCodeFlow::new(generic_settings(&base));
    let pending = flow.authorize().unwrap();
    assert_eq!(
        pending.url(),
        format!(
            "{base}/contoso/authorize?client_id=gen-client&response_type=code&redirect_uri=https%3A%2F%2Fglobal.consent.azure-apim.net%2Fredirect&response_mode=query&scope=User.Read%20offline_access&prompt=login&state={}",
            pending.state()
        )
    );
    assert!(
        pending.code_verifier().is_none(),
        "the templates ask for no PKCE"
    );

    let provider = Arc::new(
        flow.exchange(&pending, "code/1", pending.state())
            .await
            .unwrap(),
    );
    let c = Client::builder(&base)
        .credential("oauth", Credential::shared_token_provider(provider.clone()))
        .build()
        .unwrap();
    c.request(Method::GET, "/api")
        .security(&[&["oauth"]])
        .send::<()>()
        .await
        .unwrap();

    // A refresh-token provider with the same settings uses the refresh templates.
    let refresh = RefreshTokenProvider::new(generic_settings(&base), "gen-refresh-1");
    assert_eq!(
        refresh.token().await.unwrap().expose(),
        "gen-access-refresh"
    );

    let seen = log.requests.lock().unwrap().clone();
    let bodies: Vec<_> = seen
        .iter()
        .map(|(p, _, a, b)| (p.as_str(), a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        bodies,
        [
            ("/contoso/token", "", "client_id=gen-client&code=code%2F1&redirect_uri=https%3A%2F%2Fglobal.consent.azure-apim.net%2Fredirect&grant_type=authorization_code&client_secret=gen-secret%26%3Dx"),
            ("/api", "Bearer gen-access-code", ""),
            ("/contoso/token", "", "client_id=gen-client&refresh_token=gen-refresh-1&redirect_uri=https%3A%2F%2Fglobal.consent.azure-apim.net%2Fredirect&grant_type=refresh_token&client_secret=gen-secret%26%3Dx"),
        ]
    );
    assert_eq!(provider.refresh_token().unwrap().expose(), "gen-refresh-2");
    let dbg = format!("{:?}", generic_settings(&base));
    assert!(
        !dbg.contains("gen-secret") && !dbg.contains("contoso"),
        "{dbg}"
    );
}

/// Answers `/stub/…` itself; everything else goes to the server.
struct Stub;

impl Hook for Stub {
    fn answer(&self, r: &RequestParts) -> Option<connectorkit::Answer> {
        if !r.url.path().starts_with("/stub/") {
            return None;
        }
        let mut headers = connectorkit::http::HeaderMap::new();
        headers.insert("content-type", "application/json".parse().unwrap());
        let seen = format!(
            r#"{{"path": "{}", "auth": "{}"}}"#,
            r.url.path(),
            r.headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
        );
        Some(connectorkit::Answer {
            status: 201,
            headers,
            body: seen.into(),
        })
    }
}

#[tokio::test]
async fn a_hook_may_answer_instead_of_the_network() {
    let (base, log) = start().await;
    let c = Client::builder(&base)
        .credential("bearer", Credential::bearer("stub-token-33"))
        .hook(Stub)
        .build()
        .unwrap();
    let r = c
        .request(Method::GET, "/stub/{id}")
        .path("id", &"a b")
        .security(&[&["bearer"]])
        .send::<()>()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let seen: serde_json::Value = r.json::<_, ()>().unwrap();
    assert_eq!(
        seen,
        serde_json::json!({"path": "/stub/a%20b", "auth": "Bearer stub-token-33"})
    );
    assert_eq!(log.calls.load(Ordering::SeqCst), 0, "nothing was sent");
    let r = c.request(Method::GET, "/real").send::<()>().await.unwrap();
    assert_eq!(r.text::<()>().unwrap(), "ok 1");
    assert_eq!(log.calls.load(Ordering::SeqCst), 1);
}
