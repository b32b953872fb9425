//! Generation benchmark (prints figures; not a timed test).
//!
//! `cargo bench -p connectorkit-generator` prints, for GitHub and Nexus: generation time
//! (load → normalize → model → emit, best and median of several runs), generated lines and
//! lines per operation. With `CK_BENCH_CHECK=1` it also times `cargo check` of the generated
//! Nexus crate alone (dependencies built first, incremental off).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use connectorkit_generator::{CrateOptions, GeneratedCrate, RuntimeDependency};

fn corpus(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/openapi")
        .join(rel)
}

fn generate(path: &Path, runtime: &Path) -> GeneratedCrate {
    let options = CrateOptions {
        name: None,
        runtime: RuntimeDependency::Path(runtime.display().to_string()),
        conformance: false,
        ..CrateOptions::default()
    };
    match connectorkit_generator::generate_crate(path, &options) {
        Ok(c) => c,
        Err(f) => panic!("{} failed:\n{f}", path.display()),
    }
}

fn rust_lines(c: &GeneratedCrate) -> usize {
    c.files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "rs"))
        .map(|f| f.contents.lines().count())
        .sum()
}

fn main() {
    let runtime = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let runs = std::env::var("CK_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(7usize);
    println!(
        "{:<12} {:>8} {:>10} {:>10} {:>9} {:>9}",
        "definition", "actions", "best", "median", "lines", "lines/op"
    );
    let mut nexus = None;
    for (name, rel) in [
        ("github", "github/api.github.com.json"),
        ("nexus", "oxide/nexus.json"),
        ("stripe", "stripe/spec3.json"),
    ] {
        let path = corpus(rel);
        let mut times: Vec<Duration> = Vec::new();
        let mut last = None;
        for _ in 0..runs {
            let t = Instant::now();
            let c = generate(&path, &runtime);
            times.push(t.elapsed());
            last = Some(c);
        }
        times.sort();
        let Some(c) = last else { return };
        let lines = rust_lines(&c);
        println!(
            "{:<12} {:>8} {:>9.3}s {:>9.3}s {:>9} {:>9.1}",
            name,
            c.actions,
            times[0].as_secs_f64(),
            times[times.len() / 2].as_secs_f64(),
            lines,
            lines as f64 / c.actions.max(1) as f64
        );
        if name == "nexus" {
            nexus = Some(c);
        }
    }
    if std::env::var("CK_BENCH_CHECK").is_ok() {
        if let Some(c) = nexus {
            check_time(&c, &runtime);
        }
    }
}

/// Writes the crate, builds its dependencies, then times `cargo check` of the crate alone.
fn check_time(c: &GeneratedCrate, runtime: &Path) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-nexus");
    let _ = std::fs::remove_dir_all(dir.join("src"));
    for f in &c.files {
        let p = dir.join(&f.path);
        if let Some(parent) = p.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let contents = if f.path == Path::new("Cargo.toml") {
            f.contents.replace(
                &format!("{{ path = \"{}\" }}", runtime.display()),
                &format!(
                    "{{ path = \"{}\" }}",
                    runtime.canonicalize().unwrap_or_default().display()
                ),
            ) + "\n[workspace]\n"
        } else {
            f.contents.clone()
        };
        let _ = std::fs::write(p, contents);
    }
    let cargo = || {
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.current_dir(&dir).env("CARGO_INCREMENTAL", "0");
        cmd
    };
    let _ = cargo().args(["check", "-q"]).status();
    let mut times = Vec::new();
    for _ in 0..3 {
        let _ = cargo().args(["clean", "-q", "-p", &c.name]).status();
        let t = Instant::now();
        let ok = cargo()
            .args(["check", "-q"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        times.push(t.elapsed());
        if !ok {
            println!("cargo check of the generated Nexus crate FAILED");
            return;
        }
    }
    times.sort();
    println!(
        "cargo check of the generated Nexus crate alone (deps built, incremental off): best {:.2}s, median {:.2}s (progenitor: 7.0-8.5 s)",
        times[0].as_secs_f64(),
        times[1].as_secs_f64()
    );
}
