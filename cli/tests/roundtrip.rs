//! `.ci/roundtrip.sh` (issue 15) on one small definition: json-schema-faker instances of
//! every named type (installed by `.ci/setup.sh`) decode and re-encode unchanged; and its
//! comparison reports a re-encoding that drops a field.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Waits for `child` at most `limit`, killing it past that.
fn wait(mut child: Child, limit: Duration, what: &str) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait on child") {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn setup() {
    let setup = Command::new("bash")
        .arg(root().join(".ci/setup.sh"))
        .spawn()
        .expect("bash runs .ci/setup.sh");
    let status = wait(setup, Duration::from_secs(600), ".ci/setup.sh");
    assert!(
        status.success(),
        ".ci/setup.sh failed (node and npm are needed)"
    );
}

fn report(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("report written"))
        .expect("report is JSON")
}

/// Writes a crate's round-trip files (`files`: name, JSON text) into `dir/<krate>/roundtrip`,
/// runs `.ci/roundtrip.mjs compare` on it with no baseline, and returns its exit status and
/// report.
fn compare(dir: &Path, krate: &str, files: &[(&str, &str)]) -> (ExitStatus, serde_json::Value) {
    let krate = dir.join(krate);
    std::fs::create_dir_all(krate.join("roundtrip")).unwrap();
    for (name, text) in files {
        std::fs::write(krate.join("roundtrip").join(name), text).unwrap();
    }
    let child = Command::new("node")
        .arg(root().join(".ci/roundtrip.mjs"))
        .arg("compare")
        .arg(dir.join("report.json"))
        .arg("/dev/null")
        .arg(&krate)
        .spawn()
        .expect("node runs");
    let status = wait(child, Duration::from_secs(120), "roundtrip.mjs compare");
    (status, report(&dir.join("report.json")))
}

#[test]
fn petstore_types_round_trip() {
    setup();
    let out = std::env::temp_dir().join(format!("connectorkit-roundtrip-{}", std::process::id()));
    // The generated crate and the runtime build into a target dir of their own, kept between
    // runs (the workspace's own is locked by this test's cargo).
    let target = root().join("target/roundtrip-test");
    let child = Command::new("bash")
        .arg(root().join(".ci/roundtrip.sh"))
        .current_dir(root())
        .env("ROUNDTRIP_INPUTS", "examples/petstore/petstore.yaml")
        .env("CONNECTORKIT", env!("CARGO_BIN_EXE_connectorkit"))
        .env("OUT", &out)
        .env("ROUNDTRIP_TARGET", &target)
        .env("BASELINE", "/dev/null")
        .spawn()
        .expect("bash runs .ci/roundtrip.sh");
    let status = wait(child, Duration::from_secs(1500), ".ci/roundtrip.sh");
    let report = report(&out.join("report.json"));
    assert!(status.success(), "round trip failed: {report:#}");
    let totals = &report["totals"];
    assert!(totals["tested"].as_u64().unwrap_or(0) >= 3, "{totals}");
    assert!(totals["instances"].as_u64().unwrap_or(0) >= 9, "{totals}");
    assert_eq!(totals["failures"], 0, "{report:#}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn comparison_reports_a_dropped_field() {
    setup();
    let dir =
        std::env::temp_dir().join(format!("connectorkit-roundtrip-cmp-{}", std::process::id()));
    let files = [
        (
            "types.json",
            r#"[{"name":"Pet","kind":"struct","pointer":"/components/schemas/Pet"}]"#,
        ),
        (
            "openapi.json",
            r#"{"components":{"schemas":{"Pet":{"type":"object","required":["id"],"properties":{"id":{"type":"integer"},"tag":{"type":"string","nullable":true},"born":{"type":"string","format":"date-time"}}}}}}"#,
        ),
        (
            "instances.json",
            r#"{"Pet":[{"id":1,"tag":null,"born":"2020-01-01T00:00:00+00:00"},{"id":2,"tag":"x"}]}"#,
        ),
        (
            "sampler.json",
            r#"{"faults":[],"untested":[],"repaired":[]}"#,
        ),
        (
            "results.json",
            r#"{"Pet":[{"ok":"{\"id\":1.0,\"born\":\"2020-01-01T00:00:00Z\"}"},{"ok":"{\"id\":2}"}]}"#,
        ),
    ];
    let (status, report) = compare(&dir, "pets", &files);
    assert!(!status.success(), "a dropped field must fail the run");
    // Instance 0: `null` → absent (optional), the same instant re-formatted, 1.0 == 1: allowed.
    // Instance 1: `tag` dropped.
    let failures = report["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{report:#}");
    assert_eq!(failures[0]["kind"], "dropped");
    assert_eq!(failures[0]["pointer"], "/tag");
    assert_eq!(failures[0]["instance"], 1);
    assert_eq!(report["allowed"]["null-absent"], 1);
    assert_eq!(report["allowed"]["same-instant"], 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A JSON body type's properties that the client fills in itself (`runtime` in types.json:
/// the callback URL, internal constants) and properties no schema declares may come back
/// absent (counted apart); any other missing field is still a failure.
#[test]
fn comparison_allows_runtime_filled_and_undeclared_fields_only() {
    setup();
    let dir = std::env::temp_dir().join(format!(
        "connectorkit-roundtrip-runtime-{}",
        std::process::id()
    ));
    let files = [
        (
            "types.json",
            r#"[{"name":"SubscribeBody","kind":"struct","pointer":"/components/schemas/Sub","runtime":["hookUrl"]}]"#,
        ),
        (
            "openapi.json",
            r#"{"components":{"schemas":{"Sub":{"type":"object","required":["hookUrl","name"],"properties":{"hookUrl":{"type":"string"},"name":{"type":"string"},"cfg":{"type":"object","properties":{"a":{"type":"integer"}}}}}}}}"#,
        ),
        (
            "instances.json",
            r#"{"SubscribeBody":[{"hookUrl":"h","name":"n","cfg":{"a":1,"zz":2}},{"hookUrl":"h","name":"n"}]}"#,
        ),
        (
            "sampler.json",
            r#"{"faults":[],"untested":[],"repaired":[]}"#,
        ),
        (
            "results.json",
            r#"{"SubscribeBody":[{"ok":"{\"name\":\"n\",\"cfg\":{\"a\":1}}"},{"ok":"{}"}]}"#,
        ),
    ];
    let (status, report) = compare(&dir, "hooks", &files);
    assert!(
        !status.success(),
        "a dropped declared field must fail the run"
    );
    // Instance 0: `hookUrl` (the runtime's) and `cfg.zz` (undeclared) absent: allowed.
    // Instance 1: `hookUrl` allowed again, `name` dropped: the one failure.
    let failures = report["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{report:#}");
    assert_eq!(failures[0]["kind"], "dropped");
    assert_eq!(failures[0]["pointer"], "/name");
    assert_eq!(failures[0]["instance"], 1);
    assert_eq!(report["allowed"]["runtime-filled"], 2, "{report:#}");
    assert_eq!(report["allowed"]["undeclared"], 1, "{report:#}");
    let _ = std::fs::remove_dir_all(&dir);
}
