//! A reference to a `nullable` component is an `Option` when the component's own type
//! cannot hold `null` (a struct, a string enum, a union): GitHub's `nullable-simple-user`
//! (`suspended_by: null`) decoded into a plain struct failed with "invalid type: null,
//! expected a map" (the all-scope round trip found 526 such instances). A nullable alias
//! (a string) carries its `Option` itself and is not wrapped twice.

use std::path::Path;

use connectorkit_generator::model::{RustType, TypeKind};
use connectorkit_generator::prepare_bytes;

#[test]
fn references_to_nullable_components_are_options() {
    let text = r#"
openapi: 3.0.3
info: {title: Nullable refs, version: "1"}
paths: {}
components:
  schemas:
    Installation:
      type: object
      required: [suspended_by, state, kind, note]
      properties:
        suspended_by: {$ref: '#/components/schemas/nullable-simple-user'}
        state: {$ref: '#/components/schemas/nullable-state'}
        kind: {$ref: '#/components/schemas/nullable-kind'}
        note: {$ref: '#/components/schemas/nullable-note'}
        owner: {$ref: '#/components/schemas/simple-user'}
    nullable-simple-user:
      type: object
      nullable: true
      properties:
        login: {type: string}
    simple-user:
      type: object
      properties:
        login: {type: string}
    nullable-state:
      type: string
      nullable: true
      enum: [active, suspended]
    nullable-kind:
      nullable: true
      oneOf:
        - {$ref: '#/components/schemas/simple-user'}
        - {type: string}
    nullable-note:
      type: string
      nullable: true
"#;
    let p = prepare_bytes(Path::new("t.yaml"), text.as_bytes()).expect("loads");
    let def = p
        .connector
        .types
        .iter()
        .find(|t| t.name == "Installation")
        .expect("the struct");
    let TypeKind::Struct { fields, .. } = &def.kind else {
        panic!("{def:?}")
    };
    let ty = |wire: &str| {
        fields
            .iter()
            .find(|f| f.wire_name == wire)
            .map(|f| f.ty.clone())
            .unwrap_or_else(|| panic!("no field {wire}"))
    };
    let opt = |n: &str| RustType::Option(Box::new(RustType::Named(n.into())));
    assert_eq!(ty("suspended_by"), opt("NullableSimpleUser"));
    assert_eq!(ty("state"), opt("NullableState"));
    assert_eq!(ty("kind"), opt("NullableKind"));
    // The alias is `Option<String>` already.
    assert_eq!(ty("note"), RustType::Named("NullableNote".into()));
    // Optional and not nullable: `Option` once.
    assert_eq!(ty("owner"), opt("SimpleUser"));
}
