//! Every OpenAPI 3.x corpus definition loads and normalizes with zero errors.

use std::path::{Path, PathBuf};
use std::time::Instant;

use connectorkit_generator::diagnostics::Diagnostics;
use connectorkit_generator::{load, normalize};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/openapi")
}

const OPENAPI3: &[&str] = &[
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
];

/// Loads and normalizes one file; returns the number of errors.
fn check(rel: &str) -> usize {
    let path = corpus().join(rel);
    let mut diags = Diagnostics::default();
    let t = Instant::now();
    let loaded = load::load_file(&path, &mut diags);
    let t_load = t.elapsed();
    let normalized = loaded
        .as_ref()
        .and_then(|l| normalize::normalize(l, &mut diags));
    let t_all = t.elapsed();
    let errors = diags.items().iter().filter(|d| d.is_error()).count();
    let warnings = diags.items().len() - errors;
    let (paths, schemas) = normalized.as_ref().map_or((0, 0), |n| {
        (
            n.openapi.paths.paths.len(),
            n.openapi.components.as_ref().map_or(0, |c| c.schemas.len()),
        )
    });
    println!(
        "{rel}: {warnings} warnings, {errors} errors; {paths} paths, {schemas} schemas; load {t_load:?}, load+normalize {t_all:?}"
    );
    for d in diags.items().iter().take(12) {
        println!("  {d}");
    }
    assert!(normalized.is_some(), "{rel} did not normalize");
    errors
}

#[test]
fn corpus_openapi3_loads() {
    let mut total = 0;
    for f in OPENAPI3 {
        total += check(f);
    }
    assert_eq!(total, 0, "errors while normalizing the corpus");
}
