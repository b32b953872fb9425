// One usage file, compiled against every way of generating the pet store client: the
// `connector!` macro (examples/macro-user), build.rs (examples/build-rs-user) and the CLI
// (examples/generated-crate). Each test file defines `api` as that client's module and
// `include!`s this file, so the same calls must compile and behave the same against all.

use std::sync::{Arc, Mutex};

use api::{Client, ListPetsParams, NewPet, PetStatus};
use axum::body::{to_bytes, Body};
use axum::http::Request;
use axum::response::IntoResponse;
use axum::Router;

/// (method, path, query, x-api-key, body) of each request the server received.
type Log = Arc<Mutex<Vec<(String, String, String, String, Vec<u8>)>>>;

async fn server() -> (String, Log) {
    let log: Log = Arc::default();
    let l = log.clone();
    let app = Router::new().fallback(move |req: Request<Body>| {
        let l = l.clone();
        async move {
            let method = req.method().to_string();
            let path = req.uri().path().to_string();
            let query = req.uri().query().unwrap_or_default().to_string();
            let key = req
                .headers()
                .get("x-api-key")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let body = to_bytes(req.into_body(), 1 << 20).await.unwrap().to_vec();
            l.lock()
                .unwrap()
                .push((method.clone(), path.clone(), query, key, body));
            let pet = serde_json::json!({"id": "p1", "name": "Rex", "status": "adopted"});
            let (status, v) = match method.as_str() {
                "GET" => (200, serde_json::json!([pet])),
                _ => (201, pet),
            };
            (
                axum::http::StatusCode::from_u16(status).unwrap(),
                [("content-type", "application/json")],
                v.to_string(),
            )
                .into_response()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/v1"), log)
}

#[tokio::test]
async fn list_and_create_against_a_local_server() {
    let (base, log) = server().await;
    let client = Client::new()
        .unwrap()
        .with_base_url(&base)
        .unwrap()
        .with_api_key("k-1");
    let pets = client
        .list_pets(&ListPetsParams {
            limit: Some(3),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(pets.len(), 1);
    assert_eq!(pets[0].id, "p1");
    assert_eq!(pets[0].status, Some(PetStatus::Adopted));
    let created = client
        .create_pet(&NewPet {
            name: "Tom".into(),
            tag: None,
            status: None,
            birth_date: None,
        })
        .await
        .unwrap();
    assert_eq!(created.name, "Rex");
    let seen = log.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        (seen[0].0.as_str(), seen[0].1.as_str(), seen[0].2.as_str()),
        ("GET", "/v1/pets", "limit=3")
    );
    assert_eq!(seen[0].3, "k-1");
    assert_eq!((seen[1].0.as_str(), seen[1].1.as_str()), ("POST", "/v1/pets"));
    let sent: serde_json::Value = serde_json::from_slice(&seen[1].4).unwrap();
    assert_eq!(sent["name"], "Tom");
}
