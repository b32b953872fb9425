//! insta snapshots of the code generated for the small OAI example definitions.

use std::path::PathBuf;

fn corpus(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/openapi/oai-examples")
        .join(rel)
}

fn generated(rel: &str) -> String {
    let prepared = connectorkit_generator::prepare_file(&corpus(rel))
        .unwrap_or_else(|f| panic!("{rel} does not generate:\n{f}"));
    let s = connectorkit_generator::emit::sources(&prepared.connector, &prepared.source_name)
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    let mut out = format!(
        "==> src/lib.rs\n{}\n==> src/client.rs\n{}\n==> src/types.rs\n{}",
        s.lib, s.client, s.types
    );
    for (name, body) in &s.modules {
        out.push_str(&format!("\n==> src/client/{name}.rs\n{body}"));
    }
    out
}

macro_rules! snapshot {
    ($name:ident, $rel:literal) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), generated($rel));
        }
    };
}

snapshot!(v30_petstore, "v3.0/petstore.yaml");
snapshot!(v30_petstore_expanded, "v3.0/petstore-expanded.json");
snapshot!(v30_callback_example, "v3.0/callback-example.yaml");
snapshot!(v30_link_example, "v3.0/link-example.yaml");
snapshot!(v30_api_with_examples, "v3.0/api-with-examples.yaml");
snapshot!(v30_uspto, "v3.0/uspto.yaml");
snapshot!(v31_webhook_example, "v3.1/webhook-example.yaml");
snapshot!(v31_tictactoe, "v3.1/tictactoe.yaml");
snapshot!(v31_non_oauth_scopes, "v3.1/non-oauth-scopes.yaml");

/// The `allOf` shapes of `tests/definitions/allof.yaml` (compiled and exercised by
/// `tests/tests/allof_e2e.rs`): references with annotations collapse onto the referenced
/// type, object members merge, conflicting members fall back to `serde_json::Value`.
#[test]
fn allof_shapes() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/definitions/allof.yaml");
    let prepared = connectorkit_generator::prepare_file(&path)
        .unwrap_or_else(|f| panic!("allof.yaml does not generate:\n{f}"));
    let s = connectorkit_generator::emit::sources(&prepared.connector, &prepared.source_name)
        .unwrap_or_else(|e| panic!("allof.yaml: {e}"));
    let codes: Vec<String> = prepared
        .diagnostics
        .iter()
        .map(|d| format!("{} at {}", d.code, d.location.json_pointer))
        .collect();
    insta::assert_snapshot!(
        "allof_shapes",
        format!(
            "==> diagnostics\n{}\n==> src/types.rs\n{}",
            codes.join("\n"),
            s.types
        )
    );
}

/// The union shapes of `tests/definitions/unions.yaml` (also compiled and decoded by
/// `connectorkit-tests`' `unions_e2e`): only `types.rs`, where they are.
#[test]
fn unions_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/definitions/unions.yaml");
    let prepared = connectorkit_generator::prepare_file(&path)
        .unwrap_or_else(|f| panic!("unions.yaml does not generate:\n{f}"));
    let s = connectorkit_generator::emit::sources(&prepared.connector, &prepared.source_name)
        .unwrap_or_else(|e| panic!("unions.yaml: {e}"));
    insta::assert_snapshot!("unions_types", s.types);
}

#[test]
fn generation_is_deterministic() {
    for rel in [
        "v3.0/petstore-expanded.json",
        "v3.0/uspto.yaml",
        "v3.1/tictactoe.yaml",
    ] {
        assert_eq!(generated(rel), generated(rel), "{rel}");
    }
}
