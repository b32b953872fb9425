//! Generates the pet store client into OUT_DIR (rewritten only when it changes).

fn main() -> Result<(), connectorkit_generator::build::Error> {
    connectorkit_generator::compile("../petstore/petstore.yaml")?;
    Ok(())
}
