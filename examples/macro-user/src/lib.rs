//! A crate whose pet store client comes from one line: `connectorkit::connector!`.
//! The definition is read from `../petstore/petstore.yaml`; editing it rebuilds this crate.

connectorkit::connector!("../petstore/petstore.yaml", module = petstore);

/// Only the `pets` tag: `list_pets` and `create_pet`.
pub mod pets_only {
    connectorkit::connector!("../petstore/petstore.yaml", tags = ["pets"]);
}

connectorkit::connector!(
    "../petstore/petstore.yaml",
    module = renamed,
    client = PetStore,
    actions = ["createPet"]
);
