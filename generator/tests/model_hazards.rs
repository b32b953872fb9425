//! Bad names in an otherwise valid definition: keywords, non-ASCII, empty, duplicate
//! operationIds, routes differing by a trailing slash. Each gets a usable name and, where
//! a name had to change, a located diagnostic. (`tests/` compiles the generated client.)

use std::path::PathBuf;

use connectorkit_generator::model::names::bare;

fn hazards() -> connectorkit_generator::Prepared {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/definitions/hazards.yaml");
    connectorkit_generator::prepare_file(&path).unwrap_or_else(|f| panic!("{f}"))
}

#[test]
fn duplicate_operation_ids_are_reported_with_a_location() {
    let p = hazards();
    let dup: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.code == "model/duplicate-operation-id")
        .collect();
    assert_eq!(dup.len(), 1, "{:#?}", p.diagnostics);
    let loc = &dup[0].location;
    assert!(loc.file.ends_with("hazards.yaml"));
    assert_eq!(loc.json_pointer, "/paths/~1dup/get/operationId");
    assert!(loc.line > 0 && loc.column > 0, "{loc:?}");
    let names: Vec<&str> = p
        .connector
        .actions
        .iter()
        .map(|a| a.ident.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "r#type",
            "type_2",
            "list_things",
            "list_things_2",
            "delete_noid_id"
        ]
    );
}

#[test]
fn keyword_non_ascii_and_empty_names_become_identifiers() {
    let p = hazards();
    let action = &p.connector.actions[0];
    let params: Vec<(&str, &str)> = action
        .params
        .iter()
        .map(|p| (p.wire_name.as_str(), p.ident.as_str()))
        .collect();
    assert_eq!(
        params,
        [
            ("self", "self_"),
            ("Self", "self_2"),
            ("crate", "crate_"),
            ("super", "super_"),
            ("名前", "param"),
            ("", "param_2"),
        ]
    );
    let this = p
        .connector
        .types
        .iter()
        .find(|t| t.name == "Self_")
        .expect("Self_");
    let connectorkit_generator::model::TypeKind::Struct { fields, .. } = &this.kind else {
        panic!("not a struct")
    };
    let idents: Vec<&str> = fields.iter().map(|f| bare(&f.ident)).collect();
    assert_eq!(
        idents,
        ["type", "self_", "self_2", "crate_", "super_", "field", "field_2", "fn", "r#match"]
            .map(bare)
    );
}

#[test]
fn a_204_response_has_no_body_whatever_its_schema() {
    // Easyvista's `DeleteAssetLink`: `204: {schema: {type: string}}`. HTTP forbids a 204
    // body, so the action returns `()` instead of failing to decode the empty body.
    let def = br#"{
      "swagger": "2.0", "info": {"title": "t", "version": "1"}, "host": "example.com",
      "produces": ["application/json"],
      "paths": {
        "/a": {"delete": {"operationId": "DeleteA",
          "responses": {"204": {"description": "d", "schema": {"type": "string"}}}}},
        "/b": {"get": {"operationId": "GetB",
          "responses": {"200": {"description": "d", "schema": {"type": "string"}}}}}
      }
    }"#;
    let p = connectorkit_generator::prepare_bytes(std::path::Path::new("t.json"), def)
        .unwrap_or_else(|f| panic!("{f}"));
    let body = |id: &str| {
        let a = p.connector.actions.iter().find(|a| a.ident == id).unwrap();
        format!("{:?}", a.success_type)
    };
    assert_eq!(body("delete_a"), "Single(Empty)");
    assert_ne!(body("get_b"), "Single(Empty)");
}

#[test]
fn the_extra_properties_field_is_named_beside_the_properties() {
    // A property spelled like the flattened map's field: the map's name is decided with the
    // struct's other field names in the model, and the emitter prints that name.
    let def = br##"{
      "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
      "paths": {"/a": {"get": {"operationId": "GetA", "responses": {"200": {
        "description": "d",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Bag"}}}}}}}},
      "components": {"schemas": {
        "Bag": {"type": "object",
          "properties": {
            "additionalProperties": {"type": "string"},
            "additional_properties_": {"type": "integer"},
            "name": {"type": "string"}},
          "additionalProperties": {"type": "integer"}},
        "Plain": {"type": "object", "properties": {"name": {"type": "string"}},
          "additionalProperties": {"type": "string"}}
      }}
    }"##;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.json");
    std::fs::write(&path, def).unwrap();
    let (module, p) =
        connectorkit_generator::generate_module(&path).unwrap_or_else(|f| panic!("{f}"));
    let extra = |name: &str| {
        let t = p.connector.types.iter().find(|t| t.name == name).unwrap();
        let connectorkit_generator::model::TypeKind::Struct { fields, additional } = &t.kind else {
            panic!("{name} is not a struct")
        };
        let mut idents: Vec<String> = fields.iter().map(|f| f.ident.clone()).collect();
        idents.extend(additional.as_ref().map(|a| a.ident.clone()));
        idents
    };
    assert_eq!(
        extra("Bag"),
        [
            "additional_properties",
            "additional_properties_2",
            "name",
            "additional_properties_"
        ]
    );
    assert_eq!(extra("Plain"), ["name", "additional_properties"]);
    // The emitter prints the model's name, in the struct and in its Deserialize impl.
    let module = module.replace(char::is_whitespace, "");
    assert!(
        module.contains("pubadditional_properties_:std::collections::BTreeMap<String,i64>"),
        "{module}"
    );
    assert!(
        module.contains("additional_properties_:o.rest()?"),
        "{module}"
    );
}
