//! The checked-in `examples/generated-crate` is exactly what the generator (the CLI's
//! `generate`) writes today. Regenerate with:
//! `cargo run -p connectorkit-cli -- generate examples/petstore/petstore.yaml --out examples/generated-crate --name petstore-generated --runtime-path runtime`

use std::path::Path;

use connectorkit_generator::{CrateOptions, RuntimeDependency};

#[test]
fn checked_in_crate_matches_the_generator() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let krate = connectorkit_generator::generate_crate(
        &examples.join("petstore/petstore.yaml"),
        &CrateOptions {
            name: Some("petstore-generated".into()),
            runtime: RuntimeDependency::Path("../../runtime".into()),
            conformance: false,
            ..CrateOptions::default()
        },
    )
    .unwrap();
    // Cargo.toml, README.md, src/lib.rs, src/client.rs, src/types.rs and the petstore's two
    // modules, src/client/pets.rs and src/client/login.rs.
    assert_eq!(krate.files.len(), 7);
    for f in &krate.files {
        let on_disk = std::fs::read_to_string(examples.join("generated-crate").join(&f.path))
            .unwrap_or_default();
        assert!(
            on_disk == f.contents,
            "examples/generated-crate/{} is stale; regenerate it (see this file's header)",
            f.path.display()
        );
    }
}
