//! End to end for Postman collections: clients generated from real corpus collections (and
//! one hand-made collection for auth inheritance) call an axum server on 127.0.0.1, which
//! records exactly what it received.

use std::sync::{Arc, Mutex};

use axum::body::{to_bytes, Body};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;

/// One request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    query: Option<String>,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

type Log = Arc<Mutex<Vec<Seen>>>;

async fn handle(log: Log, req: Request<Body>) -> Response {
    let seen = Seen {
        method: req.method().to_string(),
        path: req.uri().path().to_string(),
        query: req.uri().query().map(str::to_string),
        headers: req.headers().clone(),
        body: Vec::new(),
    };
    let body = to_bytes(req.into_body(), 1 << 20).await.unwrap().to_vec();
    let seen = Seen { body, ..seen };
    log.lock().unwrap().push(seen.clone());
    let json = |v: serde_json::Value| {
        (
            StatusCode::OK,
            [("content-type", "application/json")],
            v.to_string(),
        )
            .into_response()
    };
    match (seen.method.as_str(), seen.path.as_str()) {
        ("GET", "/api/users/42") => json(serde_json::json!({
            "id": 42, "email": "ann@example.com", "first_name": "Ann",
            "last_name": "Lee", "avatar": "https://example.com/a.png"
        })),
        ("GET", "/api/users") => json(serde_json::json!({
            "page": 2, "per_page": 1, "total": 3, "total_pages": 3,
            "data": [{"id": 7, "email": "bo@example.com", "first_name": "Bo",
                      "last_name": "Ek", "avatar": "https://example.com/b.png"}]
        })),
        _ => (StatusCode::OK, "echo").into_response(),
    }
}

async fn server() -> (String, Log) {
    let log: Log = Arc::default();
    let l = log.clone();
    let app = Router::new().fallback(move |req: Request<Body>| handle(l.clone(), req));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), log)
}

fn last(log: &Log) -> Seen {
    log.lock().unwrap().last().cloned().unwrap()
}

#[tokio::test]
async fn auth_is_inherited_overridden_and_switched_off() {
    use connectorkit_tests::postman_auth::{Client, DEFAULT_BASE_URL};
    // The base URL comes from the collection variable `baseUrl`.
    assert_eq!(DEFAULT_BASE_URL, "https://api.example.com/v1");
    let (base, log) = server().await;
    let c = Client::new()
        .unwrap()
        .with_base_url(&format!("{base}/v1"))
        .unwrap()
        .with_x_api_key("key-1")
        .with_bearer("tok-2")
        .with_basic("ann", "pw");

    // Folder "Inherits": the collection's API key, and nothing else.
    c.list_widgets().await.unwrap();
    let seen = last(&log);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/v1/widgets")
    );
    assert_eq!(seen.header("x-api-key"), Some("key-1"));
    assert_eq!(seen.header("authorization"), None);

    // Folder "Overrides": its bearer token replaces the collection's API key.
    c.get_account().await.unwrap();
    let seen = last(&log);
    assert_eq!(seen.path, "/v1/account");
    assert_eq!(seen.header("authorization"), Some("Bearer tok-2"));
    assert_eq!(seen.header("x-api-key"), None);

    // A sub-folder of "Overrides" inherits the override.
    c.list_invoices().await.unwrap();
    let seen = last(&log);
    assert_eq!(seen.path, "/v1/invoices");
    assert_eq!(seen.header("authorization"), Some("Bearer tok-2"));
    assert_eq!(seen.header("x-api-key"), None);

    // A request-level basic auth overrides its folder.
    c.login().await.unwrap();
    let seen = last(&log);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/v1/login")
    );
    assert_eq!(seen.header("authorization"), Some("Basic YW5uOnB3"));
    assert_eq!(seen.header("x-api-key"), None);

    // Folder "Public" says noauth: no credential at all.
    c.health().await.unwrap();
    let seen = last(&log);
    assert_eq!(seen.path, "/v1/health");
    assert_eq!(seen.header("authorization"), None);
    assert_eq!(seen.header("x-api-key"), None);
}

#[tokio::test]
async fn path_variable_and_response_types_from_saved_examples() {
    use connectorkit_tests::postman_users::{Client, DEFAULT_BASE_URL};
    assert_eq!(DEFAULT_BASE_URL, "https://reqres.in/api");
    let (base, log) = server().await;
    let c = Client::new()
        .unwrap()
        .with_base_url(&format!("{base}/api"))
        .unwrap();

    // `:userId` becomes a typed argument (its example value is an integer).
    let user = c.get_a_single_user(42).await.unwrap();
    let seen = last(&log);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/api/users/42")
    );
    assert_eq!(seen.query, None);
    // The return type was inferred from the saved 200 example and is deserialized.
    assert_eq!(user.id, 42);
    assert_eq!(user.email, "ann@example.com");
    assert_eq!(user.first_name, "Ann");

    let page = c.list_users().await.unwrap();
    assert_eq!(last(&log).path, "/api/users");
    assert_eq!(page.page, 2);
    assert_eq!(page.total_pages, 3);
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.data[0].last_name, "Ek");
}

