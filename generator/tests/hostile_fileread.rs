//! Hostile definitions that try to read local files through `$ref` (issue 13): outside the
//! input's folder, devices, pipes, `/proc`, symlinks, non-definition files, definitions read
//! from a URL. Cases that need a device, a FIFO or a symlink cannot be committed as files,
//! so they are written here into a temporary folder.
//!
//! Each case runs on a thread with a deadline (a hang fails the test instead of hanging it)
//! and asserts that nothing of the outside file appears in the diagnostics or the generated
//! files.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use connectorkit_generator::{prepare_bytes_with, prepare_file_with, CrateOptions, LoadOptions};

/// What one run produced: every diagnostic as printed, every generated file, and whether it
/// was refused (an error diagnostic).
struct Outcome {
    text: String,
    refused: bool,
    codes: Vec<&'static str>,
}

fn outcome(
    result: Result<connectorkit_generator::Prepared, connectorkit_generator::Failure>,
) -> Outcome {
    let (diags, files) = match result {
        Ok(p) => {
            let diags = p.diagnostics.clone();
            let files = match p.into_crate(&CrateOptions::default()) {
                Ok(c) => c.files.into_iter().map(|f| f.contents).collect(),
                Err(f) => f.diagnostics.iter().map(|d| d.to_string()).collect(),
            };
            (diags, files)
        }
        Err(f) => (f.diagnostics, Vec::new()),
    };
    let mut text = String::new();
    for d in &diags {
        text.push_str(&d.to_string());
        text.push('\n');
        if let Some(h) = &d.hint {
            text.push_str(h);
            text.push('\n');
        }
    }
    for f in files {
        text.push_str(&f);
    }
    Outcome {
        refused: diags.iter().any(|d| d.is_error()),
        codes: diags.iter().map(|d| d.code).collect(),
        text,
    }
}

/// Runs `f` on a thread; fails the test when it takes more than 20 s (a hang).
fn with_deadline<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .expect("spawn");
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the case did not finish within 20 s (a hang)")
}

fn run_file(path: PathBuf, ref_root: Option<PathBuf>) -> Outcome {
    with_deadline(move || outcome(prepare_file_with(&path, &LoadOptions { ref_root })))
}

/// Asserts that no piece of `outside` (its lines and NUL-separated entries of 6 bytes or
/// more) appears in `text`.
fn assert_no_leak(outside: &[u8], text: &str) {
    let outside = String::from_utf8_lossy(outside);
    for piece in outside.split(['\n', '\0']) {
        let piece = piece.trim();
        if piece.len() >= 6 {
            assert!(
                !text.contains(piece),
                "a piece of the outside file leaked: {piece:?}\n--- output ---\n{text}"
            );
        }
    }
}

const MARKER: &str = "OUTSIDE-SECRET-7f3a9c";

fn definition(r: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: Leak, version: '1'}}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '{r}'\n"
    )
}

/// A temporary tree: `root/` holds the definition, `outside/secret.yaml` sits beside it.
struct Tree {
    _dir: tempfile::TempDir,
    root: PathBuf,
    outside: PathBuf,
}

fn tree() -> Tree {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("root");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&root).expect("mkdir");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::write(
        outside.join("secret.yaml"),
        format!(
            "type: object\ndescription: {MARKER}\nproperties:\n  {MARKER}x: {{type: string}}\n"
        ),
    )
    .expect("write");
    std::fs::write(outside.join("secret.txt"), format!("{MARKER}\n")).expect("write");
    Tree {
        _dir: dir,
        root,
        outside,
    }
}

fn case(t: &Tree, r: &str) -> Outcome {
    let main = t.root.join("main.yaml");
    std::fs::write(&main, definition(r)).expect("write");
    run_file(main, None)
}

fn refused_with(o: &Outcome, code: &str) {
    assert!(o.refused, "not refused:\n{}", o.text);
    assert!(
        o.codes.contains(&code),
        "expected {code}, got {:?}\n{}",
        o.codes,
        o.text
    );
}

#[test]
fn parent_traversal_to_etc_passwd_is_refused() {
    let t = tree();
    let o = case(&t, "../../../../../../../../etc/passwd");
    refused_with(&o, "ref/not-a-definition-file");
    assert_no_leak(&std::fs::read("/etc/passwd").unwrap_or_default(), &o.text);
}

