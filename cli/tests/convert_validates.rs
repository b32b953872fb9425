//! `connectorkit convert` prints an OpenAPI 3.0 document for Postman, Swagger 2.0 and
//! OpenAPI 3.1 inputs alike, and an independent validator (@apidevtools/swagger-parser,
//! installed by `.ci/setup.sh`) accepts each output, in JSON and in YAML.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn converted_documents_validate_with_swagger_parser() {
    let setup = Command::new("bash")
        .arg(root().join(".ci/setup.sh"))
        .status()
        .expect("bash runs .ci/setup.sh");
    assert!(
        setup.success(),
        ".ci/setup.sh failed (node and npm are needed)"
    );
    let corpus = root().join("../shared/corpus");
    let out = std::env::temp_dir().join(format!("connectorkit-convert-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let inputs = [
        (
            "postman-v21",
            corpus.join("postman/adyen__checkout-v71.json"),
            "json",
        ),
        (
            "postman-v1",
            corpus.join("postman/rabbitmq__management-v1.json"),
            "yaml",
        ),
        (
            "postman-v20",
            corpus.join("postman/p2oa__fastly.json"),
            "json",
        ),
        (
            "swagger20",
            corpus.join("openapi/oai-examples/v2.0/uber.json"),
            "json",
        ),
        (
            "openapi31",
            corpus.join("openapi/oai-examples/v3.1/tictactoe.yaml"),
            "yaml",
        ),
    ];
    let mut written = Vec::new();
    for (name, input, format) in &inputs {
        let target = out.join(format!("{name}.{format}"));
        let o = Command::new(env!("CARGO_BIN_EXE_connectorkit"))
            .arg("convert")
            .arg(input)
            .arg("-o")
            .arg(&target)
            .args(["--format", format])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(
            text.contains("\"openapi\": \"3.0.3\"") || text.contains("openapi: 3.0"),
            "{name}: not OpenAPI 3.0: {}",
            &text[..text.len().min(200)]
        );
        written.push(target);
    }
    let v = Command::new("node")
        .arg(root().join(".ci/validate-openapi.mjs"))
        .args(&written)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&v.stdout);
    assert!(
        v.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&v.stderr)
    );
    assert!(
        stdout.contains(&format!(
            "{} of {} documents valid",
            written.len(),
            written.len()
        )),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&out);
}
