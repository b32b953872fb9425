//! Inputs: local files, or http(s) URLs fetched into memory.

use std::path::{Path, PathBuf};
use std::time::Duration;

use connectorkit_generator::{
    prepare_bytes, prepare_file, Diagnostic, Failure, Location, Prepared,
};

/// True for http(s) URLs.
pub fn is_url(input: &str) -> bool {
    input.starts_with("http://") || input.starts_with("https://")
}

/// Loads, normalizes and models one input.
pub fn prepare(input: &str) -> Result<Prepared, Failure> {
    if !is_url(input) {
        return prepare_file(Path::new(input));
    }
    let fail = |message: String| Failure {
        diagnostics: vec![Diagnostic::error(
            "load/fetch",
            message,
            Location {
                file: PathBuf::from(input),
                ..Location::default()
            },
        )
        .with_hint("check the URL, or download the definition and pass the file")],
    };
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("connectorkit/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| fail(format!("cannot start an HTTP client: {e}")))?;
    let resp = client
        .get(input)
        .send()
        .map_err(|e| fail(format!("cannot fetch {input}: {e}")))?;
    if !resp.status().is_success() {
        return Err(fail(format!(
            "fetching {input} returned HTTP {}",
            resp.status()
        )));
    }
    let bytes = resp
        .bytes()
        .map_err(|e| fail(format!("cannot read {input}: {e}")))?;
    prepare_bytes(Path::new(input), &bytes)
}
