connectorkit_macros::connector!("tests/ui/data/broken.json");
fn main() {}
