//! Exit codes (issue 13): `generate`, `convert` and `validate` exit non-zero when an error was
//! reported; `generate` does not overwrite a folder it did not generate unless `--force`;
//! `--ref-root` widens where `$ref`s may read, on all three commands; a definition fetched
//! from a URL reads no local file.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("connectorkit-exit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn connectorkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_connectorkit"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const DANGLING: &str = "openapi: 3.0.3\ninfo: {title: Dangling, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Missing'\n";

#[test]
fn generate_exits_non_zero_on_an_error() {
    let dir = scratch("gen");
    let def = dir.join("dangling.yaml");
    std::fs::write(&def, DANGLING).unwrap();
    let out = dir.join("out");
    let o = connectorkit(&["generate", s(&def), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("ref/dangling"), "{e}");
    assert!(e.contains("dangling.yaml:12:"), "located: {e}");
    assert!(e.contains("1 failed"), "{e}");
}

#[test]
fn convert_exits_non_zero_on_an_error() {
    let dir = scratch("convert");
    let def = dir.join("dangling.yaml");
    std::fs::write(&def, DANGLING).unwrap();
    let o = connectorkit(&["convert", s(&def)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("ref/dangling"), "{}", stderr(&o));
    let pet = root().join("examples/petstore/petstore.yaml");
    let o = connectorkit(&["convert", s(&pet)]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn validate_exits_non_zero_on_an_error() {
    let dir = scratch("validate");
    let def = dir.join("dangling.yaml");
    std::fs::write(&def, DANGLING).unwrap();
    let pet = root().join("examples/petstore/petstore.yaml");
    let o = connectorkit(&["validate", s(&pet), s(&def)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = connectorkit(&["validate", s(&pet)]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn generate_does_not_overwrite_a_folder_it_did_not_generate() {
    let dir = scratch("force");
    let out = dir.join("mine");
    std::fs::create_dir_all(out.join("src")).unwrap();
    let manifest = "[package]\nname = \"mine\"\n";
    std::fs::write(out.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(out.join("src/lib.rs"), "// hand-written\n").unwrap();
    let pet = root().join("examples/petstore/petstore.yaml");
    let o = connectorkit(&["generate", s(&pet), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("Cargo.toml")).unwrap(),
        manifest
    );
    assert_eq!(
        std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
        "// hand-written\n"
    );
    // --force writes; then the folder is ours and a second run needs no --force.
    let o = connectorkit(&["generate", s(&pet), "--out", s(&out), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = connectorkit(&["generate", s(&pet), "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    // An existing file is not a folder to write into.
    let file = dir.join("file");
    std::fs::write(&file, "x").unwrap();
    let o = connectorkit(&["generate", s(&pet), "--out", s(&file)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // A workspace member folder that is not ours is refused too.
    let ws = dir.join("ws");
    let o = connectorkit(&["generate", s(&pet), s(&pet), "--out", s(&ws)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let member = ws.join("connectorkit-petstore");
    std::fs::remove_dir_all(&member).unwrap();
    std::fs::create_dir_all(&member).unwrap();
    std::fs::write(member.join("notes.txt"), "mine").unwrap();
    std::fs::remove_dir_all(ws.join("connectorkit-petstore-2")).unwrap();
    let o = connectorkit(&["generate", s(&pet), s(&pet), "--out", s(&ws)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert!(ws.join("connectorkit-petstore-2/src/lib.rs").exists());
    assert!(!member.join("src").exists());
    assert_eq!(
        std::fs::read_to_string(member.join("notes.txt")).unwrap(),
        "mine"
    );
    // A non-empty folder without a generated manifest is refused as a whole.
    let other = dir.join("other");
    std::fs::create_dir_all(other.join("x")).unwrap();
    let o = connectorkit(&["generate", s(&pet), s(&pet), "--out", s(&other)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!other.join("Cargo.toml").exists());
}

/// A tree like `petstore-separate`: `spec/main.yaml` refers to `../common/Error.yaml`.
fn tree(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir.join("spec")).unwrap();
    std::fs::create_dir_all(dir.join("common")).unwrap();
    std::fs::write(
        dir.join("common/Error.yaml"),
        "type: object\nproperties:\n  code: {type: integer}\n  message: {type: string}\n",
    )
    .unwrap();
    let main = dir.join("spec/main.yaml");
    std::fs::write(
        &main,
        "openapi: 3.0.3\ninfo: {title: Tree, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        default:\n          description: failed\n          content:\n            application/json:\n              schema:\n                $ref: '../common/Error.yaml'\n",
    )
    .unwrap();
    main
}

#[test]
fn ref_root_widens_where_refs_read_on_every_command() {
    let dir = scratch("tree");
    let main = tree(&dir);
    let out = dir.join("out");
    let runs: [Vec<&str>; 3] = [
        vec!["generate", s(&main), "--out", s(&out)],
        vec!["convert", s(&main)],
        vec!["validate", s(&main)],
    ];
    for args in &runs {
        let o = connectorkit(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains("ref/outside-root"), "{e}");
        assert!(
            e.contains("../common/Error.yaml"),
            "names the reference: {e}"
        );
        assert!(e.contains("main.yaml:12:"), "located: {e}");
        let want = format!("--ref-root {}", dir.display());
        assert!(e.contains(&want), "names `{want}`: {e}");
        let mut args = args.clone();
        args.extend(["--ref-root", s(&dir)]);
        let o = connectorkit(&args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    assert!(std::fs::read_to_string(out.join("src/types.rs"))
        .unwrap()
        .contains("pub struct Error"));
}

/// Serves `body` once per request on a background thread.
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
    format!("http://{addr}/api/main.yaml")
}

#[test]
fn a_definition_from_a_url_reads_no_local_file() {
    let dir = scratch("url");
    let main = tree(&dir);
    let text = std::fs::read_to_string(&main)
        .unwrap()
        .replace("../common/Error.yaml", "../../../../../../../../etc/passwd");
    let url = serve(text.into_bytes(), 1);
    let o = connectorkit(&["generate", &url, "--out", s(&dir.join("out"))]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("ref/remote-base"), "{e}");
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    for line in passwd.lines().filter(|l| l.len() >= 6) {
        assert!(!e.contains(line), "leaked {line:?}: {e}");
    }
}
