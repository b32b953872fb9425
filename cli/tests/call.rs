//! `connectorkit call` against servers on 127.0.0.1: what the server received (method,
//! path and query, headers, body) for API key (header and query), basic, bearer and OAuth
//! 2.0 client credentials, parameters of every location and style, JSON, form and byte
//! bodies; the exit status for a matching body, a body that does not match its schema, an
//! error status and bad arguments (with "did you mean"); a dry run sends nothing and prints
//! no secret.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One request as the server read it.
#[derive(Debug)]
struct Received {
    /// `GET /v1/pets?limit=3`
    line: String,
    /// Lower-case names.
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A server that answers each request with the next of `replies` (status, JSON body) and
/// reports what it read. Each connection is read with a deadline.
fn serve(replies: Vec<(u16, &'static str)>) -> (String, Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for (status, body) in replies {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut headers = Vec::new();
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                let (n, v) = h.split_once(':').unwrap();
                headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
            let len: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .map(|(_, v)| v.parse().unwrap())
                .unwrap_or(0);
            let mut buf = vec![0; len];
            reader.read_exact(&mut buf).unwrap();
            let mut out = stream;
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = out.write_all(head.as_bytes());
            let _ = out.write_all(body.as_bytes());
            let _ = tx.send(Received {
                line: line.trim_end().to_string(),
                headers,
                body: String::from_utf8_lossy(&buf).into_owned(),
            });
        }
    });
    (format!("http://{addr}/v1"), rx)
}

fn call(args: &[&str], env: &[(&str, &str)]) -> Output {
    call_on("examples/petstore/petstore.yaml", args, env)
}

fn call_on(input: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_connectorkit"));
    cmd.arg("call").arg(input).args(args).current_dir(root());
    for var in [
        "CONNECTORKIT_API_KEY",
        "CONNECTORKIT_BEARER_TOKEN",
        "CONNECTORKIT_BASIC",
        "CONNECTORKIT_CLIENT_ID",
        "CONNECTORKIT_CLIENT_SECRET",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn received(rx: &Receiver<Received>) -> Received {
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the server received a request")
}

const PET: &str = r#"{"id": "7", "name": "Rex", "status": "available"}"#;

#[test]
fn an_api_key_header_a_json_body_and_a_matching_response() {
    let (base, rx) = serve(vec![(201, PET)]);
    let o = call(
        &[
            "create_pet",
            "--base-url",
            &base,
            "--body",
            r#"{"name": "Rex", "status": "available"}"#,
        ],
        &[("CONNECTORKIT_API_KEY", "key-from-env-41")],
    );
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(0), "{err}");
    let r = received(&rx);
    assert_eq!(r.line, "POST /v1/pets HTTP/1.1");
    assert_eq!(r.header("x-api-key"), Some("key-from-env-41"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    let sent: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"name": "Rex", "status": "available"})
    );
    // The body on stdout, pretty; the status and the schema check on stderr.
    let got: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(got["name"], "Rex");
    assert!(out.contains("\n  \"id\": \"7\""), "{out}");
    assert!(err.starts_with("HTTP 201 Created"), "{err}");
    assert!(
        err.contains("matches the documented schema of status 201"),
        "{err}"
    );
    assert!(!err.contains("key-from-env-41") && !out.contains("key-from-env-41"));
}

