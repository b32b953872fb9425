//! Named component schemas: structurally identical shapes are emitted once.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::infer::Interner;
use super::names;

/// `components.schemas` being built.
#[derive(Default)]
pub(crate) struct Components {
    pub schemas: Map<String, Value>,
    by_shape: BTreeMap<String, String>,
}

impl Interner for Components {
    fn intern(&mut self, name_hint: &str, schema: Value) -> Value {
        let shape = schema.to_string();
        if let Some(name) = self.by_shape.get(&shape) {
            return json!({"$ref": format!("#/components/schemas/{name}")});
        }
        let base = {
            let p = heck::ToPascalCase::to_pascal_case(names::ascii(name_hint).as_str());
            let p: String = p.chars().filter(char::is_ascii_alphanumeric).collect();
            match p.chars().next() {
                None => "Object".to_string(),
                Some(c) if c.is_ascii_digit() => format!("T{p}"),
                Some(_) => p,
            }
        };
        let mut name = base.clone();
        let mut k = 2;
        while self.schemas.contains_key(&name) {
            name = format!("{base}{k}");
            k += 1;
        }
        self.schemas.insert(name.clone(), schema);
        self.by_shape.insert(shape, name.clone());
        json!({"$ref": format!("#/components/schemas/{name}")})
    }
}
