//! End to end: the generated pet store client calls a real axum server on 127.0.0.1 for
//! every action, with each auth kind; the server records exactly what it received.

use std::sync::{Arc, Mutex};

use axum::body::{to_bytes, Body};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use connectorkit_tests::petstore::{
    Client, CreatePetError, DeletePetParams, ListPetsParams, LoginBody, NewPet, PetStatus,
};

/// One request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    /// The raw (still percent-encoded) path.
    path: String,
    query: Vec<(String, String)>,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

type Log = Arc<Mutex<Vec<Seen>>>;

fn json(status: StatusCode, v: serde_json::Value) -> Response {
    (
        status,
        [("content-type", "application/json")],
        v.to_string(),
    )
        .into_response()
}

async fn handle(log: Log, req: Request<Body>) -> Response {
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(url_pairs).unwrap_or_default();
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
    let pet = serde_json::json!({"id": "p1", "name": "Rex", "status": "adopted", "birthDate": "2020-02-29",
        "owner": {"name": "Ann", "friends": [{"id": "p2", "name": "Tom", "status": "in-quarantine"}]}});
    match (method.as_str(), path.as_str()) {
        ("GET", "/v1/pets") => json(StatusCode::OK, serde_json::json!([pet])),
        ("POST", "/v1/pets") => {
            if seen.json()["name"] == "" {
                json(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    serde_json::json!({"fields": {"name": "must not be empty"}}),
                )
            } else {
                json(StatusCode::CREATED, pet)
            }
        }
        ("GET", "/v1/pets/..%2Fadmin") => json(
            StatusCode::NOT_FOUND,
            serde_json::json!({"code": 404, "message": "no pet ../admin"}),
        ),
        ("GET", p) if p.starts_with("/v1/pets/") => json(StatusCode::OK, pet),
        ("DELETE", _) => StatusCode::NO_CONTENT.into_response(),
        ("PUT", "/v1/pets/p1/photo") => (StatusCode::OK, "sha256:abc").into_response(),
        ("POST", "/v1/pets/p1/documents") => json(StatusCode::OK, serde_json::json!({"count": 2})),
        ("POST", "/v1/login") => json(
            StatusCode::OK,
            serde_json::json!({"session": "s-1", "expires_in": 3600}),
        ),
        _ => json(
            StatusCode::INTERNAL_SERVER_ERROR,
            serde_json::json!({"code": 500, "message": "unexpected route"}),
        ),
    }
}

fn url_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

async fn server() -> (String, Log) {
    let log: Log = Arc::default();
    let l = log.clone();
    let app = Router::new().fallback(move |req: Request<Body>| handle(l.clone(), req));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/v1"), log)
}

fn last(log: &Log) -> Seen {
    log.lock().unwrap().last().cloned().unwrap()
}

fn client(base: &str) -> Client {
    Client::new()
        .unwrap()
        .with_base_url(base)
        .unwrap()
        .with_api_key("header-key-123")
        .with_api_key_query("query-key-456")
        .with_session_cookie("cookie-key-789")
        .with_basic("ann", "pa:ss")
        .with_bearer("token-abc")
}

