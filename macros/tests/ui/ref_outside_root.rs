connectorkit_macros::connector!("tests/ui/data/tree/spec/main.yaml");
fn main() {}
