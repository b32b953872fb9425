//! Inputs: local files, or http(s) URLs fetched into memory.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use connectorkit_generator::{
    prepare_bytes_with, prepare_file_with, Diagnostic, Failure, LoadOptions, Location, Prepared,
};

/// True for http(s) URLs.
pub fn is_url(input: &str) -> bool {
    input.starts_with("http://") || input.starts_with("https://")
}

/// The most bytes read from a URL (as for files).
const MAX_BYTES: u64 = connectorkit_generator::load::MAX_FILE_BYTES;

/// Loads, normalizes and models one input. A definition fetched from a URL reads no local
/// file (its external `$ref`s are refused).
pub fn prepare(input: &str, load: &LoadOptions) -> Result<Prepared, Failure> {
    if !is_url(input) {
        return prepare_file_with(Path::new(input), load);
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
    let mut bytes = Vec::new();
    resp.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot read {input}: {e}")))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(fail(format!(
            "{input} is larger than {} MiB, the most a definition may be",
            MAX_BYTES >> 20
        )));
    }
    prepare_bytes_with(Path::new(input), &bytes, load)
}
