//! `CrateOptions` for a registry: the manifest a registry and a reader need, the runtime
//! from the same registry, re-exported; the README as crate docs with a compiling example.

use std::path::PathBuf;

use connectorkit_generator::{generate_crate, CrateOptions};

fn petstore() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/petstore/petstore.yaml")
}

fn file<'c>(krate: &'c connectorkit_generator::GeneratedCrate, path: &str) -> &'c str {
    krate
        .files
        .iter()
        .find(|f| f.path == std::path::Path::new(path))
        .map(|f| f.contents.as_str())
        .unwrap_or_else(|| panic!("{path} is generated"))
}

#[test]
fn registry_options_make_a_publishable_manifest() {
    let options = CrateOptions {
        registry: Some("internal".into()),
        version: Some("3.1.0-rc.1".into()),
        license: Some("MIT OR Apache-2.0".into()),
        repository: Some("https://git.example.com/clients/petstore".into()),
        description: Some("The \"pet store\" client".into()),
        authors: vec!["Ada <ada@example.com>".into(), "Bob".into()],
        ..CrateOptions::default()
    };
    let krate = generate_crate(&petstore(), &options).expect("petstore generates");
    assert_eq!(krate.name, "connectorkit-petstore");
    let manifest = file(&krate, "Cargo.toml");
    let parsed: toml::Table = toml::from_str(manifest).expect("Cargo.toml is TOML");
    let package = parsed["package"].as_table().expect("[package]");
    assert_eq!(package["version"].as_str(), Some("3.1.0-rc.1"));
    assert_eq!(package["license"].as_str(), Some("MIT OR Apache-2.0"));
    assert_eq!(
        package["description"].as_str(),
        Some("The \"pet store\" client")
    );
    assert_eq!(package["publish"].as_array().map(Vec::len), Some(1));
    assert_eq!(package["publish"][0].as_str(), Some("internal"));
    assert_eq!(package["authors"].as_array().map(Vec::len), Some(2));
    let runtime = parsed["dependencies"]["connectorkit"]
        .as_table()
        .expect("a table");
    assert_eq!(runtime["registry"].as_str(), Some("internal"));
    assert_eq!(runtime["version"].as_str(), Some(env!("CARGO_PKG_VERSION")));
    assert!(manifest.ends_with('\n'));

    let readme = file(&krate, "README.md");
    assert!(readme.ends_with('\n'));
    assert!(readme.contains("```rust,no_run\n"), "{readme}");
    assert!(
        readme.contains("connectorkit::Error::Api(error)"),
        "{readme}"
    );
    let lib = file(&krate, "src/lib.rs");
    assert!(lib.contains("#![doc = include_str!(\"../README.md\")]"));
    assert!(lib.contains("pub use connectorkit;"));
}

#[test]
fn bad_options_are_refused_by_name() {
    for (options, word) in [
        (
            CrateOptions {
                version: Some("2020-08-27".into()),
                ..CrateOptions::default()
            },
            "--crate-version",
        ),
        (
            CrateOptions {
                registry: Some("my registry".into()),
                ..CrateOptions::default()
            },
            "--registry",
        ),
        (
            CrateOptions {
                name: Some("a crate".into()),
                ..CrateOptions::default()
            },
            "--name",
        ),
    ] {
        let failure = generate_crate(&petstore(), &options).expect_err("refused");
        assert!(failure.to_string().contains(word), "{failure}");
    }
}
