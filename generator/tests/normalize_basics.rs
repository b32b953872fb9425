//! Normalize: 3.1 → 3.0 conversions, 3.2, openapiv3 pre-fixes, piecewise deserialization.

use std::path::Path;

use connectorkit_generator::diagnostics::{Diagnostic, Diagnostics};
use connectorkit_generator::{load, normalize};
use serde_json::{json, Value};

fn run(name: &str, text: &str) -> (Option<normalize::Normalized>, Vec<Diagnostic>) {
    let mut d = Diagnostics::default();
    let n = load::load_bytes(Path::new(name), text.as_bytes(), &mut d)
        .and_then(|l| normalize::normalize(&l, &mut d));
    (n, d.into_vec())
}

fn schemas31(schemas: &str) -> (Value, Vec<Diagnostic>) {
    let text = format!("openapi: 3.1.0\ninfo: {{title: t, version: '1', license: {{name: MIT, identifier: MIT}}}}\ncomponents:\n  schemas:\n{schemas}");
    let (n, d) = run("s.yaml", &text);
    let n = n.expect("normalizes");
    assert!(d.iter().all(|d| !d.is_error()), "{d:#?}");
    (n.value, d)
}

#[test]
fn openapi31_nullable_types() {
    let (v, _) = schemas31(
        "    A: {type: [string, 'null']}\n    B: {type: 'null'}\n    C: {anyOf: [{$ref: '#/components/schemas/A'}, {type: 'null'}]}\n    D: {oneOf: [{type: string}, {type: integer}, {type: 'null'}]}\n    E: {type: [string, integer]}\n",
    );
    let s = &v["components"]["schemas"];
    assert_eq!(s["A"], json!({"type": "string", "nullable": true}));
    assert_eq!(s["B"], json!({"nullable": true}));
    assert_eq!(
        s["C"],
        json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})
    );
    assert_eq!(
        s["D"],
        json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
    );
    assert_eq!(
        s["E"],
        json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
    );
    assert_eq!(v["openapi"], "3.0.3");
    assert!(v["info"]["license"].get("identifier").is_none());
}

#[test]
fn openapi31_keywords() {
    let (v, _) = schemas31(
        "    K: {const: fixed}\n    X: {type: string, examples: [a, b]}\n    N: {type: integer, exclusiveMinimum: 0, exclusiveMaximum: 10}\n    R: {$ref: '#/components/schemas/K', readOnly: true}\n    Rd: {$ref: '#/components/schemas/K', description: kept}\n    B64: {type: string, contentEncoding: base64}\n    Bin: {type: string, contentMediaType: application/octet-stream}\n    T: {type: array, prefixItems: [{type: string}]}\n    Drop: {$schema: 'x', $id: 'y', $comment: z, type: string}\n",
    );
    let s = &v["components"]["schemas"];
    assert_eq!(s["K"], json!({"enum": ["fixed"]}));
    assert_eq!(s["X"], json!({"type": "string", "example": "a"}));
    assert_eq!(
        s["N"],
        json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})
    );
    assert_eq!(
        s["R"],
        json!({"allOf": [{"$ref": "#/components/schemas/K"}], "readOnly": true})
    );
    assert_eq!(
        s["Rd"],
        json!({"$ref": "#/components/schemas/K", "description": "kept"})
    );
    assert_eq!(s["B64"], json!({"type": "string", "format": "byte"}));
    assert_eq!(s["Bin"], json!({"type": "string", "format": "binary"}));
    assert_eq!(s["T"], json!({"type": "array", "items": {}}));
    assert_eq!(s["Drop"], json!({"type": "string"}));
}

#[test]
fn openapi31_document_level() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  ping:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: [object, 'null']}\n";
    let (n, d) = run("w.yaml", text);
    assert!(d.is_empty(), "{d:#?}");
    let n = n.expect("normalizes");
    assert!(n.value.get("webhooks").is_none());
    assert_eq!(
        n.value["x-webhooks"]["ping"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"],
        json!({"type": "object", "nullable": true})
    );
    assert!(n.openapi.extensions.contains_key("x-webhooks"));
    assert!(n.openapi.paths.paths.is_empty());
}

