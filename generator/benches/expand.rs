//! `connector!` expansion benchmark (prints figures; not a timed test).
//!
//! `cargo bench -p connectorkit-generator --bench expand` times what the macro does for one
//! invocation (load → normalize → model → emit → tokens, the `connector!` path) on the
//! largest Power Platform connector (Impexium) and on Nexus: best and median of several runs.
//! Run it with `--profile dev` too: in a debug build, cargo compiles proc macros unoptimized.
//!
//! With `CK_BENCH_NOOP=1` it also times a no-op `cargo build` of examples/macro-user after
//! touching an unrelated file, against the same for an empty crate, side by side.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use connectorkit_generator::Options;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The work of one `connector!` expansion, without the proc_macro bridge.
fn expand(path: &Path) -> usize {
    let mut prepared = match connectorkit_generator::prepare_file(path) {
        Ok(p) => p,
        Err(f) => panic!("{} failed:\n{f}", path.display()),
    };
    if let Err(e) = Options::default().apply(&mut prepared.connector, &prepared.normalized) {
        panic!("{e:?}");
    }
    let code =
        match connectorkit_generator::emit::module(&prepared.connector, &prepared.source_name) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
    match code.parse::<proc_macro2::TokenStream>() {
        Ok(t) => t.into_iter().count(),
        Err(e) => panic!("{e}"),
    }
}

fn stats(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    (times[0].as_secs_f64(), times[times.len() / 2].as_secs_f64())
}

fn main() {
    let runs = std::env::var("CK_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(7usize);
    let corpus = root().join("../shared/corpus");
    println!(
        "{:<10} {:>9} {:>9}  (connector! expansion, {runs} runs)",
        "input", "best", "median"
    );
    for (name, path) in [
        (
            "impexium",
            corpus.join("powerplatform/certified-connectors/Impexium"),
        ),
        ("nexus", corpus.join("openapi/oxide/nexus.json")),
    ] {
        let times = (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(expand(&path));
                t.elapsed()
            })
            .collect();
        let (best, median) = stats(times);
        println!("{name:<10} {best:>8.3}s {median:>8.3}s");
    }
    if std::env::var("CK_BENCH_NOOP").is_ok() {
        noop_rebuilds();
    }
}

fn cargo(dir: &Path, args: &[&str]) -> Duration {
    let t = Instant::now();
    let ok = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(dir)
        .args(args)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        panic!("cargo {args:?} failed in {}", dir.display());
    }
    t.elapsed()
}

/// An empty crate in `target/<name>`, with `deps` as its dependencies.
fn empty_crate(name: &str, deps: &str) -> PathBuf {
    let dir = root().join("target").join(name);
    let _ = std::fs::create_dir_all(dir.join("src"));
    let _ = std::fs::write(
        dir.join("Cargo.toml"),
        format!("[package]\nname = \"empty\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\n{deps}\n[workspace]\n"),
    );
    let _ = std::fs::write(dir.join("src/lib.rs"), "");
    // The workspace's versions, so the runtime's dependencies are already built.
    if !deps.is_empty() {
        let _ = std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock"));
    }
    dir
}

/// Touch an unrelated file, then `cargo build`: the macro example against an empty crate
/// (no dependencies) and an empty crate depending on the runtime (the same dependency graph
/// without the macro call), alternating so that machine load hits all alike.
fn noop_rebuilds() {
    let empty = empty_crate("bench-empty-crate", "");
    let runtime = root().join("runtime");
    let with_runtime = empty_crate(
        "bench-empty-runtime-crate",
        &format!(
            "connectorkit = {{ path = {:?} }}\n",
            runtime.display().to_string()
        ),
    );
    let example = root().join("examples/macro-user");
    let touch = |dir: &Path| {
        let _ = std::fs::write(
            dir.join("target-unrelated.txt"),
            format!("{:?}", Instant::now()),
        );
    };
    let build = ["build", "-q"];
    let build_example = ["build", "-q", "-p", "macro-user"];
    let shared_target = ["build", "-q", "--target-dir", "../../target"];
    cargo(&empty, &build);
    cargo(&with_runtime, &shared_target);
    cargo(&example, &build_example);
    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..7 {
        touch(&example);
        a.push(cargo(&example, &build_example));
        touch(&empty);
        b.push(cargo(&empty, &build));
        touch(&with_runtime);
        c.push(cargo(&with_runtime, &shared_target));
    }
    let _ = std::fs::remove_file(example.join("target-unrelated.txt"));
    let (ab, am) = stats(a);
    let (eb, em) = stats(b);
    let (rb, rm) = stats(c);
    println!("no-op rebuild after touching an unrelated file (best / median of 7):");
    println!("  macro-user                   {ab:.3}s / {am:.3}s");
    println!(
        "  empty crate, no deps         {eb:.3}s / {em:.3}s   ratio (medians) {:.2}x",
        am / em
    );
    println!(
        "  empty crate + runtime dep    {rb:.3}s / {rm:.3}s   ratio (medians) {:.2}x",
        am / rm
    );
}
