//! Retries, timeouts and rate limiting against real servers on 127.0.0.1: 429 with
//! Retry-After, 503, a connection reset mid-body, a slow server, a quota.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Router;
use connectorkit::{Client, Error, Method, RateLimit, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Default)]
struct Counts {
    calls: AtomicUsize,
}

async fn handle(State(c): State<Arc<Counts>>, req: Request) -> axum::response::Response {
    let n = c.calls.fetch_add(1, Ordering::SeqCst) + 1;
    match req.uri().path() {
        "/429" if n == 1 => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "1")],
            "slow down",
        )
            .into_response(),
        "/503" if n <= 2 => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        "/always503" => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        "/400" => StatusCode::BAD_REQUEST.into_response(),
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            "late".into_response()
        }
        _ => format!("ok {n}").into_response(),
    }
}

async fn start() -> (String, Arc<Counts>) {
    let counts = Arc::new(Counts::default());
    let app = Router::new().fallback(handle).with_state(counts.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), counts)
}

fn quick() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(10))
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after() {
    let (base, counts) = start().await;
    let c = Client::builder(&base).retry(quick()).build().unwrap();
    let t = Instant::now();
    let r = c.request(Method::GET, "/429").send::<()>().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text::<()>().unwrap(), "ok 2");
    assert_eq!(counts.calls.load(Ordering::SeqCst), 2);
    // Retry-After: 1 was honoured, not the 10 ms backoff.
    assert!(
        t.elapsed() >= Duration::from_millis(950),
        "{:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn a_503_is_retried_with_backoff_then_succeeds() {
    let (base, counts) = start().await;
    let c = Client::builder(&base).retry(quick()).build().unwrap();
    let r = c.request(Method::GET, "/503").send::<()>().await.unwrap();
    assert_eq!(r.text::<()>().unwrap(), "ok 3");
    assert_eq!(counts.calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn attempts_are_bounded_and_other_errors_not_retried() {
    let (base, counts) = start().await;
    let c = Client::builder(&base)
        .retry(quick().max_attempts(3))
        .build()
        .unwrap();
    let r = c
        .request(Method::GET, "/always503")
        .send::<()>()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(counts.calls.load(Ordering::SeqCst), 3);
    let r = c.request(Method::GET, "/400").send::<()>().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(counts.calls.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn post_is_retried_only_when_the_caller_opts_in() {
    let (base, counts) = start().await;
    let c = Client::builder(&base).retry(quick()).build().unwrap();
    let r = c
        .request(Method::POST, "/503")
        .json(&1)
        .send::<()>()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(counts.calls.load(Ordering::SeqCst), 1);
    let c = Client::builder(&base)
        .retry(quick().retry_non_idempotent(true))
        .build()
        .unwrap();
    let r = c
        .request(Method::POST, "/503")
        .json(&1)
        .send::<()>()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(counts.calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn no_retries_without_a_policy() {
    let (base, counts) = start().await;
    let c = Client::builder(&base).build().unwrap();
    let r = c.request(Method::GET, "/503").send::<()>().await.unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(counts.calls.load(Ordering::SeqCst), 1);
}

/// A raw TCP server: the first connection promises 100 bytes, sends 5 and closes.
async fn resetting_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let conns = Arc::new(AtomicUsize::new(0));
    let seen = conns.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let n = seen.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                if n == 1 {
                    let _ = sock
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nhello")
                        .await;
                } else {
                    let _ = sock
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\nconnection: close\r\n\r\nwhole")
                        .await;
                }
                let _ = sock.shutdown().await;
            });
        }
    });
    (format!("http://{addr}"), conns)
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_retried() {
    let (base, conns) = resetting_server().await;
    let c = Client::builder(&base).build().unwrap();
    let err = c.request(Method::GET, "/x").send::<()>().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let (base, conns2) = resetting_server().await;
    let _ = conns;
    let c = Client::builder(&base).retry(quick()).build().unwrap();
    let r = c.request(Method::GET, "/x").send::<()>().await.unwrap();
    assert_eq!(r.text::<()>().unwrap(), "whole");
    assert_eq!(conns2.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_slow_server_times_out_and_retries_stop_at_the_total_budget() {
    let (base, counts) = start().await;
    let c = Client::builder(&base)
        .timeout(Duration::from_millis(200))
        .retry(
            quick()
                .max_attempts(10)
                .max_total(Duration::from_millis(500)),
        )
        .build()
        .unwrap();
    let err = c
        .request(Method::GET, "/slow")
        .send::<()>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    let calls = counts.calls.load(Ordering::SeqCst);
    assert!((2..=3).contains(&calls), "{calls} calls");
}

#[tokio::test]
async fn the_rate_limit_waits_across_clones() {
    let (base, counts) = start().await;
    // 5 per 500 ms with bursts of 5: 15 calls need 10 more tokens, 1 s of refill.
    let c = Client::builder(&base)
        .rate_limit(RateLimit::new(5, Duration::from_millis(500)))
        .build()
        .unwrap();
    let t = Instant::now();
    let calls = (0..15).map(|i| {
        let c = if i % 2 == 0 {
            c.clone()
        } else {
            c.with_credential("x", connectorkit::Credential::bearer("t"))
        };
        tokio::spawn(async move {
            c.request(Method::GET, "/ok")
                .send::<()>()
                .await
                .map(|r| r.status())
        })
    });
    for r in futures_util::future::join_all(calls).await {
        assert_eq!(r.unwrap().unwrap(), 200);
    }
    assert!(
        t.elapsed() >= Duration::from_millis(950),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(counts.calls.load(Ordering::SeqCst), 15);
    assert_eq!(
        RateLimit::power_platform().requests_per_window(),
        (500, Duration::from_secs(60))
    );
}
