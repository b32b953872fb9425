//! The `connector!` client against a local server (the shared usage file).

use macro_user::petstore as api;

include!("../../petstore/usage.rs");

/// `pets_only` was generated with `tags = ["pets"]`; its `list_pets` calls the same server.
#[tokio::test]
async fn tag_filtered_client_calls_the_server() {
    let (base, log) = server().await;
    let client = macro_user::pets_only::Client::new()
        .unwrap()
        .with_base_url(&base)
        .unwrap();
    let pets = client
        .list_pets(&macro_user::pets_only::ListPetsParams::default())
        .await
        .unwrap();
    assert_eq!(pets[0].name, "Rex");
    assert_eq!(log.lock().unwrap()[0].1, "/v1/pets");
}

/// `renamed` has only `createPet`, and its client is also named `PetStore`.
#[tokio::test]
async fn client_alias_and_action_filter() {
    let (base, log) = server().await;
    let client = macro_user::renamed::PetStore::new()
        .unwrap()
        .with_base_url(&base)
        .unwrap();
    let pet = client
        .create_pet(&macro_user::renamed::NewPet {
            name: "Tom".into(),
            tag: None,
            status: None,
            birth_date: None,
        })
        .await
        .unwrap();
    assert_eq!(pet.id, "p1");
    let seen = log.lock().unwrap()[0].clone();
    assert_eq!((seen.0.as_str(), seen.1.as_str()), ("POST", "/v1/pets"));
}