#[test]
fn openapi32_is_read_with_a_warning() {
    let text = "openapi: 3.2.0\ninfo: {title: t, version: '1'}\ntags:\n  - {name: a, kind: nav, parent: b}\npaths:\n  /x:\n    query:\n      responses: {'200': {description: ok}}\n    get:\n      responses: {'200': {description: ok}}\n    additionalOperations:\n      LINK: {responses: {'200': {description: ok}}}\n";
    let (n, d) = run("t.yaml", text);
    let n = n.expect("normalizes");
    let codes: Vec<&str> = d.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["normalize/openapi-3.2", "normalize/openapi-3.2"],
        "{d:#?}"
    );
    assert!(d.iter().all(|d| !d.is_error()));
    assert_eq!(d[1].location.line, 11);
    assert!(n.value["tags"][0].get("kind").is_none());
    assert!(n.value["paths"]["/x"].get("x-query").is_some());
    assert!(n.openapi.paths.paths.contains_key("/x"));
}

#[test]
fn one_broken_path_item_is_dropped_with_its_pointer() {
    let text = r#"{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "paths": {
    "/good": {"get": {"responses": {"200": {"description": "ok"}}}},
    "/bad": {
      "get": {"responses": {"200": {"description": "ok"}}},
      "post": {"parameters": [{"name": "p", "in": "nowhere"}], "responses": {}}
    },
    "/also-good": {"get": {"responses": {"204": {"description": "none"}}}}
  }
}"#;
    let (n, d) = run("p.json", text);
    let n = n.expect("normalizes");
    let errors: Vec<&Diagnostic> = d.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{d:#?}");
    let e = errors[0];
    assert_eq!(e.code, "normalize/invalid");
    assert!(
        e.location.json_pointer.starts_with("/paths/~1bad/post"),
        "{e}"
    );
    assert_eq!(e.location.line, 8, "{e}");
    let paths = &n.openapi.paths.paths;
    assert!(paths.contains_key("/good") && paths.contains_key("/also-good"));
    // Only the broken operation is dropped.
    let bad = paths
        .get("/bad")
        .and_then(|p| p.as_item())
        .expect("/bad kept");
    assert!(bad.get.is_some() && bad.post.is_none());
    assert!(n.value["paths"]["/bad"].get("post").is_none());
}

#[test]
fn broken_schema_is_replaced_and_located() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Ok: {type: string}\n    Broken:\n      type: object\n      properties:\n        fine: {type: string}\n        bad:\n          type: string\n          enum: {not: a list}\n";
    let (n, d) = run("b.yaml", text);
    let n = n.expect("normalizes");
    let errors: Vec<&Diagnostic> = d.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{d:#?}");
    assert!(
        errors[0]
            .location
            .json_pointer
            .starts_with("/components/schemas/Broken/properties/bad"),
        "{}",
        errors[0]
    );
    // openapiv3 flattens schemas, so the failing keyword inside the schema is not known: the
    // schema itself is located.
    assert_eq!(errors[0].location.line, 11, "{}", errors[0]);
    let c = n.openapi.components.expect("components");
    assert_eq!(c.schemas.len(), 2);
    assert_eq!(
        n.value["components"]["schemas"]["Broken"]["properties"]["fine"]["type"],
        "string"
    );
}

