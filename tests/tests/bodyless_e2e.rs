//! Responses without a documented JSON body (`tests/definitions/bodyless.yaml`), end to
//! end: a bare 200 and a 204 are `()` whatever the server sends, binary and text bodies are
//! `Bytes` and `String`, an operation with no success response documented returns the raw
//! bytes; none is decoded as JSON.

use std::time::Duration;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get, head, post};
use axum::Router;
use connectorkit_tests::bodyless::Client;

/// Runs `f` with a deadline.
async fn within<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .expect("no answer in time")
}

const BINARY: [u8; 4] = [0, 159, 146, 150];

async fn server() -> String {
    let app = Router::new()
        // A body the definition does not document, and that is not JSON.
        .route("/ping", get(|| async { "pong" }))
        .route(
            "/items/{id}",
            delete(|| async { StatusCode::NO_CONTENT.into_response() }),
        )
        .route(
            "/file",
            get(|| async {
                (
                    [("content-type", "application/octet-stream")],
                    BINARY.to_vec(),
                )
            }),
        )
        .route("/greeting", get(|| async { "hello, world" }))
        // axum answers HEAD with the headers alone, as every server must.
        .route(
            "/status",
            head(|| async { ([("content-type", "application/json")], "{}") }),
        )
        .route(
            "/fire",
            post(|| async { (StatusCode::ACCEPTED, "queued <ok>") }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

fn client(url: &str) -> Client {
    Client::new().unwrap().with_base_url(url).unwrap()
}

#[tokio::test]
async fn a_response_without_a_documented_body_is_unit() {
    let c = client(&server().await);
    let unit: () = within(c.ping()).await.unwrap();
    assert_eq!(unit, ());
    let unit: () = within(c.remove_item("a1")).await.unwrap();
    assert_eq!(unit, ());
    // A HEAD's documented JSON body is never there to decode.
    let unit: () = within(c.status_head()).await.unwrap();
    assert_eq!(unit, ());
}

#[tokio::test]
async fn binary_and_text_bodies_are_bytes_and_string() {
    let c = client(&server().await);
    let bytes: connectorkit::Bytes = within(c.download()).await.unwrap();
    assert_eq!(bytes.as_ref(), BINARY);
    let text: String = within(c.greeting()).await.unwrap();
    assert_eq!(text, "hello, world");
}

#[tokio::test]
async fn no_documented_success_returns_the_raw_body() {
    let c = client(&server().await);
    let bytes: connectorkit::Bytes = within(c.fire()).await.unwrap();
    assert_eq!(bytes.as_ref(), b"queued <ok>");
}
