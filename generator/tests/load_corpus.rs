//! Every corpus definition loads and bundles without errors.

use std::path::{Path, PathBuf};
use std::time::Instant;

use connectorkit_generator::diagnostics::Diagnostics;
use connectorkit_generator::load;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/openapi")
}

/// Corpus entry points (relative to corpus/openapi).
pub const FILES: &[&str] = &[
    "github/api.github.com.json",
    "stripe/spec3.json",
    "oxide/nexus.json",
    "oxide/buildomat.json",
    "oxide/param-collision.json",
    "discord/openapi.json",
    "spotify/fixed-spotify-open-api.yml",
    "twilio/twilio_messaging_v1.yaml",
    "xero/xero_accounting.yaml",
    "digitalocean/DigitalOcean-public.v2.yaml",
    "oai-examples/v3.0/uspto.yaml",
    "oai-examples/v3.0/petstore.yaml",
    "oai-examples/v3.0/callback-example.yaml",
    "oai-examples/v3.0/api-with-examples.yaml",
    "oai-examples/v3.0/link-example.yaml",
    "oai-examples/v3.0/petstore-expanded.json",
    "oai-examples/v3.1/non-oauth-scopes.yaml",
    "oai-examples/v3.1/tictactoe.yaml",
    "oai-examples/v3.1/webhook-example.yaml",
    "oai-examples/v3.2/3.2-tags-example.yaml",
    "kubernetes/swagger.json",
    "autorest-testserver/paging.json",
    "autorest-testserver/lro.json",
    "autorest-testserver/body-complex.json",
    "autorest-testserver/body-formdata.json",
    "autorest-testserver/body-file.json",
    "autorest-testserver/xml-service.json",
    "autorest-testserver/url-multi-collectionFormat.json",
    "oai-examples/v2.0/petstore.yaml",
    "oai-examples/v2.0/uber.json",
    "oai-examples/v2.0/petstore-separate/spec/swagger.yaml",
];

/// Multi-file trees whose entry refers above its own folder: (entry, the tree's top).
const TREES: &[(&str, &str)] = &[(
    "oai-examples/v2.0/petstore-separate/spec/swagger.yaml",
    "oai-examples/v2.0/petstore-separate",
)];

fn check(rel: &str) -> usize {
    let path = corpus().join(rel);
    let mut diags = Diagnostics::default();
    let t = Instant::now();
    let options = load::LoadOptions {
        ref_root: TREES
            .iter()
            .find(|(entry, _)| *entry == rel)
            .map(|(_, top)| corpus().join(top)),
    };
    let loaded = load::load_file_with(&path, &options, &mut diags);
    let errors: Vec<String> = diags
        .items()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    let warnings = diags.items().len() - errors.len();
    let files = loaded.as_ref().map_or(0, |l| l.sources.paths_read().len());
    println!(
        "{rel}: {warnings} warnings, {} errors, {files} files, {:?}",
        errors.len(),
        t.elapsed()
    );
    for d in diags.items().iter().take(20) {
        println!("  {d}");
    }
    assert!(loaded.is_some(), "{rel} did not load");
    errors.len()
}

#[test]
fn corpus_loads() {
    let mut total = 0;
    for f in FILES {
        total += check(f);
    }
    assert_eq!(total, 0, "errors while loading the corpus");
}

#[test]
fn a_tree_read_without_its_root_names_the_option() {
    let (entry, top) = TREES[0];
    let mut diags = Diagnostics::default();
    let _ = load::load_file(&corpus().join(entry), &mut diags);
    let errors: Vec<String> = diags
        .items()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(
        !errors.is_empty(),
        "refs above the entry's folder are refused"
    );
    let top = std::fs::canonicalize(corpus().join(top)).expect("the tree exists");
    let all = errors.join("\n");
    assert!(all.contains("../common/Error.yaml"), "{all}");
    // The hint names the tree's top: the same folder, however it is spelled (the corpus may
    // sit behind a symbolic link).
    let named = all
        .split("--ref-root ")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .map(|p| std::fs::canonicalize(p).ok());
    assert_eq!(
        named,
        Some(Some(top.clone())),
        "the hint names `--ref-root {}`: {all}",
        top.display()
    );
    assert!(all.contains("swagger.yaml:"), "located: {all}");
}