#[test]
fn swagger2_is_converted() {
    let text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: api.example.com\nbasePath: /v2\nschemes: [http, https]\nconsumes: [application/json]\nproduces: [application/json]\nsecurityDefinitions:\n  key: {type: apiKey, in: header, name: X-Key}\n  basic: {type: basic}\n  oauth: {type: oauth2, flow: accessCode, authorizationUrl: 'https://a/auth', tokenUrl: 'https://a/token', scopes: {read: r}}\nparameters:\n  Body: {name: body, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}\npaths:\n  /pets:\n    post:\n      operationId: add\n      x-ms-visibility: important\n      parameters:\n        - $ref: '#/parameters/Body'\n        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: pipes}\n      responses:\n        '200': {description: ok, schema: {$ref: '#/definitions/Pet'}, headers: {X-Rate: {type: integer}}}\n  /upload:\n    post:\n      consumes: [multipart/form-data]\n      parameters:\n        - {name: file, in: formData, type: file, required: true}\n        - {name: note, in: formData, type: string}\n      responses:\n        '204': {description: none}\ndefinitions:\n  Pet:\n    type: object\n    properties:\n      name: {type: string, x-nullable: true}\n";
    let (n, d) = run("s.yaml", text);
    assert!(d.iter().all(|d| !d.is_error()), "{d:#?}");
    let n = n.expect("converted");
    let v = &n.value;
    assert_eq!(v["openapi"], "3.0.3");
    assert_eq!(v["servers"][0]["url"], "https://api.example.com/v2");
    assert_eq!(v["servers"][1]["url"], "http://api.example.com/v2");
    let op = &v["paths"]["/pets"]["post"];
    assert_eq!(op["x-ms-visibility"], "important");
    assert_eq!(
        op["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Pet"
    );
    assert_eq!(op["requestBody"]["required"], true);
    assert_eq!(op["parameters"][0]["style"], "pipeDelimited");
    assert_eq!(
        op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Pet"
    );
    assert_eq!(
        op["responses"]["200"]["headers"]["X-Rate"]["schema"]["type"],
        "integer"
    );
    let up =
        &v["paths"]["/upload"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"];
    assert_eq!(up["properties"]["file"]["format"], "binary");
    assert_eq!(up["required"][0], "file");
    assert_eq!(
        v["components"]["schemas"]["Pet"]["properties"]["name"]["nullable"],
        true
    );
    assert_eq!(
        v["components"]["securitySchemes"]["basic"]["scheme"],
        "basic"
    );
    assert_eq!(
        v["components"]["securitySchemes"]["oauth"]["flows"]["authorizationCode"]["tokenUrl"],
        "https://a/token"
    );
    assert_eq!(n.openapi.paths.paths.len(), 2);
}

#[test]
fn prefixes_for_openapiv3_strictness() {
    let text = "openapi: 3.0.0\ninfo: {title: t, version: 1.0}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  a: {type: integer, exclusiveMinimum: 1, required: true}\n";
    let (n, d) = run("f.yaml", text);
    assert!(d.iter().all(|d| !d.is_error()), "{d:#?}");
    let n = n.expect("normalizes");
    assert_eq!(n.openapi.info.version, "1.0");
    assert_eq!(
        d.iter()
            .filter(|d| d.code == "normalize/required-flag")
            .count(),
        1
    );
}

/// Integers whose documented values go past `i64` (DigitalOcean's MySQL and Kafka settings)
/// become `uint64`, so that those very values decode; anything negative keeps the type as is.
#[test]
fn integers_documented_past_i64_are_uint64() {
    let (v, d) = schemas31(
        "    Seeks: {type: integer, minimum: 1, maximum: 18446744073709551615}\n    Flush: {type: integer, example: 9223372036854776000, default: 9223372036854776000}\n    Small: {type: integer, maximum: 100}\n    Signed: {type: integer, minimum: -1, example: 9223372036854776000}\n    Int32: {type: integer, format: int32, example: 9223372036854776000}\n",
    );
    let s = &v["components"]["schemas"];
    assert_eq!(
        s["Seeks"],
        json!({"type": "integer", "format": "uint64", "minimum": 1})
    );
    assert_eq!(s["Flush"]["format"], "uint64");
    assert_eq!(s["Small"], json!({"type": "integer", "maximum": 100}));
    assert_eq!(s["Signed"].get("format"), None);
    assert_eq!(s["Int32"]["format"], "int32");
    assert!(d.is_empty(), "{d:#?}");
}

/// Object keywords beside another `type` (Partner Center's referral tags) are dropped, with
/// a located warning; the schema keeps the type it states.
#[test]
fn object_keywords_beside_another_type_are_dropped() {
    let (v, d) = schemas31(
        "    Tags:\n      type: array\n      items: {type: string, properties: {tag: {type: string}}, required: [tag]}\n",
    );
    assert_eq!(
        v["components"]["schemas"]["Tags"]["items"],
        json!({"type": "string"})
    );
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].code, "normalize/dead-keywords");
    assert!(
        d[0].location.json_pointer.ends_with("/items/properties"),
        "{:?}",
        d[0]
    );
}

/// `x-nullable` beside a `$ref` (Azure Machine Learning's job services: a map of nullable
/// `JobService`s) is a nullable reference, which 3.0 writes as `allOf: [{$ref}]` + `nullable`
/// (a reference's siblings are ignored).
#[test]
fn swagger2_nullable_reference_keeps_its_nullable() {
    let text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  Job:\n    type: object\n    properties:\n      services:\n        type: object\n        additionalProperties: {$ref: '#/definitions/Service', x-nullable: true}\n  Service:\n    type: object\n    properties:\n      port: {type: integer}\n";
    let (n, d) = run("s.yaml", text);
    assert!(d.iter().all(|d| !d.is_error()), "{d:#?}");
    let v = n.expect("normalizes").value;
    let values =
        &v["components"]["schemas"]["Job"]["properties"]["services"]["additionalProperties"];
    assert_eq!(
        values["allOf"],
        json!([{"$ref": "#/components/schemas/Service"}])
    );
    assert_eq!(values["nullable"], true);
    assert!(values.get("$ref").is_none(), "{values}");
}