#[test]
fn parameters_of_every_location_and_style() {
    let (base, rx) = serve(vec![(200, "[]")]);
    let o = call(
        &[
            "listPets",
            "--base-url",
            &base,
            "-p",
            "limit=3",
            "-p",
            "tags=a b,c",
            "-p",
            "tags=d",
            "-p",
            "status=pending",
            "-p",
            "X-Request-Id=req-9",
            "--api-key",
            "k",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let r = received(&rx);
    // `tags` is form with explode: false: one comma-separated value (form-urlencoded by
    // the runtime, as a generated client sends it).
    assert_eq!(
        r.line,
        "GET /v1/pets?limit=3&tags=a+b%2Cc%2Cd&status=pending HTTP/1.1"
    );
    assert_eq!(r.header("x-request-id"), Some("req-9"));
}

#[test]
fn bearer_basic_and_query_keys_go_where_the_definition_says() {
    let (base, rx) = serve(vec![(200, PET), (204, ""), (200, r#""stored""#)]);
    let o = call(
        &["get_pet", "--base-url", &base, "-p", "petId=a/b"],
        &[("CONNECTORKIT_BEARER_TOKEN", "bearer-43")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let r = received(&rx);
    assert_eq!(r.line, "GET /v1/pets/a%2Fb HTTP/1.1");
    assert_eq!(r.header("authorization"), Some("Bearer bearer-43"));

    let o = call(
        &[
            "delete_pet",
            "--base-url",
            &base,
            "-p",
            "petId=7",
            "-p",
            "session=s1",
            "--basic",
            "ann:pw 44",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let r = received(&rx);
    assert_eq!(r.line, "DELETE /v1/pets/7 HTTP/1.1");
    // base64("ann:pw 44")
    assert_eq!(r.header("authorization"), Some("Basic YW5uOnB3IDQ0"));
    assert_eq!(r.header("cookie"), Some("session=s1"));

    let o = call(
        &[
            "upload_photo",
            "--base-url",
            &base,
            "-p",
            "petId=7",
            "--body",
            "PNGDATA",
            "--auth",
            "api_key_query=q-45",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let r = received(&rx);
    assert_eq!(r.line, "PUT /v1/pets/7/photo?api_key=q-45 HTTP/1.1");
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert_eq!(r.body, "PNGDATA");
}

#[test]
fn a_form_body_is_form_encoded() {
    let (base, rx) = serve(vec![(200, r#"{"session": "s"}"#)]);
    let o = call(
        &[
            "login",
            "--base-url",
            &base,
            "--body",
            r#"{"username": "ann", "password": "a&b"}"#,
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let r = received(&rx);
    assert_eq!(r.line, "POST /v1/login HTTP/1.1");
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(r.body, "username=ann&password=a%26b");
}

/// `oauth2-mock-server` (npm, installed by `.ci/setup.sh`) on 127.0.0.1, through the
/// runtime tests' start script; killed on drop. Its stdout lines (JSON events) are kept.
struct MockServer {
    child: std::process::Child,
    base: String,
    issuer: String,
    lines: std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>,
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl MockServer {
    fn start() -> MockServer {
        let ci = root().join(".ci");
        if !ci
            .join("node_modules/oauth2-mock-server/package.json")
            .exists()
        {
            let ok = Command::new("bash")
                .arg(ci.join("setup.sh"))
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                ok,
                "oauth2-mock-server is not installed and .ci/setup.sh failed"
            );
        }
        let mut child = Command::new("node")
            .arg(root().join("runtime/tests/support/oauth2_mock_server.mjs"))
            .arg(&ci)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("node (for oauth2-mock-server)");
        let stdout = child.stdout.take().unwrap();
        let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (tx, rx) = channel();
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
        let ready = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("oauth2-mock-server listening within 30 s");
        MockServer {
            child,
            base: format!("http://127.0.0.1:{}", ready["port"]),
            issuer: ready["issuer"].as_str().unwrap().to_string(),
            lines,
        }
    }
}

#[test]
fn oauth2_client_credentials_from_oauth2_mock_server_with_a_token_cache() {
    let mock = MockServer::start();
    let (base, rx) = serve(vec![
        (200, r#"{"id": 5}"#),
        (200, r#"{"id": 6}"#),
        (200, r#"{"id": 7}"#),
    ]);
    let def = root().join("tests/definitions/oauth2-items.yaml");
    let cache = std::env::temp_dir().join(format!("ck-token-cache-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&cache);
    let run = |id: &str, extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_connectorkit"))
            .args([
                "call",
                def.to_str().unwrap(),
                "get_item",
                "-p",
                &format!("id={id}"),
            ])
            .args(["--base-url", &base])
            .args([
                "--client-id",
                "app-1",
                "--token-url",
                &format!("{}/token", mock.base),
            ])
            .args(["--scope", "items.read"])
            .args(extra)
            .env("CONNECTORKIT_CLIENT_SECRET", "secret-47")
            .env(
                "XDG_CACHE_HOME",
                std::env::temp_dir().join("ck-no-cache-here"),
            )
            .output()
            .unwrap()
    };
    let token_events = || {
        mock.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|v| v["event"] == "token")
            .cloned()
            .collect::<Vec<serde_json::Value>>()
    };
    let bearer = |r: &Received| {
        r.header("authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
            .expect("a bearer token")
            .to_string()
    };
    let o = run("5", &["--token-cache", cache.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let r = received(&rx);
    assert_eq!(r.line, "GET /v1/items/5 HTTP/1.1");
    // The bearer is a JWT the mock server issued for that client and scope.
    let first = bearer(&r);
    let payload = base64_url(first.split('.').nth(1).expect("a JWT"));
    let claims: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    assert_eq!(claims["iss"], mock.issuer.as_str());
    assert_eq!(claims["scope"], "items.read");
    let events = token_events();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["grant_type"], "client_credentials");
    assert_eq!(events[0]["status"], 200);
    assert!(!text(&o.stderr).contains("secret-47"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cache).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the token cache is private");
    }
    // A second call reuses the cached token: no second token request.
    let o = run("6", &["--token-cache", cache.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(bearer(&received(&rx)), first);
    assert_eq!(token_events().len(), 1);
    // Without the cache, a new token.
    let o = run("7", &["--no-token-cache"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    received(&rx);
    assert_eq!(token_events().len(), 2);
    let _ = std::fs::remove_file(&cache);
}

/// Decodes unpadded base64url (a JWT part).
fn base64_url(s: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = alphabet.iter().position(|&a| a == c).expect("base64url") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn the_exit_status_says_how_it_went() {
    let (base, rx) = serve(vec![
        (200, r#"{"name": "Rex"}"#),
        (404, r#"{"code": 404, "message": "no such pet"}"#),
    ]);
    // 2xx, but `id` is required by the schema: exit 3, and the mismatch is named.
    let o = call(
        &[
            "get_pet",
            "--base-url",
            &base,
            "-p",
            "petId=7",
            "--bearer",
            "t",
        ],
        &[],
    );
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("schema: mismatch: at `id`: is required and missing"),
        "{err}"
    );
    received(&rx);
    // An error status: exit 1, its body still printed.
    let o = call(
        &[
            "get_pet",
            "--base-url",
            &base,
            "-p",
            "petId=8",
            "--bearer",
            "t",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).contains("no such pet"));
    assert!(text(&o.stderr).starts_with("HTTP 404 Not Found"));
    received(&rx);
    // Nothing listening: exit 1 with the runtime's error.
    let o = call(
        &[
            "get_pet",
            "--base-url",
            "http://127.0.0.1:9/v1",
            "-p",
            "petId=8",
            "--bearer",
            "t",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).starts_with("error:"), "{}", text(&o.stderr));
}

#[test]
fn bad_arguments_are_named_with_a_hint_and_exit_2() {
    let o = call(&["list_petz"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("no action `list_petz`; did you mean `list_pets`?"),
        "{}",
        text(&o.stderr)
    );
    let o = call(
        &[
            "list_pets",
            "-p",
            "limt=3",
            "-p",
            "status=pendng",
            "-p",
            "tags",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    for expected in [
        "--param limt: `list_pets` has no parameter `limt` (did you mean `limit`?)",
        "--param status: `pendng` is not one of `available`, `pending`, `adopted` (did you mean `pending`?)",
        "--param `tags`: expected NAME=VALUE",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    let o = call(&["get_pet", "-p", "petId=1", "-p", "petId=2"], &[]);
    assert!(text(&o.stderr).contains("--param petId: given twice"));
    let o = call(&["list_pets", "-p", "limit=3000000000"], &[]);
    assert!(
        text(&o.stderr).contains("--param limit: 3000000000 is out of range"),
        "{}",
        text(&o.stderr)
    );
    let o = call(&["create_pet"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--body: required"));
    let o = call(&["create_pet", "--body", r#"{"nme": "Rex"}"#], &[]);
    let err = text(&o.stderr);
    assert!(
        err.contains("at `nme`: NewPet has no such property (did you mean `name`?)"),
        "{err}"
    );
    assert!(
        err.contains("--body: at `name`: is required and missing"),
        "{err}"
    );
    let o = call(&["get_pet"], &[]);
    assert!(text(&o.stderr).contains("--param petId: required (path parameter, a string)"));
}

#[test]
fn a_dry_run_prints_the_request_without_secrets_and_sends_nothing() {
    let (base, rx) = serve(vec![(200, "[]")]);
    let o = call(
        &[
            "upload_photo",
            "--base-url",
            &base,
            "-p",
            "petId=7",
            "--body",
            "PNG",
            "--api-key",
            "dry-secret-48",
            "--dry-run",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert_eq!(
        out,
        format!("PUT {base}/pets/7/photo?api_key=<redacted>\ncontent-type: image/png\n\nPNG\n")
    );
    let o = call(
        &[
            "create_pet",
            "--base-url",
            &base,
            "--body",
            r#"{"name": "Rex"}"#,
            "--api-key",
            "dry-secret-48",
            "--dry-run",
        ],
        &[],
    );
    let out = text(&o.stdout);
    assert!(out.contains("x-api-key: <redacted>"), "{out}");
    assert!(!out.contains("dry-secret-48") && !text(&o.stderr).contains("dry-secret-48"));
    assert!(
        rx.recv_timeout(Duration::from_millis(300)).is_err(),
        "a dry run sends nothing"
    );
}

const DIME: &str = "../shared/corpus/powerplatform/certified-connectors/Dime.Scheduler";

#[test]
fn a_connectors_host_and_policy_header_come_from_the_connection() {
    // Dime.Scheduler: `dynamichosturl` is `@connectionParameters('endpoint')`, and a
    // `setheader` policy sends `X-API-KEY: @connectionParameters('apiKey')`.
    let (base, rx) = serve(vec![(200, "{}")]);
    let endpoint = base.trim_end_matches("/v1");
    let file = std::env::temp_dir().join(format!("ck-call-conn-{}.json", std::process::id()));
    std::fs::write(&file, r#"{"apiKey": "conn-secret-49"}"#).unwrap();
    let o = call_on(
        DIME,
        &[
            "category_upsert",
            "--connection",
            &format!("endpoint={endpoint}"),
            "--connection-file",
            file.to_str().unwrap(),
            "--body",
            r##"{"name": "Urgent", "displayName": "Urgent jobs", "color": "#ff0000"}"##,
        ],
        &[],
    );
    let err = text(&o.stderr);
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(3),
        "{err}"
    );
    let r = received(&rx);
    assert_eq!(r.line, "POST /categories HTTP/1.1");
    assert_eq!(r.header("x-api-key"), Some("conn-secret-49"));
    let sent: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(sent["displayName"], "Urgent jobs");
    assert!(!err.contains("conn-secret-49") && !text(&o.stdout).contains("conn-secret-49"));
    // A misspelt connection parameter is named, with the right one.
    let o = call_on(DIME, &["category_upsert", "--connection", "endpont=x"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("no connection parameter `endpont` (did you mean `endpoint`?)"),
        "{}",
        text(&o.stderr)
    );
    let _ = std::fs::remove_file(file);
}

#[test]
fn a_postman_request_is_sent_as_the_collection_says() {
    let input = "../shared/corpus/postman/newman__v1-example.json";
    let (base, rx) = serve(vec![(200, r#"{"args": {}}"#), (200, "{}")]);
    let o = call_on(
        input,
        &[
            "a_simple_get_request",
            "-p",
            "source=newman-sample",
            "--base-url",
            &base,
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        received(&rx).line,
        "GET /v1/get?source=newman-sample HTTP/1.1"
    );
    // Two requests share `POST /post`: the second one's JSON body, on the same path.
    let o = call_on(
        input,
        &[
            "a_simple_post_request_with_json_body",
            "--body",
            r#"{"text": "hi"}"#,
            "--base-url",
            &base,
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let r = received(&rx);
    assert_eq!(r.line, "POST /v1/post HTTP/1.1");
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.body, r#"{"text":"hi"}"#);
}
