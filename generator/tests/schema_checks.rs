//! Schema mistakes that used to pass silently are located diagnostics with a "did you mean"
//! when a name is close, and `validate`'s typing figures come from the model.

use std::path::Path;

use connectorkit_generator::{prepare_bytes, Diagnostic, Prepared, Severity};

const MISTAKES: &str = r##"openapi: 3.0.3
info: {title: mistakes, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /c/{unbalanced:
    get:
      operationId: broken
      responses: {"204": {description: gone}}
  /items/{itemId}:
    get:
      operationId: getItem
      parameters:
        - {name: itemid, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
components:
  schemas:
    Item:
      type: object
      required: [name]
      properties:
        nmae: {type: string}
        count: {type: integr}
        meta: {}
        tags: {type: object}
"##;

fn prepared(text: &str) -> Prepared {
    prepare_bytes(Path::new("mistakes.yaml"), text.as_bytes())
        .unwrap_or_else(|f| panic!("does not prepare:\n{f}"))
}

fn find<'a>(diags: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    diags
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {diags:#?}"))
}

#[test]
fn an_unknown_type_is_located_with_the_close_name() {
    let p = prepared(MISTAKES);
    let d = find(&p.diagnostics, "schema/unknown-type");
    assert_eq!(
        d.location.json_pointer,
        "/components/schemas/Item/properties/count/type"
    );
    assert_eq!(d.location.line, 27);
    assert_eq!(d.hint.as_deref(), Some("did you mean `integer`?"));
}

#[test]
fn a_required_name_without_a_property_is_located_with_the_close_name() {
    let p = prepared(MISTAKES);
    let d = find(&p.diagnostics, "schema/required-missing");
    assert!(d.message.contains("`name`"), "{}", d.message);
    assert_eq!(
        d.location.json_pointer,
        "/components/schemas/Item/required/0"
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `nmae`?"));
}

#[test]
fn an_unbalanced_template_drops_its_operations_only() {
    let p = prepared(MISTAKES);
    let d = find(&p.diagnostics, "model/path-template");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.location.json_pointer, "/paths/~1c~1{unbalanced");
    assert_eq!(d.location.line, 5);
    let actions: Vec<&str> = p
        .connector
        .actions
        .iter()
        .map(|a| a.ident.as_str())
        .collect();
    assert_eq!(actions, ["get_item"]);
}

#[test]
fn template_and_parameter_names_that_differ_suggest_each_other() {
    let p = prepared(MISTAKES);
    let unused = find(&p.diagnostics, "model/path-param-unused");
    assert_eq!(unused.hint.as_deref(), Some("did you mean `itemId`?"));
    let missing = find(&p.diagnostics, "model/path-param-missing");
    assert!(
        missing
            .hint
            .as_deref()
            .is_some_and(|h| h.starts_with("did you mean `itemid`?")),
        "{:?}",
        missing.hint
    );
}

#[test]
fn typing_figures_tell_free_form_from_fallbacks() {
    let p = prepared(MISTAKES);
    let t = &p.connector.typing;
    // nmae: typed; count: `type: integr` falls back; meta and tags are free-form.
    assert_eq!(
        (t.fields.typed, t.fields.free_form, t.fields.fallback),
        (1, 2, 1)
    );
    assert_eq!(t.fallbacks.len(), 1);
    let f = &t.fallbacks[0];
    assert_eq!(f.code, "model/value-fallback");
    assert_eq!(
        f.location.json_pointer,
        "/components/schemas/Item/properties/count"
    );
    // The path parameter (the misspelt one is ignored; the template's gets a string).
    assert_eq!((t.params.typed, t.params.fallback), (1, 0));
}

#[test]
fn a_correct_definition_has_none_of_these() {
    let fixed = MISTAKES
        .replace("/c/{unbalanced:", "/c/{balanced}:")
        .replace("nmae", "name")
        .replace("integr", "integer")
        .replace("name: itemid", "name: itemId");
    let fixed = fixed.replace(
        "      operationId: broken\n",
        "      operationId: fine\n      parameters: [{name: balanced, in: path, required: true, schema: {type: string}}]\n",
    );
    let p = prepared(&fixed);
    for code in [
        "schema/unknown-type",
        "schema/required-missing",
        "model/path-template",
        "model/path-param-unused",
        "model/path-param-missing",
    ] {
        assert!(
            p.diagnostics.iter().all(|d| d.code != code),
            "{code}: {:#?}",
            p.diagnostics
        );
    }
    assert_eq!(p.connector.typing.fields.fallback, 0);
}
