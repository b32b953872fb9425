//! Modules and cargo features (issue 17) on `tests/definitions/modules.yaml`: the generated
//! crate, built with one module's feature, calls a server on 127.0.0.1 through that module
//! and does not have the other modules' methods or types; `--tags` keeps only the kept
//! actions' types.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "connectorkit-modules-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn definition() -> String {
    root()
        .join("tests/definitions/modules.yaml")
        .display()
        .to_string()
}

fn generate(out: &Path, extra: &[&str]) -> Output {
    let runtime = root().join("runtime");
    Command::new(env!("CARGO_BIN_EXE_connectorkit"))
        .args(["generate", &definition(), "--out"])
        .arg(out)
        .args(["--name", "modules-client", "--runtime-path"])
        .arg(&runtime)
        .args(extra)
        .output()
        .unwrap()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Waits for `child` at most `limit`, killing it past that; returns its status and output.
fn finish(mut child: Child, limit: Duration, what: &str) -> (ExitStatus, String) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut text = String::new();
            if let Some(mut o) = child.stdout.take() {
                o.read_to_string(&mut text).unwrap();
            }
            if let Some(mut e) = child.stderr.take() {
                e.read_to_string(&mut text).unwrap();
            }
            return (status, text);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `cargo <args>` in the generated crate, with a target dir kept between runs (the
/// workspace's own is locked by this test's cargo). Output is captured; 15 minutes at most.
fn cargo(dir: &Path, args: &[&str]) -> (ExitStatus, String) {
    let child = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root().join("target/modules-test"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    finish(child, Duration::from_secs(900), &format!("cargo {args:?}"))
}

/// Answers one request with `body` (JSON) and sends back the request line it received.
fn serve_once(body: &'static str) -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        // The rest of the head.
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                break;
            }
        }
        let mut s = stream;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        let _ = s.write_all(head.as_bytes());
        let _ = s.write_all(body.as_bytes());
        let _ = tx.send(line.trim_end().to_string());
    });
    (format!("http://{addr}"), rx)
}

#[test]
fn one_module_feature_builds_that_module_alone_and_calls_it() {
    let out = scratch("crate");
    let generated = generate(&out, &[]);
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    // The layout: a file and a feature per module; `full` is the default.
    let manifest = read(&out.join("Cargo.toml"));
    for line in [
        "default = [\"full\"]",
        "full = [\"pets\", \"store_orders\", \"health\"]",
        "all-schemas = []",
        "pets = []",
        "store_orders = []",
        "health = []",
    ] {
        assert!(manifest.contains(line), "{line} missing from\n{manifest}");
    }
    for module in ["pets", "store_orders", "health"] {
        assert!(out.join(format!("src/client/{module}.rs")).exists());
    }
    // `placeOrder` has two tags and is in the first one's module only.
    assert!(read(&out.join("src/client/store_orders.rs")).contains("pub async fn place_order("));
    assert!(!read(&out.join("src/client/pets.rs")).contains("place_order"));
    // Each type carries the features of the modules that need it.
    let types = read(&out.join("src/types.rs"));
    assert!(types.contains("#[cfg(any(feature = \"pets\", feature = \"store_orders\"))]\n#[derive"));
    assert!(types.contains("#[cfg(feature = \"store_orders\")]\n#[derive"));
    assert!(types.contains("#[cfg(feature = \"all-schemas\")]\n#[derive"));

    // Built with `pets` alone, the client calls `get_pet` on a real server.
    std::fs::create_dir_all(out.join("examples")).unwrap();
    std::fs::write(
        out.join("examples/pets_only.rs"),
        r#"
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let base = std::env::args().nth(1).expect("base URL");
    let client = modules_client::Client::new().unwrap().with_base_url(&base).unwrap();
    let pet: modules_client::Pet = client.get_pet(7).await.expect("get_pet");
    println!("pet {} {} owned by {:?}", pet.id, pet.name, pet.owner.and_then(|o| o.name));
}
"#,
    )
    .unwrap();
    std::fs::write(
        out.join("examples/orders.rs"),
        r#"
fn main() {
    let _order = modules_client::Order::default();
    let _call = modules_client::Client::place_order;
}
"#,
    )
    .unwrap();
    let mut manifest = manifest;
    manifest.push_str("\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n\n[workspace]\n");
    std::fs::write(out.join("Cargo.toml"), manifest).unwrap();

    let (status, log) = cargo(
        &out,
        &[
            "build",
            "-q",
            "--no-default-features",
            "--features",
            "pets",
            "--example",
            "pets_only",
        ],
    );
    assert!(status.success(), "the pets-only build failed:\n{log}");
    let (base, received) = serve_once(r#"{"id":7,"name":"Rex","owner":{"name":"Ann"}}"#);
    let exe = root().join("target/modules-test/debug/examples/pets_only");
    let child = Command::new(exe)
        .arg(&base)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (status, log) = finish(child, Duration::from_secs(60), "pets_only");
    assert!(status.success(), "{log}");
    assert_eq!(log.trim(), "pet 7 Rex owned by Some(\"Ann\")");
    assert_eq!(
        received.recv_timeout(Duration::from_secs(10)).unwrap(),
        "GET /pets/7 HTTP/1.1"
    );

    // Without `store_orders`, neither its method nor the type only it needs exists…
    let (status, log) = cargo(
        &out,
        &[
            "check",
            "--no-default-features",
            "--features",
            "pets",
            "--example",
            "orders",
        ],
    );
    assert!(
        !status.success(),
        "orders built without store_orders:\n{log}"
    );
    assert!(log.contains("`Order`"), "{log}");
    assert!(log.contains("place_order"), "{log}");
    // …and with it, both do.
    let (status, log) = cargo(
        &out,
        &[
            "check",
            "--no-default-features",
            "--features",
            "store_orders",
            "--example",
            "orders",
        ],
    );
    assert!(status.success(), "{log}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn tags_keep_only_their_actions_and_types() {
    let out = scratch("tags");
    let generated = generate(&out, &["--tags", "pets"]);
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let types = read(&out.join("src/types.rs"));
    assert!(types.contains("pub struct Pet "), "{types}");
    assert!(types.contains("pub struct Owner "), "{types}");
    // `Order` only served `placeOrder` (first tag `Store Orders`, second `pets`: kept, as
    // `--tags` matches any tag), so it stays; `Audit` no action uses goes.
    assert!(types.contains("pub struct Order "), "{types}");
    assert!(!types.contains("Audit"), "{types}");
    assert!(!out.join("src/client/health.rs").exists());

    let out2 = scratch("exclude");
    let generated = generate(&out2, &["--exclude-tags", "Store Orders"]);
    assert!(generated.status.success());
    let types = read(&out2.join("src/types.rs"));
    assert!(!types.contains("pub struct Order "), "{types}");
    assert!(!types.contains("Audit"), "{types}");
    let all = [
        read(&out2.join("src/client.rs")),
        read(&out2.join("src/client/pets.rs")),
    ]
    .concat();
    assert!(!all.contains("place_order"));
    assert!(all.contains("get_pet"));

    let bad = generate(&scratch("bad"), &["--tags", "nope"]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("unknown tag `nope`"), "{err}");
    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_dir_all(&out2);
}