#[tokio::test]
async fn every_action_against_a_real_server() {
    let (base, log) = server().await;
    let c = client(&base);

    // list_pets: header API key, optional query (form + form/no-explode), enum, header param.
    let pets = c
        .list_pets(&ListPetsParams {
            limit: Some(10),
            tags: Some(vec!["a".into(), "b c".into()]),
            status: Some(PetStatus::Pending),
            x_request_id: Some("req-1".into()),
        })
        .await
        .unwrap();
    let seen = last(&log);
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, "/v1/pets");
    assert_eq!(
        seen.query,
        vec![
            ("limit".to_string(), "10".to_string()),
            ("tags".to_string(), "a,b c".to_string()),
            ("status".to_string(), "pending".to_string()),
        ]
    );
    assert_eq!(seen.header("x-api-key"), Some("header-key-123"));
    assert_eq!(seen.header("x-request-id"), Some("req-1"));
    assert_eq!(seen.header("authorization"), None);
    assert_eq!(pets.len(), 1);
    assert_eq!(pets[0].id, "p1");
    assert_eq!(pets[0].status, Some(PetStatus::Adopted));
    assert_eq!(
        pets[0].birth_date.map(|d| d.to_string()),
        Some("2020-02-29".to_string())
    );
    let owner = pets[0].owner.as_ref().unwrap();
    let friends = owner.friends.as_ref().unwrap();
    // A value the definition does not know is kept, not an error.
    assert_eq!(
        friends[0].status,
        Some(PetStatus::Unknown("in-quarantine".into()))
    );

    // No optional parameters: nothing extra on the wire.
    c.list_pets(&ListPetsParams::default()).await.unwrap();
    let seen = last(&log);
    assert!(seen.query.is_empty(), "{:?}", seen.query);
    assert_eq!(seen.header("x-request-id"), None);

    // create_pet: JSON body; 201 typed.
    let created = c
        .create_pet(&NewPet {
            name: "Rex".into(),
            tag: None,
            status: Some(PetStatus::Available),
            birth_date: None,
        })
        .await
        .unwrap();
    let seen = last(&log);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/v1/pets")
    );
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(
        seen.json(),
        serde_json::json!({"name": "Rex", "status": "available"})
    );
    assert_eq!(created.name, "Rex");

    // create_pet: 422 → the typed error enum with the typed body.
    let err = c
        .create_pet(&NewPet {
            name: String::new(),
            tag: None,
            status: None,
            birth_date: None,
        })
        .await
        .unwrap_err();
    match &err {
        connectorkit::Error::Api(api) => {
            assert_eq!(api.status, 422);
            match &api.body {
                Some(CreatePetError::UnprocessableEntity(v)) => {
                    assert_eq!(v.fields["name"], "must not be empty")
                }
                other => panic!("unexpected body {other:?}"),
            }
        }
        other => panic!("unexpected error {other:?}"),
    }

    // get_pet: bearer; `../admin` stays one path segment; 404 typed.
    let err = c.get_pet("../admin").await.unwrap_err();
    let seen = last(&log);
    assert_eq!(seen.path, "/v1/pets/..%2Fadmin");
    assert_eq!(seen.header("authorization"), Some("Bearer token-abc"));
    assert_eq!(seen.header("x-api-key"), None);
    match err {
        connectorkit::Error::Api(api) => {
            assert_eq!(api.status, 404);
            let body = api.body.unwrap();
            assert_eq!(body.code, 404);
            assert_eq!(body.message, "no pet ../admin");
        }
        other => panic!("unexpected error {other:?}"),
    }
    let pet = c.get_pet("p1").await.unwrap();
    assert_eq!(pet.name, "Rex");

    // delete_pet: basic auth and a cookie parameter; 204 → ().
    c.delete_pet(
        "p1",
        &DeletePetParams {
            session: Some("s-9".into()),
        },
    )
    .await
    .unwrap();
    let seen = last(&log);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("DELETE", "/v1/pets/p1")
    );
    // base64("ann:pa:ss")
    assert_eq!(seen.header("authorization"), Some("Basic YW5uOnBhOnNz"));
    assert_eq!(seen.header("cookie"), Some("session=s-9"));

    // upload_photo: raw bytes, API key in the query; text response.
    let sum = c
        .upload_photo("p1", vec![0x89u8, b'P', b'N', b'G'])
        .await
        .unwrap();
    let seen = last(&log);
    assert_eq!(sum, "sha256:abc");
    assert_eq!(seen.method, "PUT");
    assert_eq!(
        seen.query,
        vec![("api_key".to_string(), "query-key-456".to_string())]
    );
    assert_eq!(seen.header("content-type"), Some("image/png"));
    assert_eq!(seen.body, vec![0x89u8, b'P', b'N', b'G']);

    // upload_documents: multipart, API key in a cookie.
    let form = connectorkit::Multipart::new()
        .text("title", &"Vaccination")
        .file(
            "file",
            Some("card.txt"),
            Some("text/plain"),
            b"rabies: 2024".to_vec(),
        );
    let stored = c.upload_documents("p1", form).await.unwrap();
    let seen = last(&log);
    assert_eq!(stored.count, 2);
    assert_eq!(seen.header("cookie"), Some("SESSION=cookie-key-789"));
    let ct = seen.header("content-type").unwrap();
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    let body = String::from_utf8_lossy(&seen.body);
    assert!(
        body.contains("name=\"title\"\r\n\r\nVaccination\r\n"),
        "{body}"
    );
    assert!(body.contains("filename=\"card.txt\""), "{body}");
    assert!(body.contains("rabies: 2024"), "{body}");

    // login: form body, `security: []` → no credential at all.
    let session = c
        .login(&LoginBody {
            username: "ann".into(),
            password: "p&ss word".into(),
        })
        .await
        .unwrap();
    let seen = last(&log);
    assert_eq!(session.session, "s-1");
    assert_eq!(session.expires_in, Some(3600));
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8_lossy(&seen.body),
        "username=ann&password=p%26ss+word"
    );
    assert_eq!(seen.header("x-api-key"), None);
    assert_eq!(seen.header("authorization"), None);
    assert!(seen.query.is_empty());
}

#[tokio::test]
async fn a_header_value_with_crlf_is_rejected_before_sending() {
    let (base, log) = server().await;
    let c = client(&base);
    let err = c
        .list_pets(&ListPetsParams {
            x_request_id: Some("a\r\nX-Injected: 1".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, connectorkit::Error::InvalidRequest(_)),
        "{err:?}"
    );
    assert!(
        log.lock().unwrap().is_empty(),
        "nothing may reach the server"
    );
}

#[tokio::test]
async fn secrets_never_show_in_debug_output() {
    let (base, _log) = server().await;
    let c = client(&base);
    let dbg = format!("{c:?}");
    for secret in [
        "header-key-123",
        "query-key-456",
        "cookie-key-789",
        "pa:ss",
        "token-abc",
    ] {
        assert!(!dbg.contains(secret), "{secret} leaked in {dbg}");
    }
    let err = c.get_pet("../admin").await.unwrap_err();
    let text = format!("{err:?} {err}");
    assert!(!text.contains("token-abc"), "{text}");
}

#[tokio::test]
async fn a_dot_dot_path_value_is_an_error_not_a_traversal() {
    let (base, log) = server().await;
    let c = client(&base);
    let err = c.get_pet("..").await.unwrap_err();
    assert!(
        matches!(err, connectorkit::Error::InvalidRequest(_)),
        "{err:?}"
    );
    assert!(log.lock().unwrap().is_empty());
}