#[test]
fn absolute_paths_to_system_files_are_refused() {
    let t = tree();
    for r in ["/etc/passwd", "/etc/hostname", "/etc/shadow"] {
        let o = case(&t, r);
        refused_with(&o, "ref/not-a-definition-file");
        assert_no_leak(&std::fs::read(r).unwrap_or_default(), &o.text);
    }
}

#[test]
fn proc_self_environ_is_never_read() {
    let t = tree();
    for r in [
        "/proc/self/environ",
        "/proc/self/environ#/x",
        "/proc/self/status",
    ] {
        let o = case(&t, r);
        refused_with(&o, "ref/not-a-definition-file");
        assert_no_leak(
            &std::fs::read("/proc/self/environ").unwrap_or_default(),
            &o.text,
        );
    }
}

#[test]
fn devices_are_never_opened() {
    let t = tree();
    for r in ["/dev/zero", "/dev/urandom", "/dev/stdin"] {
        let o = case(&t, r);
        refused_with(&o, "ref/not-a-definition-file");
    }
}

#[test]
fn a_device_with_a_definition_extension_is_not_read() {
    // /dev/zero through a symlink named like a definition, inside the root.
    let t = tree();
    std::os::unix::fs::symlink("/dev/zero", t.root.join("zero.json")).expect("symlink");
    let o = case(&t, "zero.json");
    refused_with(&o, "ref/outside-root");
}

#[test]
fn a_named_pipe_does_not_block() {
    let t = tree();
    let fifo = t.root.join("pipe.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !made {
        eprintln!("mkfifo is not available; skipped");
        return;
    }
    let o = case(&t, "pipe.yaml");
    refused_with(&o, "ref/unreadable-file");
    assert!(o.text.contains("not a regular file"), "{}", o.text);
    // The input itself may not be a pipe either.
    let o = run_file(fifo, None);
    refused_with(&o, "load/io");
}

#[test]
fn a_symlink_inside_the_root_to_a_file_outside_is_refused() {
    let t = tree();
    std::os::unix::fs::symlink(t.outside.join("secret.yaml"), t.root.join("link.yaml"))
        .expect("symlink");
    std::os::unix::fs::symlink("/etc/passwd", t.root.join("passwd.yaml")).expect("symlink");
    let o = case(&t, "link.yaml");
    refused_with(&o, "ref/outside-root");
    assert_no_leak(MARKER.as_bytes(), &o.text);
    let o = case(&t, "passwd.yaml");
    refused_with(&o, "ref/outside-root");
    assert_no_leak(&std::fs::read("/etc/passwd").unwrap_or_default(), &o.text);
}

#[test]
fn a_file_beside_the_folder_needs_ref_root_and_the_error_says_so() {
    let t = tree();
    let o = case(&t, "../outside/secret.yaml");
    refused_with(&o, "ref/outside-root");
    assert_no_leak(MARKER.as_bytes(), &o.text);
    assert!(o.text.contains("--ref-root"), "{}", o.text);
    assert!(o.text.contains("../outside/secret.yaml"), "{}", o.text);
    assert!(o.text.contains("main.yaml:"), "located: {}", o.text);
    // With the root at the tree's top, the same file is read.
    let top = t.root.parent().expect("parent").to_path_buf();
    let o = run_file(t.root.join("main.yaml"), Some(top));
    assert!(!o.refused, "{}", o.text);
    assert!(o.text.contains(MARKER), "the widened root reads the file");
}

#[test]
fn non_definition_files_in_the_root_are_refused() {
    let t = tree();
    std::fs::write(t.root.join("notes.txt"), format!("{MARKER}\n")).expect("write");
    let o = case(&t, "notes.txt");
    refused_with(&o, "ref/not-a-definition-file");
    assert_no_leak(MARKER.as_bytes(), &o.text);
    // A `.yaml` whose whole content is one scalar is a text file, not a definition.
    std::fs::write(
        t.root.join("scalar.yaml"),
        format!("{MARKER} and more words\n"),
    )
    .expect("write");
    let o = case(&t, "scalar.yaml");
    refused_with(&o, "ref/not-a-definition-file");
    assert_no_leak(MARKER.as_bytes(), &o.text);
}