#[tokio::test]
async fn urlencoded_body() {
    use connectorkit_tests::postman_echo::{Client, PostFormDataBody};
    let (base, log) = server().await;
    let c = Client::new().unwrap().with_base_url(&base).unwrap();
    let out = c
        .post_form_data(&PostFormDataBody {
            foo1: "bar 1".into(),
            foo2: "a&b=c".into(),
        })
        .await
        .unwrap();
    assert_eq!(&out[..], b"echo");
    let seen = last(&log);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/post")
    );
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8(seen.body).unwrap(),
        "foo1=bar+1&foo2=a%26b%3Dc"
    );
}

#[tokio::test]
async fn multipart_upload() {
    use connectorkit::Multipart;
    use connectorkit_tests::postman_formdata::Client;
    let (base, log) = server().await;
    let c = Client::new().unwrap().with_base_url(&base).unwrap();
    // Three requests of the collection POST to `/post`: each is its own method.
    c.file(
        Multipart::new()
            .file(
                "json",
                Some("a.json"),
                Some("application/json"),
                &b"{\"k\":1}"[..],
            )
            .file(
                "csv",
                Some("b.csv"),
                Some("text/csv"),
                &b"key,value\n1,a\n"[..],
            ),
    )
    .await
    .unwrap();
    let seen = last(&log);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/post")
    );
    let ct = seen.header("content-type").unwrap().to_string();
    let boundary = ct
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {ct}"));
    let body = String::from_utf8(seen.body).unwrap();
    assert_eq!(body.matches(&format!("--{boundary}")).count(), 3, "{body}");
    assert!(body.contains(
        "Content-Disposition: form-data; name=\"json\"; filename=\"a.json\"\r\nContent-Type: application/json\r\n\r\n{\"k\":1}\r\n"
    ), "{body}");
    assert!(body.contains(
        "Content-Disposition: form-data; name=\"csv\"; filename=\"b.csv\"\r\nContent-Type: text/csv\r\n\r\nkey,value\n1,a\n\r\n"
    ), "{body}");

    // The body-less request on the same method and path is a separate method.
    c.default().await.unwrap();
    let seen = last(&log);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/post")
    );
    assert!(seen.body.is_empty());
}

#[tokio::test]
async fn dynamic_url_binary_body_and_inferred_bearer() {
    use connectorkit_tests::postman_autodesk::{Client, FinalizeUploadRequest};
    let (base, log) = server().await;
    let c = Client::new()
        .unwrap()
        .with_base_url(&base)
        .unwrap()
        .with_bearer("tok-9");

    // `{{ContentUploadSignedURL}}` is the whole URL: the method takes it as an argument.
    let signed = format!("{base}/signed/upload-1?sig=a%2Fb");
    c.upload_assembly_file(&signed, &b"\x00\x01binary"[..])
        .await
        .unwrap();
    let seen = last(&log);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("PUT", "/signed/upload-1")
    );
    assert_eq!(seen.query.as_deref(), Some("sig=a%2Fb"));
    assert_eq!(
        seen.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(seen.body, b"\x00\x01binary");

    // `Authorization: Bearer {{access_token}}` in the collection → bearer auth.
    c.finalize_upload(
        "bucket-1",
        "model.iam",
        &FinalizeUploadRequest {
            upload_key: "key-7".into(),
        },
    )
    .await
    .unwrap();
    let seen = last(&log);
    assert_eq!(seen.method, "POST");
    assert_eq!(
        seen.path,
        "/oss/v2/buckets/bucket-1/objects/model.iam/signeds3upload"
    );
    assert_eq!(seen.header("authorization"), Some("Bearer tok-9"));
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&seen.body).unwrap(),
        serde_json::json!({"uploadKey": "key-7"})
    );
}

#[tokio::test]
async fn several_named_base_urls() {
    use connectorkit_tests::postman_wise::{Client, PresetCardPinRequest};
    let (base, log) = server().await;
    // `{{host}}` is the client's base URL (the collection gives it no value, so `new` takes
    // it); `{{pci-host}}` (the card-data requests) has its own setter, kept when credentials
    // are added afterwards.
    let c = Client::new(&format!("{base}/main"))
        .unwrap()
        .with_pci_host_base_url(&format!("{base}/pci"))
        .with_bearer("t-1");

    c.get_available_card_programs("p-1").await.unwrap();
    let seen = last(&log);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        (
            "GET",
            "/main/v3/spend/profiles/p-1/card-orders/availability"
        )
    );
    assert_eq!(seen.header("authorization"), Some("Bearer t-1"));

    c.get_sensitive_card_details(
        "card-token",
        &PresetCardPinRequest {
            key_version: 1,
            encrypted_payload: "abc".into(),
        },
    )
    .await
    .unwrap();
    let seen = last(&log);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/pci/twcard-data/v1/sensitive-card-data/details")
    );
    assert_eq!(seen.header("x-tw-twcard-card-token"), Some("card-token"));
    assert_eq!(seen.header("authorization"), Some("Bearer t-1"));

    // Re-pointing the main base URL keeps the other one.
    let c2 = c.with_base_url(&format!("{base}/main2")).unwrap();
    c2.get_sensitive_card_details(
        "t",
        &PresetCardPinRequest {
            key_version: 2,
            encrypted_payload: "x".into(),
        },
    )
    .await
    .unwrap();
    assert!(last(&log).path.starts_with("/pci/"));
}
