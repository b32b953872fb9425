//! Per-call overhead of a generated method (`petstore::Client::get_pet`) against the same
//! call written by hand with reqwest, on one `reqwest::Client`, against one local axum
//! server. Batches of the two are interleaved (alternating which goes first) so machine
//! noise hits both alike; reported are the medians of per-call wall time and of client
//! thread CPU time, and of the per-round ratios.
//!
//! Run: `cargo bench -p connectorkit-tests --bench overhead` (env `ROUNDS`, `BATCH`).

use std::time::{Duration, Instant};

use axum::routing::get;
use axum::Router;
use connectorkit_tests::petstore::{Client, Pet};

const PET: &str = r#"{"id":"p1","name":"Rex","status":"adopted","birthDate":"2020-02-29","owner":{"name":"Ann","friends":[{"id":"p2","name":"Tom","status":"in-quarantine"}]}}"#;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn by_hand(http: &reqwest::Client, base: &str, id: &str) -> Pet {
    let resp = http
        .get(format!("{base}/pets/{id}"))
        .header(reqwest::header::AUTHORIZATION, "Bearer bench-token")
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 200);
    let body = resp.bytes().await.expect("body");
    serde_json::from_slice(&body).expect("decode")
}

async fn generated(c: &Client, id: &str) -> Pet {
    c.get_pet(id).await.expect("generated call")
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// CPU time of the calling thread (user + system), in µs.
fn thread_cpu_us() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    ts.tv_sec as f64 * 1e6 + ts.tv_nsec as f64 / 1e3
}

/// The server runs on its own thread and runtime, so the client side (request building,
/// the hyper connection task, decoding) all runs on the bench thread and its CPU time can
/// be measured alone.
fn start_server() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let app = Router::new().route(
                "/v1/pets/{id}",
                get(|| async { ([("content-type", "application/json")], PET) }),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr"))
                .expect("send addr");
            axum::serve(listener, app).await.expect("serve")
        })
    });
    format!("http://{}/v1", rx.recv().expect("server address"))
}

fn main() {
    let rounds = env("ROUNDS", 200);
    let batch = env("BATCH", 50);
    let base = start_server();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        // One reqwest client, the same settings for both.
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .expect("reqwest");
        let runtime = connectorkit::Client::builder(&base)
            .reqwest_client(http.clone())
            .build()
            .expect("runtime client");
        let c = Client::from_runtime(runtime).with_bearer("bench-token");

        // Warm up: connections, allocator, caches.
        for _ in 0..1000 {
            assert_eq!(generated(&c, "p1").await, by_hand(&http, &base, "p1").await);
        }

        let (mut gen_wall, mut hand_wall, mut gen_cpu, mut hand_cpu) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut wall_ratio, mut cpu_ratio) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            let mut this = [(0.0, 0.0); 2];
            for which in [round % 2, 1 - round % 2] {
                let (t, cpu) = (Instant::now(), thread_cpu_us());
                for _ in 0..batch {
                    if which == 0 {
                        std::hint::black_box(generated(&c, "p1").await);
                    } else {
                        std::hint::black_box(by_hand(&http, &base, "p1").await);
                    }
                }
                let n = batch as f64;
                this[which] = (
                    t.elapsed().as_secs_f64() * 1e6 / n,
                    (thread_cpu_us() - cpu) / n,
                );
            }
            gen_wall.push(this[0].0);
            gen_cpu.push(this[0].1);
            hand_wall.push(this[1].0);
            hand_cpu.push(this[1].1);
            wall_ratio.push(this[0].0 / this[1].0);
            cpu_ratio.push(this[0].1 / this[1].1);
        }
        println!(
            "overhead: {rounds} rounds x {batch} calls, generated and hand-written batches interleaved (medians)"
        );
        println!(
            "  wall per call:       generated {:.1} µs, hand-written reqwest {:.1} µs, paired ratio {:.3}",
            median(&mut gen_wall),
            median(&mut hand_wall),
            median(&mut wall_ratio)
        );
        println!(
            "  client CPU per call: generated {:.1} µs, hand-written reqwest {:.1} µs, paired ratio {:.3}",
            median(&mut gen_cpu),
            median(&mut hand_cpu),
            median(&mut cpu_ratio)
        );
    });
}
