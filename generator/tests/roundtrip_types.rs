//! `roundtrip/types.json` (the round-trip harness's type list, issue 15): each type's JSON
//! pointer names the schema it was made from, through referenced parameters, responses and
//! bodies; a JSON body's properties the client fills in itself are listed as `runtime`.

use std::path::Path;

use connectorkit_generator::prepare_bytes;
use serde_json::Value;

fn types(name: &str, text: &str) -> (Vec<Value>, Value) {
    let prepared = prepare_bytes(Path::new(name), text.as_bytes()).expect("the definition loads");
    let files = prepared
        .roundtrip_files("t")
        .expect("the harness is written");
    let read = |path: &str| -> Value {
        let f = files
            .iter()
            .find(|f| f.path == Path::new(path))
            .unwrap_or_else(|| panic!("{path} is written"));
        serde_json::from_str(&f.contents).expect("JSON")
    };
    let list = read("roundtrip/types.json");
    (
        list.as_array().expect("a list").clone(),
        read("roundtrip/openapi.json"),
    )
}

fn entry<'l>(list: &'l [Value], name: &str) -> &'l Value {
    list.iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no type {name} in {list:?}"))
}

/// Every pointer of the list resolves in the normalized document.
fn all_resolve(list: &[Value], doc: &Value) {
    for t in list {
        let p = t["pointer"].as_str().expect("a pointer");
        assert!(doc.pointer(p).is_some(), "{t} does not resolve");
    }
}

#[test]
fn referenced_parameters_responses_and_bodies_point_at_their_components() {
    let text = r#"
openapi: 3.0.3
info: {title: Refs, version: "1"}
paths:
  /things:
    post:
      operationId: make
      parameters:
        - $ref: '#/components/parameters/Mode'
      requestBody:
        $ref: '#/components/requestBodies/Make'
      responses:
        "200": {$ref: '#/components/responses/Made'}
components:
  parameters:
    Mode:
      name: mode
      in: query
      schema: {type: string, enum: [fast, slow]}
  requestBodies:
    Make:
      content:
        application/json:
          schema:
            type: object
            properties:
              size: {type: integer}
  responses:
    Made:
      description: made
      content:
        application/json:
          schema:
            type: object
            properties:
              id: {type: string}
"#;
    let (list, doc) = types("refs.yaml", text);
    all_resolve(&list, &doc);
    assert_eq!(
        entry(&list, "MakeMode")["pointer"],
        "/components/parameters/Mode/schema"
    );
    assert_eq!(
        entry(&list, "MakeBody")["pointer"],
        "/components/requestBodies/Make/content/application~1json/schema"
    );
    assert_eq!(
        entry(&list, "MakeResponse")["pointer"],
        "/components/responses/Made/content/application~1json/schema"
    );
}

#[test]
fn a_webhook_body_lists_the_fields_the_runtime_fills() {
    let text = r#"{
  "swagger": "2.0",
  "info": {"title": "Hooks", "version": "1"},
  "host": "example.com",
  "paths": {
    "/hooks": {
      "post": {
        "operationId": "Subscribe",
        "x-ms-trigger": "single",
        "parameters": [{
          "name": "body", "in": "body", "required": true,
          "schema": {
            "type": "object",
            "required": ["url"],
            "properties": {
              "url": {"type": "string", "x-ms-notification-url": true, "x-ms-visibility": "internal"},
              "kind": {"type": "string", "default": "all", "x-ms-visibility": "internal"},
              "name": {"type": "string"}
            }
          }
        }],
        "responses": {"201": {"description": "subscribed"}}
      }
    }
  }
}"#;
    let (list, doc) = types("hooks.json", text);
    all_resolve(&list, &doc);
    let body = entry(&list, "SubscribeBody");
    assert_eq!(
        body["runtime"],
        serde_json::json!(["url", "kind"]),
        "{body}"
    );
    // Types that are not such a body carry no list.
    assert!(list
        .iter()
        .filter(|t| t["name"] != "SubscribeBody")
        .all(|t| t.get("runtime").is_none()));
}

#[test]
fn a_tagged_variant_struct_names_the_tag_its_enum_carries() {
    let text = r#"
openapi: 3.0.3
info: {title: Tags, version: "1"}
paths: {}
components:
  schemas:
    Range:
      oneOf:
        - type: object
          required: [type, start]
          properties:
            type: {type: string, enum: [from]}
            start: {type: number}
        - type: object
          required: [type, end]
          properties:
            type: {type: string, enum: [to]}
            end: {type: number}
"#;
    let (list, doc) = types("tags.yaml", text);
    all_resolve(&list, &doc);
    let variants: Vec<&Value> = list
        .iter()
        .filter(|t| t.get("enum_tag").is_some())
        .collect();
    assert_eq!(variants.len(), 2, "{list:?}");
    for v in variants {
        assert_eq!(v["enum_tag"], serde_json::json!(["type"]), "{v}");
        assert_eq!(v["kind"], "struct");
    }
    assert!(entry(&list, "Range").get("enum_tag").is_none());
}
