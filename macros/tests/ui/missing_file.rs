connectorkit_macros::connector!("tests/ui/data/no-such-file.json");
fn main() {}
