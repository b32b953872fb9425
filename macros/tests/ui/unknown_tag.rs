connectorkit_macros::connector!("../examples/petstore/petstore.yaml", tags = ["pets", "cats"]);
fn main() {}
