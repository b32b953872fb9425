connectorkit_macros::connector!(petstore);
fn main() {}
