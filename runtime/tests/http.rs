//! The runtime against a real axum server on 127.0.0.1: path encoding, credentials, errors,
//! timeouts, redaction.

use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::any;
use axum::Router;
use connectorkit::{Client, Credential, Error, Method, Secret};

async fn echo(req: Request) -> impl IntoResponse {
    let path = req.uri().path().to_string();
    if path.ends_with("/slow") {
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    if path.ends_with("/missing") {
        return (
            StatusCode::NOT_FOUND,
            [("set-cookie", "sid=topsecret")],
            r#"{"message":"gone"}"#.to_string(),
        );
    }
    if path.ends_with("/bad-json") {
        return (
            StatusCode::OK,
            [("set-cookie", "x=y")],
            r#"{"count":"three"}"#.to_string(),
        );
    }
    let auth = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let query = req.uri().query().map(str::to_string);
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let sent = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    let sent = String::from_utf8_lossy(&sent).into_owned();
    let body = serde_json::json!({
        "path": path, "query": query, "auth": auth, "content_type": content_type, "body": sent,
    });
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        body.to_string(),
    )
}

async fn start() -> String {
    let app = Router::new().fallback(any(echo));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/base/")
}

#[derive(serde::Deserialize, Debug)]
struct Echo {
    path: String,
    query: Option<String>,
    auth: String,
    content_type: String,
    body: String,
}

#[tokio::test]
async fn form_bodies_repeat_array_items_and_leave_out_nulls() {
    #[derive(serde::Serialize)]
    struct Message {
        to: Vec<String>,
        body: String,
        media: Option<Vec<String>>,
        retries: u8,
        flags: Vec<bool>,
        meta: serde_json::Value,
    }
    let base = start().await;
    let c = Client::builder(&base).build().unwrap();
    let m = Message {
        to: vec!["+1 555".into(), "a&b=c".into()],
        body: "hé there".into(),
        media: None,
        retries: 3,
        flags: vec![true, false],
        meta: serde_json::json!({"k": [1, 2]}),
    };
    let r = c
        .request(Method::POST, "form")
        .form(&m)
        .send::<()>()
        .await
        .unwrap();
    let e: Echo = r.json::<Echo, ()>().unwrap();
    assert_eq!(e.content_type, "application/x-www-form-urlencoded");
    assert_eq!(
        e.body,
        "to=%2B1+555&to=a%26b%3Dc&body=h%C3%A9+there&retries=3&flags=true&flags=false\
         &meta=%7B%22k%22%3A%5B1%2C2%5D%7D"
    );
    let e = c
        .request(Method::POST, "form")
        .form(&["x"])
        .send::<()>()
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("a form body is an object, not an array"),
        "{e}"
    );
}

#[tokio::test]
async fn path_values_are_single_segments_and_base_path_is_kept() {
    let base = start().await;
    let c = Client::builder(&base).build().unwrap();
    let r = c
        .request(Method::GET, "/files/{name}/x")
        .path("name", "../a b/%2F?#")
        .send::<()>()
        .await
        .unwrap();
    let e: Echo = r.json::<Echo, ()>().unwrap();
    assert_eq!(e.path, "/base/files/..%2Fa%20b%2F%252F%3F%23/x");
    let r = c
        .request(Method::GET, "/d/{v}")
        .path_encoded_twice("v", "a/b")
        .send::<()>()
        .await
        .unwrap();
    assert_eq!(r.json::<Echo, ()>().unwrap().path, "/base/d/a%252Fb");
    for bad in ["..", ".", ""] {
        let err = c
            .request(Method::GET, "/d/{v}")
            .path("v", bad)
            .send::<()>()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{bad}: {err:?}");
    }
}

#[tokio::test]
async fn first_satisfiable_security_alternative_is_applied() {
    let base = start().await;
    let c = Client::builder(&base)
        .credential("basic", Credential::basic("u", "p"))
        .build()
        .unwrap();
    let r = c
        .request(Method::GET, "/s")
        .security(&[&["bearer"], &["basic"]])
        .send::<()>()
        .await
        .unwrap();
    assert_eq!(r.json::<Echo, ()>().unwrap().auth, "Basic dTpw");
    let c = c.with_credential("bearer", Credential::bearer("tok"));
    let r = c
        .request(Method::GET, "/s")
        .security(&[&["bearer"], &["basic"]])
        .send::<()>()
        .await
        .unwrap();
    assert_eq!(r.json::<Echo, ()>().unwrap().auth, "Bearer tok");
    let c = c.with_credential("k", Credential::api_key_query("api-key", "q v"));
    let r = c
        .request(Method::GET, "/s")
        .security(&[&["k"]])
        .send::<()>()
        .await
        .unwrap();
    let e = r.json::<Echo, ()>().unwrap();
    assert_eq!(e.query.as_deref(), Some("api-key=q+v"));
    assert_eq!(e.auth, "");
}

#[tokio::test]
async fn errors_are_typed_and_redacted() {
    #[derive(serde::Deserialize, Debug)]
    struct Gone {
        message: String,
    }
    let base = start().await;
    let c = Client::builder(&base)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let r = c
        .request(Method::GET, "/missing")
        .send::<Gone>()
        .await
        .unwrap();
    let err = r.error::<Gone>();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.api_body().unwrap().message, "gone");
    assert!(!format!("{err:?}").contains("topsecret"));

    #[derive(serde::Deserialize, Debug)]
    struct Count {
        #[allow(dead_code)]
        count: u32,
    }
    let r = c
        .request(Method::GET, "/bad-json")
        .send::<()>()
        .await
        .unwrap();
    match r.json::<Count, ()>() {
        Err(Error::Decode {
            status, message, ..
        }) => {
            assert_eq!(status, 200);
            assert!(message.contains("count"), "{message}");
        }
        other => panic!("{other:?}"),
    }

    let err = c
        .request(Method::GET, "/slow")
        .send::<()>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
}

#[test]
fn secrets_do_not_print() {
    let s = Secret::from("hunter2");
    assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
    let creds = [
        Credential::basic("u", "hunter2"),
        Credential::bearer("hunter2"),
        Credential::api_key_header("X-Key", "hunter2"),
    ];
    for c in creds {
        assert!(!format!("{c:?}").contains("hunter2"));
    }
    let client = Client::builder("http://127.0.0.1:1")
        .credential("b", Credential::bearer("hunter2"))
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("hunter2"));
}

#[tokio::test]
async fn crlf_in_headers_is_refused() {
    let c = Client::builder("http://127.0.0.1:1").build().unwrap();
    let err = c
        .request(Method::GET, "/")
        .header("X-A", "ok\r\nInjected: yes")
        .send::<()>()
        .await
        .unwrap_err();
    match err {
        Error::InvalidRequest(m) => assert!(!m.contains("Injected"), "{m}"),
        other => panic!("{other:?}"),
    }
}