#[test]
fn an_oversized_file_is_refused_without_reading_it() {
    let t = tree();
    let big = std::fs::File::create(t.root.join("big.json")).expect("create");
    big.set_len(connectorkit_generator::load::MAX_FILE_BYTES + 1)
        .expect("sparse file");
    let o = case(&t, "big.json");
    refused_with(&o, "ref/unreadable-file");
    assert!(o.text.contains("MiB"), "{}", o.text);
}

#[test]
fn a_definition_read_from_a_url_reads_no_local_file() {
    let t = tree();
    // The URL's "folder" is not a folder on this disk, whatever it is named.
    std::fs::write(t.root.join("sibling.yaml"), "type: string\n").expect("write");
    for r in [
        "../../../../../../etc/passwd",
        "/etc/passwd",
        "sibling.yaml",
        "../outside/secret.yaml",
    ] {
        let text = definition(r);
        let o = with_deadline(move || {
            outcome(prepare_bytes_with(
                Path::new("http://127.0.0.1:9/api/main.yaml"),
                text.as_bytes(),
                &LoadOptions::default(),
            ))
        });
        refused_with(&o, "ref/remote-base");
        assert_no_leak(&std::fs::read("/etc/passwd").unwrap_or_default(), &o.text);
        assert_no_leak(MARKER.as_bytes(), &o.text);
    }
}

#[test]
fn the_input_itself_is_a_regular_file() {
    for p in ["/dev/zero", "/proc/self/environ"] {
        let o = run_file(PathBuf::from(p), None);
        assert!(o.refused, "{p}: {}", o.text);
        assert_no_leak(
            &std::fs::read("/proc/self/environ").unwrap_or_default(),
            &o.text,
        );
    }
}

#[test]
fn a_connector_folder_whose_files_are_symlinks_out_is_refused() {
    let t = tree();
    let folder = t.root.join("Contoso");
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::fs::write(
        folder.join("apiDefinition.swagger.json"),
        r#"{"swagger": "2.0", "info": {"title": "C", "version": "1"}, "host": "example.com", "paths": {}}"#,
    )
    .expect("write");
    std::os::unix::fs::symlink(
        t.outside.join("secret.yaml"),
        folder.join("apiProperties.json"),
    )
    .expect("symlink");
    let o = run_file(folder, None);
    refused_with(&o, "load/outside-folder");
    assert_no_leak(MARKER.as_bytes(), &o.text);
}

#[test]
fn an_in_root_multi_file_tree_still_works() {
    let t = tree();
    std::fs::create_dir_all(t.root.join("models")).expect("mkdir");
    std::fs::write(
        t.root.join("models/pet.yaml"),
        "Pet:\n  type: object\n  properties:\n    name: {type: string}\n    tag: {$ref: 'tag.yml'}\n",
    )
    .expect("write");
    std::fs::write(t.root.join("models/tag.yml"), "type: string\n").expect("write");
    let o = case(&t, "models/pet.yaml#/Pet");
    assert!(!o.refused, "{}", o.text);
    assert!(o.text.contains("pub struct Pet"), "{}", o.text);
}

#[test]
fn a_value_picked_out_of_a_yaml_file_in_the_root_is_not_echoed() {
    let t = tree();
    std::fs::write(
        t.root.join("settings.yaml"),
        format!("password: {MARKER}\nport: 8080\n"),
    )
    .expect("write");
    for r in ["settings.yaml#/password", "settings.yaml#/port"] {
        let o = case(&t, r);
        refused_with(&o, "ref/not-an-object");
        assert_no_leak(MARKER.as_bytes(), &o.text);
    }
}

#[test]
fn text_for_a_description_may_come_from_a_file_in_the_root() {
    let t = tree();
    std::fs::write(t.root.join("texts.yaml"), "intro: Read me first.\n").expect("write");
    let main = t.root.join("main.yaml");
    std::fs::write(
        &main,
        "openapi: 3.0.3\ninfo:\n  title: Texts\n  version: '1'\n  description: {$ref: 'texts.yaml#/intro'}\npaths: {}\n",
    )
    .expect("write");
    let o = run_file(main, None);
    assert!(!o.refused, "{}", o.text);
    assert!(o.text.contains("Read me first."), "{}", o.text);
}
