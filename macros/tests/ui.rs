//! Compile-fail tests: each `connector!` error is a located `compile_error!`.

#[test]
fn macro_errors() {
    // Paths in the ui files are relative to this crate, not trybuild's scratch project.
    std::env::set_var(
        "CONNECTORKIT_MANIFEST_DIR_OVERRIDE",
        env!("CARGO_MANIFEST_DIR"),
    );
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
