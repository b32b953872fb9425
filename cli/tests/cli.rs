//! The `connectorkit` binary: URL input (served from 127.0.0.1), batches with a bad input,
//! workspace output with de-duplicated crate names.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("connectorkit-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Serves `body` for every request, `count` times, on a background thread.
fn serve(body: Vec<u8>, count: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let mut s = stream.unwrap();
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/yaml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(&body);
        }
    });
    format!("http://{addr}/api/petstore.yaml")
}

fn connectorkit(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_connectorkit"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn a_url_input_is_fetched_and_generated() {
    let yaml = std::fs::read(root().join("examples/petstore/petstore.yaml")).unwrap();
    let url = serve(yaml, 1);
    let out = scratch("url");
    let o = connectorkit(&[
        "generate",
        &url,
        "--out",
        out.to_str().unwrap(),
        "--name",
        "pets",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let cargo = read(&out.join("Cargo.toml"));
    assert!(cargo.contains("name = \"pets\""), "{cargo}");
    assert!(cargo.contains("version = \"1.2.0\""), "{cargo}");
    assert!(
        cargo.contains("connectorkit = { version = \"0.1.0\", default-features = false }"),
        "{cargo}"
    );
    // The petstore's `pets` tag is a module of its own (`login` is the other).
    assert!(read(&out.join("src/client/pets.rs")).contains("pub async fn list_pets("));
    assert!(read(&out.join("README.md")).contains("`list_pets` — `GET /pets`"));
}

#[test]
fn a_bad_input_fails_alone_and_the_batch_goes_on() {
    let dir = scratch("batch");
    let bad = dir.join("broken.json");
    std::fs::write(
        &bad,
        "{\n  \"openapi\": \"3.0.0\",\n  \"info\": {\"title\": \"x\",, \"version\": \"1\"}\n}\n",
    )
    .unwrap();
    let out = dir.join("ws");
    let pet = root().join("examples/petstore/petstore.yaml");
    let o = connectorkit(&[
        "generate",
        pet.to_str().unwrap(),
        bad.to_str().unwrap(),
        pet.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--runtime-path",
        "runtime",
    ]);
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("broken.json:3:"), "{stderr}");
    assert!(stderr.contains("load/json-syntax"), "{stderr}");
    let ws = read(&out.join("Cargo.toml"));
    assert!(ws.contains("\"connectorkit-petstore\""), "{ws}");
    assert!(ws.contains("\"connectorkit-petstore-2\""), "{ws}");
    let member = read(&out.join("connectorkit-petstore-2/Cargo.toml"));
    assert!(
        member.contains("name = \"connectorkit-petstore-2\""),
        "{member}"
    );
    let runtime = root().join("runtime").canonicalize().unwrap();
    let dep = member
        .lines()
        .find(|l| l.starts_with("connectorkit = { path = "))
        .unwrap()
        .trim_start_matches("connectorkit = { path = \"")
        .trim_end_matches("\", default-features = false }")
        .to_string();
    let resolved = out
        .join("connectorkit-petstore-2")
        .join(dep)
        .canonicalize()
        .unwrap();
    assert_eq!(resolved, runtime);
}

#[test]
fn generation_is_byte_for_byte_deterministic() {
    let pet = root().join("examples/petstore/petstore.yaml");
    let a = scratch("det-a");
    let b = scratch("det-b");
    for out in [&a, &b] {
        let o = connectorkit(&[
            "generate",
            pet.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success());
    }
    for f in [
        "Cargo.toml",
        "README.md",
        "src/lib.rs",
        "src/client.rs",
        "src/types.rs",
    ] {
        assert_eq!(read(&a.join(f)), read(&b.join(f)), "{f}");
    }
}

#[test]
fn completions_cover_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = connectorkit(&["completions", shell]);
        assert!(o.status.success(), "{shell}");
        let script = String::from_utf8(o.stdout).unwrap();
        for command in ["generate", "actions", "call", "import", "validate"] {
            assert!(script.contains(command), "{shell}: {command}");
        }
    }
    let o = connectorkit(&["completions", "tcsh"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}
