//! Uses `petstore-generated`, the crate `connectorkit generate` wrote to
//! `examples/generated-crate` (checked in; `tests/fresh.rs` keeps it equal to the CLI output).

pub use petstore_generated as petstore;
