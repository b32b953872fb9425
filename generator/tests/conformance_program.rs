//! `CrateOptions::conformance`: the generated crate gains `examples/conformance.rs`, which
//! calls every action with schema-valid sample arguments (snapshot of the petstore
//! example's, which has every auth kind and body kind), and the manifest entry it needs.

use std::path::PathBuf;

use connectorkit_generator::{generate_crate, CrateOptions, RuntimeDependency};

fn petstore() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/petstore/petstore.yaml")
}

fn file<'c>(krate: &'c connectorkit_generator::GeneratedCrate, path: &str) -> Option<&'c str> {
    krate
        .files
        .iter()
        .find(|f| f.path == std::path::Path::new(path))
        .map(|f| f.contents.as_str())
}

#[test]
fn the_conformance_program_calls_every_action() {
    let options = CrateOptions {
        name: Some("petstore".into()),
        runtime: RuntimeDependency::Path("../runtime".into()),
        conformance: true,
        ..CrateOptions::default()
    };
    let krate = generate_crate(&petstore(), &options).expect("petstore generates");
    let program = file(&krate, "examples/conformance.rs").expect("examples/conformance.rs");
    for action in [
        "list_pets",
        "create_pet",
        "get_pet",
        "delete_pet",
        "upload_photo",
        "upload_documents",
        "login",
    ] {
        assert!(
            program.contains(&format!(".{action}("))
                && program.contains(&format!("report(\"{action}\"")),
            "{action} is not called"
        );
    }
    let manifest = file(&krate, "Cargo.toml").expect("Cargo.toml");
    assert!(
        manifest.contains("name = \"petstore-conformance\""),
        "{manifest}"
    );
    assert!(manifest.contains("[dev-dependencies]\ntokio"), "{manifest}");
    insta::assert_snapshot!("petstore_conformance_program", program);
}

#[test]
fn without_the_option_there_is_no_program() {
    let options = CrateOptions {
        name: Some("petstore".into()),
        runtime: RuntimeDependency::Path("../runtime".into()),
        conformance: false,
        ..CrateOptions::default()
    };
    let krate = generate_crate(&petstore(), &options).expect("petstore generates");
    assert!(file(&krate, "examples/conformance.rs").is_none());
    assert!(!file(&krate, "Cargo.toml")
        .unwrap_or_default()
        .contains("tokio"));
}

#[test]
fn a_connection_parameter_that_is_the_host_gets_a_url() {
    // Eigen Events: `dynamichosturl` with `@connectionParameters('eventsBackendUrl')`. A
    // plain-text dummy made `Client::connect` fail ("relative URL without a base") before
    // any call; the mock's URL replaces this one.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/powerplatform/certified-connectors/Eigen Events Connector");
    let options = CrateOptions {
        name: Some("eigen".into()),
        runtime: RuntimeDependency::Path("../runtime".into()),
        conformance: true,
        ..CrateOptions::default()
    };
    let krate = generate_crate(&dir, &options).expect("Eigen Events generates");
    let program = file(&krate, "examples/conformance.rs").expect("examples/conformance.rs");
    let field = program
        .lines()
        .find(|l| l.contains("events_backend_url:"))
        .expect("the connection's events_backend_url field");
    assert!(field.contains("\"https://conformance.example\""), "{field}");
    // The other text parameters keep the plain dummy.
    assert!(program.contains("\"conformance-secret\"") || program.contains("\"conformance\""));
}
