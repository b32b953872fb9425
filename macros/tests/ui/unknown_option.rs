connectorkit_macros::connector!("../examples/petstore/petstore.yaml", modul = petstore);
fn main() {}
