//! The committed file-read cases of the hostile suite (`tests/hostile/*/fileread`), run
//! through the `connectorkit` binary: `refused/` cases exit 1 with a located diagnostic,
//! `generates/` cases exit 0, and for every case no piece of a file outside the definition
//! (system files, this process's environment, the marker texts the cases point at) appears
//! in stdout, stderr or any generated file. Each run has a deadline: a hang fails the test.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A case's entry: the file, or a folder's `main.*` (or the folder: a connector).
fn entry(case: &Path) -> PathBuf {
    if case.is_dir() {
        for m in ["main.yaml", "main.yml", "main.json"] {
            if case.join(m).is_file() {
                return case.join(m);
            }
        }
    }
    case.to_path_buf()
}

fn cases(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e != "md"))
        .collect();
    v.sort();
    v
}

/// Runs a command with a 60 s deadline; returns (exit code, stdout + stderr). Output goes
/// to files, so a large output cannot block the child.
fn run(args: &[&str]) -> (Option<i32>, String) {
    let log = tempfile_path("log");
    let _ = std::fs::create_dir_all(&log);
    let (out, err) = (log.join("stdout"), log.join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_connectorkit"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{args:?} did not finish within 60 s (a hang)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&std::fs::read(&out).unwrap_or_default()),
        String::from_utf8_lossy(&std::fs::read(&err).unwrap_or_default())
    );
    let _ = std::fs::remove_dir_all(&log);
    (status.code(), text)
}

/// A fresh path in the temporary folder (tests run in parallel: each call its own).
fn tempfile_path(name: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "connectorkit-hostile-fileread-{name}-{}-{n}",
        std::process::id()
    ))
}

/// Every file under `dir`, concatenated.
fn all_files(dir: &Path) -> String {
    let mut text = String::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                text.push_str(&all_files(&p));
            } else if let Ok(t) = std::fs::read(&p) {
                text.push_str(&String::from_utf8_lossy(&t));
            }
        }
    }
    text
}

/// Pieces (lines, NUL-separated entries) of 6 bytes or more of every outside file a case
/// could try to read.
fn secrets() -> Vec<String> {
    let mut pieces = vec![
        "HOSTILE-NOTES-MARKER".to_string(),
        "HOSTILE-SCALAR-MARKER".to_string(),
        "HOSTILE-SETTINGS-MARKER".to_string(),
    ];
    for f in [
        "/etc/passwd",
        "/etc/shadow",
        "/etc/hostname",
        "/etc/hosts",
        "/proc/self/environ",
    ] {
        let bytes = std::fs::read(f).unwrap_or_default();
        for piece in String::from_utf8_lossy(&bytes).split(['\n', '\0']) {
            let piece = piece.trim();
            if piece.len() >= 6 && !piece.starts_with('#') {
                pieces.push(piece.to_string());
            }
        }
    }
    pieces
}

fn assert_no_leak(case: &Path, text: &str, secrets: &[String]) {
    for s in secrets {
        assert!(
            !text.contains(s.as_str()),
            "{}: a piece of an outside file leaked: {s:?}\n{text}",
            case.display()
        );
    }
}

#[test]
fn refused_fileread_cases_are_refused_and_echo_nothing_outside() {
    let secrets = secrets();
    let cases = cases("tests/hostile/refused/fileread");
    assert!(cases.len() >= 20, "{} cases", cases.len());
    for case in cases {
        let e = entry(&case);
        let out = tempfile_path("refused");
        let _ = std::fs::remove_dir_all(&out);
        let (code, text) = run(&[
            "generate",
            e.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, Some(1), "{}: {text}", case.display());
        assert!(
            text.lines().any(|l| l.contains("-->") && l.contains(':')),
            "{}: no located diagnostic: {text}",
            case.display()
        );
        let generated = all_files(&out);
        let _ = std::fs::remove_dir_all(&out);
        assert_no_leak(&case, &format!("{text}{generated}"), &secrets);
        for cmd in ["validate", "convert"] {
            let (code, text) = run(&[cmd, e.to_str().unwrap()]);
            assert_eq!(code, Some(1), "{cmd} {}: {text}", case.display());
            assert_no_leak(&case, &text, &secrets);
        }
    }
}

#[test]
fn generates_fileread_cases_generate_and_read_nothing_outside() {
    let secrets = secrets();
    for case in cases("tests/hostile/generates/fileread") {
        let e = entry(&case);
        let out = tempfile_path("generates");
        let _ = std::fs::remove_dir_all(&out);
        let (code, text) = run(&[
            "generate",
            e.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, Some(0), "{}: {text}", case.display());
        let generated = all_files(&out);
        let _ = std::fs::remove_dir_all(&out);
        assert!(
            generated.contains("pub struct Client"),
            "{}",
            case.display()
        );
        assert_no_leak(&case, &format!("{text}{generated}"), &secrets);
    }
}
