//! Clients generated at build time for the end-to-end tests (see `build.rs`).

/// The example pet store (`examples/petstore/petstore.yaml`): every auth kind, every
/// parameter location, JSON/form/multipart/binary/text bodies, typed errors.
pub mod petstore {
    include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
}

/// Names that are Rust keywords, non-ASCII or empty, and duplicate operationIds
/// (`tests/definitions/hazards.yaml`): it must generate and compile.
pub mod hazards {
    include!(concat!(env!("OUT_DIR"), "/hazards.rs"));
}
