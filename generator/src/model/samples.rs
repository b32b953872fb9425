//! Sample arguments for the conformance program: for each action, a schema-valid JSON value
//! for every parameter and for the body, read from the normalized document's schemas
//! (`example`, `default`, the first `enum` value, `format`, `minimum`/`maximum`, lengths).
//! An `example` or `default` is used only when it is valid against its own schema
//! ([`conforms`]); otherwise that node's value is built from the schema.
//!
//! The values are decided here; the emitter only prints them as Rust expressions of the
//! model's types (`emit::conformance`).

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::{Action, BodyKind, Connector};

mod conforms;

use conforms::conforms;

/// The sample arguments of one action.
#[derive(Clone, Debug, Default)]
pub struct ActionSample {
    /// One value per [`Action::params`], in the same order (`None`: no schema found).
    pub params: Vec<Option<Value>>,
    /// The body's value, when the action has a body.
    pub body: Option<Value>,
}

/// Nesting followed before a schema is sampled as its cheapest value.
const MAX_DEPTH: usize = 12;

/// Sample arguments for every action of `c`, in action order.
pub fn samples(c: &Connector, doc: &Value) -> Vec<ActionSample> {
    c.actions.iter().map(|a| action_sample(a, doc)).collect()
}

/// Sample arguments for one action (see [`samples`]).
pub fn action_sample(a: &Action, doc: &Value) -> ActionSample {
    let item = doc.get("paths").and_then(|p| p.get(&a.path));
    let op = item.and_then(|i| i.get(a.method.to_ascii_lowercase()));
    let mut declared: Vec<&Value> = Vec::new();
    for list in [op, item].into_iter().flatten() {
        if let Some(Value::Array(ps)) = list.get("parameters") {
            declared.extend(ps.iter().map(|p| resolve(doc, p)));
        }
    }
    let params = a
        .params
        .iter()
        .map(|p| {
            let loc = p.location.as_str();
            let decl = declared.iter().find(|d| {
                d.get("name").and_then(Value::as_str) == Some(p.wire_name.as_str())
                    && d.get("in").and_then(Value::as_str) == Some(loc)
            })?;
            let schema = decl.get("schema").or_else(|| {
                decl.get("content")
                    .and_then(Value::as_object)
                    .and_then(|c| c.values().next())
                    .and_then(|m| m.get("schema"))
            });
            if let Some(ex) = decl.get("example") {
                if schema.is_none_or(|s| conforms(doc, ex, s)) {
                    return Some(ex.clone());
                }
            }
            Some(sample(doc, schema?, 0, &mut BTreeSet::new()))
        })
        .collect();
    let body = a
        .body
        .as_ref()
        .map(|b| {
            let content = op
                .and_then(|o| o.get("requestBody"))
                .map(|rb| resolve(doc, rb))
                .and_then(|rb| rb.get("content"))
                .and_then(Value::as_object);
            let media = content.and_then(|c| {
                let wanted = |k: &str| match &b.kind {
                    BodyKind::Json(_) => k.contains("json"),
                    BodyKind::Form(_) => k.starts_with("application/x-www-form-urlencoded"),
                    BodyKind::Multipart(_) => k.starts_with("multipart/"),
                    BodyKind::Bytes(ct) | BodyKind::Text(ct) => k == ct,
                };
                c.iter()
                    .find(|(k, _)| wanted(&k.to_ascii_lowercase()))
                    .or_else(|| c.iter().next())
                    .map(|(_, m)| m)
            });
            match media {
                Some(m) => match (m.get("example"), m.get("schema")) {
                    (Some(ex), None) => ex.clone(),
                    (Some(ex), Some(s)) if conforms(doc, ex, s) => ex.clone(),
                    (_, Some(s)) => sample(doc, s, 0, &mut BTreeSet::new()),
                    (None, None) => Value::Null,
                },
                None => Value::Null,
            }
        })
        // A free-form JSON body (`schema: {}`: Azure Machine Learning's create and update
        // actions) has no sample value of its own; a required body is sent, so an empty object
        // rather than `null` (which a server reads as no body).
        .map(|v| match (&v, a.body.as_ref().map(|b| &b.kind)) {
            (Value::Null, Some(BodyKind::Json(_))) => json!({}),
            _ => v,
        });
    ActionSample { params, body }
}

/// Follows local `$ref`s (`#/…`), at most a few times.
fn resolve<'v>(doc: &'v Value, v: &'v Value) -> &'v Value {
    let mut cur = v;
    for _ in 0..16 {
        match cur.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                Some(next) => cur = next,
                None => return cur,
            },
            None => return cur,
        }
    }
    cur
}

/// A schema-valid value of `schema`: its `example` or `default` when valid against it, its
/// first `enum` value, or one built from its type, format and bounds (an object from its
/// required properties, each sampled the same way; one item per array).
pub fn sample(doc: &Value, schema: &Value, depth: usize, seen: &mut BTreeSet<String>) -> Value {
    let reference = schema
        .get("$ref")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(r) = &reference {
        if !seen.insert(r.clone()) {
            return Value::Null;
        }
    }
    let s = resolve(doc, schema);
    let out = sample_resolved(doc, s, depth, seen);
    if let Some(r) = &reference {
        seen.remove(r);
    }
    out
}

fn sample_resolved(doc: &Value, s: &Value, depth: usize, seen: &mut BTreeSet<String>) -> Value {
    for key in ["example", "default"] {
        if let Some(v) = s.get(key) {
            if !v.is_null() && conforms(doc, v, s) {
                return v.clone();
            }
        }
    }
    if let Some(Value::Array(vs)) = s.get("enum") {
        if let Some(v) = vs.iter().find(|v| !v.is_null()) {
            return v.clone();
        }
    }
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    if let Some(Value::Array(parts)) = s.get("allOf") {
        let mut merged = Map::new();
        let mut other = None;
        for p in parts {
            match sample(doc, p, depth + 1, seen) {
                Value::Object(m) => merged.extend(m),
                Value::Null => {}
                v => other = Some(v),
            }
        }
        if let Some(Value::Object(own)) = object_sample(doc, s, depth, seen) {
            merged.extend(own);
        }
        return match other {
            Some(v) if merged.is_empty() => v,
            _ => Value::Object(merged),
        };
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(alts)) = s.get(key) {
            if let Some(first) = alts.first() {
                let mut v = sample(doc, first, depth + 1, seen);
                // A discriminator names the alternative by a property.
                if let (Some(prop), Value::Object(m)) = (
                    s.get("discriminator")
                        .and_then(|d| d.get("propertyName"))
                        .and_then(Value::as_str),
                    &mut v,
                ) {
                    if !m.contains_key(prop) {
                        if let Some(r) = first.get("$ref").and_then(Value::as_str) {
                            // The mapping's tag for the member, else its schema's name.
                            let name = r.rsplit('/').next().unwrap_or_default();
                            let mapped = s
                                .pointer("/discriminator/mapping")
                                .and_then(Value::as_object)
                                .and_then(|mapping| {
                                    mapping.iter().find(|(_, to)| {
                                        to.as_str().is_some_and(|to| {
                                            to == r
                                                || to == name
                                                || to.rsplit('/').next() == Some(name)
                                        })
                                    })
                                })
                                .map(|(tag, _)| tag.as_str());
                            m.insert(prop.to_string(), Value::from(mapped.unwrap_or(name)));
                        }
                    }
                }
                return v;
            }
        }
    }
    let ty = s.get("type").and_then(Value::as_str).unwrap_or_else(|| {
        if s.get("properties").is_some() || s.get("additionalProperties").is_some() {
            "object"
        } else if s.get("items").is_some() {
            "array"
        } else {
            ""
        }
    });
    match ty {
        "object" => object_sample(doc, s, depth, seen).unwrap_or_else(|| json!({})),
        "array" => {
            let min = s
                .get("minItems")
                .and_then(Value::as_u64)
                .unwrap_or(1)
                .max(1);
            match s.get("items") {
                Some(items) => {
                    let v = sample(doc, items, depth + 1, seen);
                    if v.is_null() {
                        json!([])
                    } else if s.get("uniqueItems") == Some(&Value::Bool(true)) {
                        // Distinct items (Discord's bulk delete: 2 to 100 unique message ids).
                        let items: Vec<Value> = (0..min.min(4)).map(|i| distinct(&v, i)).collect();
                        Value::Array(items)
                    } else {
                        Value::Array(vec![v; min.min(4) as usize])
                    }
                }
                None => json!([]),
            }
        }
        "string" => Value::from(string_sample(s)),
        "integer" => Value::from(integer_sample(s)),
        "number" => number_sample(s),
        "boolean" => Value::Bool(true),
        _ => Value::Null,
    }
}

/// The `i`-th of several distinct items made from the sample `v`: an integer counts up, a
/// string of digits too, another string changes its last character (a UUID stays one);
/// anything else is repeated as it is.
fn distinct(v: &Value, i: u64) -> Value {
    if i == 0 {
        return v.clone();
    }
    match v {
        Value::Number(n) if n.as_i64().is_some() => {
            Value::from(n.as_i64().unwrap_or(0).wrapping_add(i as i64))
        }
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            let n: u128 = s.parse().unwrap_or(0);
            Value::from(format!(
                "{:0width$}",
                n.wrapping_add(u128::from(i)),
                width = s.len()
            ))
        }
        Value::String(s) if !s.is_empty() => {
            let mut chars: Vec<char> = s.chars().collect();
            let last = chars.len() - 1;
            let hex = "0123456789abcdef";
            let pos = hex.find(chars[last].to_ascii_lowercase()).unwrap_or(0);
            chars[last] = hex.as_bytes()[(pos + i as usize) % 16] as char;
            Value::from(chars.into_iter().collect::<String>())
        }
        other => other.clone(),
    }
}

fn object_sample(
    doc: &Value,
    s: &Value,
    depth: usize,
    seen: &mut BTreeSet<String>,
) -> Option<Value> {
    let props = s.get("properties").and_then(Value::as_object);
    let required: Vec<&str> = s
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if props.is_none() && required.is_empty() {
        return None;
    }
    let mut out = Map::new();
    for name in required {
        let v = match props.and_then(|p| p.get(name)) {
            Some(ps) => sample(doc, ps, depth + 1, seen),
            None => Value::from("x"),
        };
        out.insert(name.to_string(), v);
    }
    Some(Value::Object(out))
}

fn string_sample(s: &Value) -> String {
    let format = s.get("format").and_then(Value::as_str).unwrap_or("");
    let base = match format {
        "date-time" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "time" => "03:04:05",
        "uuid" => "00000000-0000-4000-8000-000000000000",
        "email" => "user@example.com",
        "uri" | "url" | "uri-reference" | "iri" => "https://example.com/x",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "AAAA",
        "binary" => "x",
        _ => "x",
    };
    let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = s
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|m| m as usize);
    let mut out = base.to_string();
    if out.len() < min && matches!(format, "" | "binary") {
        out = "x".repeat(min.min(64));
    }
    if let Some(max) = max {
        if out.len() > max && matches!(format, "" | "binary") {
            out.truncate(max);
        }
    }
    // A `pattern` wins over the format's value unless that value matches it too.
    if let Some(pattern) = s.get("pattern").and_then(Value::as_str) {
        let pattern = Pattern::new(pattern);
        if !pattern.accepts(&out) {
            if let Some(p) = pattern.sample(min, max) {
                return p;
            }
        }
    }
    out
}

/// Most characters a pattern sample is grown to (for `minLength`).
const MAX_PATTERN_SAMPLE: usize = 256;

/// A schema `pattern` (ECMA-262), read once: its regex without lookarounds (which the regex
/// crate does not support: `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`), that regex's syntax tree
/// to build samples from, and each lookahead compiled on its own with whether it is negative.
/// A part that does not compile is `None`; a sample built from the tree is checked against
/// the lookaheads separately.
struct Pattern {
    /// The pattern without lookarounds, searched as JSON Schema does.
    regex: Option<regex::Regex>,
    /// Its syntax tree, what samples are built from.
    hir: Option<regex_syntax::hir::Hir>,
    /// Each lookahead anchored at the start of the value (`None`: it does not compile, and
    /// is not checked), with whether it is negative.
    lookaheads: Vec<(bool, Option<regex::Regex>)>,
}

impl Pattern {
    fn new(pattern: &str) -> Pattern {
        let compile = |p: &str| regex::RegexBuilder::new(p).size_limit(1 << 20).build().ok();
        let Some((rest, looks)) = strip_lookarounds(pattern) else {
            return Pattern {
                regex: None,
                hir: None,
                lookaheads: Vec::new(),
            };
        };
        let hir = regex_syntax::ParserBuilder::new()
            .nest_limit(64)
            .build()
            .parse(&rest)
            .ok();
        let lookaheads = looks
            .iter()
            .map(|(negative, body)| {
                let anchored = format!("^(?:{})", body.trim_start_matches('^'));
                (*negative, compile(&anchored))
            })
            .collect();
        Pattern {
            regex: compile(&rest),
            hir,
            lookaheads,
        }
    }

    /// Whether the pattern could be read (an unreadable one accepts nothing).
    fn readable(&self) -> bool {
        self.regex.is_some()
    }

    /// Whether `value` matches (searched, as JSON Schema does), lookaheads read as anchored
    /// at the start of the value; `false` when the pattern cannot be read.
    fn accepts(&self, value: &str) -> bool {
        let Some(re) = &self.regex else {
            return false;
        };
        re.is_match(value)
            && self.lookaheads.iter().all(|(negative, l)| match l {
                Some(l) => l.is_match(value) != *negative,
                None => true,
            })
    }

    /// A short string matching the pattern, of at least `min` characters where the pattern
    /// can grow, or `None` when the pattern cannot be read or no matching string was found.
    fn sample(&self, min: usize, max: Option<usize>) -> Option<String> {
        let hir = self.hir.as_ref()?;
        let mut tries = vec![0usize];
        if min > 0 {
            tries.insert(0, min.min(MAX_PATTERN_SAMPLE));
        }
        for extra in tries {
            for pick in [Pick::First, Pick::Other] {
                let mut budget = extra;
                let mut out = String::new();
                hir_sample(hir, &mut budget, pick, &mut out, 0);
                let len = out.chars().count();
                if self.accepts(&out)
                    && len >= min.min(MAX_PATTERN_SAMPLE)
                    && max.is_none_or(|m| len <= m)
                {
                    return Some(out);
                }
            }
        }
        // No sample satisfies the lengths too: one that matches the pattern.
        let mut budget = 0;
        let mut out = String::new();
        hir_sample(hir, &mut budget, Pick::First, &mut out, 0);
        self.accepts(&out).then_some(out)
    }
}

/// `pattern` without its lookaround groups, and each group's body with whether it is
/// negative. `None` when the groups are unbalanced.
fn strip_lookarounds(pattern: &str) -> Option<(String, Vec<(bool, String)>)> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut looks = Vec::new();
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            out.push(c);
            if let Some(n) = chars.get(i + 1) {
                out.push(*n);
            }
            i += 2;
            continue;
        }
        if in_class {
            in_class = c != ']';
            out.push(c);
            i += 1;
            continue;
        }
        if c == '[' {
            in_class = true;
            out.push(c);
            i += 1;
            continue;
        }
        let head: String = chars[i..chars.len().min(i + 4)].iter().collect();
        let look = ["(?<=", "(?<!", "(?=", "(?!"]
            .into_iter()
            .find(|p| head.starts_with(p));
        if let Some(prefix) = look {
            // The matching `)`, skipping escapes and classes.
            let start = i + prefix.chars().count();
            let (mut depth, mut j, mut class) = (1usize, start, false);
            while j < chars.len() {
                match chars[j] {
                    '\\' => j += 1,
                    '[' if !class => class = true,
                    ']' if class => class = false,
                    '(' if !class => depth += 1,
                    ')' if !class => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            if j >= chars.len() {
                return None;
            }
            let body: String = chars[start..j].iter().collect();
            // Only lookaheads are checked (a lookbehind's body is rare in definitions).
            if prefix == "(?=" || prefix == "(?!" {
                looks.push((prefix == "(?!", body));
            }
            i = j + 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    Some((out, looks))
}

/// Which member of a class or alternation a sample takes: the first suitable one, or
/// another (a second try, for a lookahead that refuses the first).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pick {
    First,
    Other,
}

/// Appends a shortest match of `hir` to `out`; a repetition without a fixed count takes up
/// to `budget` more characters (for `minLength`).
fn hir_sample(
    hir: &regex_syntax::hir::Hir,
    budget: &mut usize,
    pick: Pick,
    out: &mut String,
    depth: usize,
) {
    use regex_syntax::hir::{Class, HirKind};
    if depth > 64 || out.len() > 4 * MAX_PATTERN_SAMPLE {
        return;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => out.push_str(&String::from_utf8_lossy(&l.0)),
        HirKind::Class(Class::Unicode(c)) => {
            let chars = c.ranges().iter().flat_map(|r| {
                // A few characters per range are enough to choose from.
                let (a, b) = (r.start() as u32, r.end() as u32);
                (a..=b.min(a + 127)).filter_map(char::from_u32)
            });
            if let Some(ch) = choose_char(chars, pick) {
                out.push(ch);
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            let chars = c
                .ranges()
                .iter()
                .flat_map(|r| (r.start()..=r.end()).filter(u8::is_ascii).map(char::from));
            if let Some(ch) = choose_char(chars, pick) {
                out.push(ch);
            }
        }
        HirKind::Repetition(r) => {
            let mut n = r.min as usize;
            if n > MAX_PATTERN_SAMPLE {
                n = MAX_PATTERN_SAMPLE;
            }
            for _ in 0..n {
                hir_sample(&r.sub, budget, pick, out, depth + 1);
            }
            let room = r.max.map_or(usize::MAX, |m| (m as usize).saturating_sub(n));
            let mut extra = 0;
            while *budget > 0 && extra < room && out.len() <= MAX_PATTERN_SAMPLE {
                let before = out.chars().count();
                hir_sample(&r.sub, &mut 0, pick, out, depth + 1);
                let grown = out.chars().count() - before;
                if grown == 0 {
                    break;
                }
                *budget = budget.saturating_sub(grown);
                extra += 1;
            }
        }
        HirKind::Capture(c) => hir_sample(&c.sub, budget, pick, out, depth + 1),
        HirKind::Concat(parts) => {
            for p in parts {
                hir_sample(p, budget, pick, out, depth + 1);
            }
        }
        HirKind::Alternation(alts) => {
            let alt = match pick {
                Pick::First => alts.first(),
                Pick::Other => alts.get(1).or(alts.first()),
            };
            if let Some(a) = alt {
                hir_sample(a, budget, pick, out, depth + 1);
            }
        }
    }
}

/// A printable character of a class: an ASCII letter or digit where there is one, then
/// other visible ASCII, then anything; the first such (or, for [`Pick::Other`], a later one).
fn choose_char(chars: impl Iterator<Item = char> + Clone, pick: Pick) -> Option<char> {
    let rank = |c: &char| {
        if c.is_ascii_alphanumeric() {
            0
        } else if c.is_ascii_graphic() {
            1
        } else if !c.is_control() && !c.is_whitespace() {
            2
        } else {
            3
        }
    };
    let best = chars.clone().map(|c| rank(&c)).min()?;
    let mut good = chars.filter(|c| rank(c) == best);
    let first = good.next()?;
    match pick {
        Pick::First => Some(first),
        // Another letter case or digit: `g` rather than `a`, so a lookahead refusing the
        // first pick may accept this one.
        Pick::Other => good.nth(5).or(Some(first)),
    }
}

fn integer_sample(s: &Value) -> i64 {
    let min = s.get("minimum").and_then(Value::as_f64);
    let max = s.get("maximum").and_then(Value::as_f64);
    let exclusive_min = s.get("exclusiveMinimum").and_then(Value::as_bool) == Some(true);
    let mut v: i64 = 1;
    if let Some(m) = min {
        let lo = if exclusive_min {
            m.floor() as i64 + 1
        } else {
            m.ceil() as i64
        };
        v = v.max(lo);
    }
    if let Some(m) = max {
        v = v.min(m.floor() as i64);
    }
    if let Some(step) = s.get("multipleOf").and_then(Value::as_i64) {
        if step > 0 && v % step != 0 {
            v = (v / step + 1) * step;
        }
    }
    v
}

fn number_sample(s: &Value) -> Value {
    let min = s.get("minimum").and_then(Value::as_f64);
    let max = s.get("maximum").and_then(Value::as_f64);
    let mut v = 1.5_f64;
    if let Some(m) = min {
        if v < m {
            v = m + 0.5;
        }
    }
    if let Some(m) = max {
        if v > m {
            v = m;
        }
    }
    Value::from(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_honours_example_enum_format_and_bounds() {
        let doc = json!({"components": {"schemas": {"Pet": {
            "type": "object",
            "required": ["name", "age", "kind", "born"],
            "properties": {
                "name": {"type": "string", "minLength": 3},
                "age": {"type": "integer", "minimum": 5},
                "kind": {"type": "string", "enum": ["cat", "dog"]},
                "born": {"type": "string", "format": "date"},
                "tag": {"type": "string"}
            }
        }}}});
        let v = sample(
            &doc,
            &json!({"$ref": "#/components/schemas/Pet"}),
            0,
            &mut BTreeSet::new(),
        );
        assert_eq!(
            v,
            json!({"name": "xxx", "age": 5, "kind": "cat", "born": "2024-01-02"})
        );
    }

    /// Dime.Scheduler's `caption`: the schema's example has "string" where an enum value and
    /// an email are asked for; a property's own valid example is kept.
    fn caption_doc(example: Value) -> Value {
        json!({"definitions": {"caption": {
            "type": "object",
            "required": ["context", "email", "text"],
            "properties": {
                "context": {"type": "integer", "enum": [1, 2, 3, 6]},
                "email": {"type": "string", "format": "email"},
                "text": {"type": "string", "example": "Hello"},
                "language": {"type": "string"}
            },
            "example": example
        }}})
    }

    fn caption_sample(doc: &Value) -> Value {
        let schema = json!({"$ref": "#/definitions/caption"});
        sample(doc, &schema, 0, &mut BTreeSet::new())
    }

    #[test]
    fn an_example_that_breaks_its_schema_is_replaced() {
        let doc = caption_doc(json!({
            "context": "string", "email": "string", "text": "string", "language": "string"
        }));
        let v = caption_sample(&doc);
        assert_eq!(
            v,
            json!({"context": 1, "email": "user@example.com", "text": "Hello"})
        );
        assert!(conforms(
            &doc,
            &v,
            &json!({"$ref": "#/definitions/caption"})
        ));
        // A property's own example or default is checked too.
        let v = sample(
            &json!({}),
            &json!({"type": "integer", "enum": [1, 2], "example": "string", "default": 2}),
            0,
            &mut BTreeSet::new(),
        );
        assert_eq!(v, json!(2));
    }

    #[test]
    fn an_example_that_keeps_its_schema_is_used() {
        let example = json!({
            "context": 6, "email": "planner@dime.example", "text": "Shift", "language": "nl"
        });
        let doc = caption_doc(example.clone());
        assert_eq!(caption_sample(&doc), example);
        let v = sample(
            &json!({}),
            &json!({"type": "string", "format": "date", "example": "2023-11-16"}),
            0,
            &mut BTreeSet::new(),
        );
        assert_eq!(v, json!("2023-11-16"));
    }

    #[test]
    fn a_recursive_schema_ends() {
        let doc = json!({"components": {"schemas": {"Node": {
            "type": "object", "required": ["next"],
            "properties": {"next": {"$ref": "#/components/schemas/Node"}}
        }}}});
        let v = sample(
            &doc,
            &json!({"$ref": "#/components/schemas/Node"}),
            0,
            &mut BTreeSet::new(),
        );
        assert_eq!(v, json!({"next": null}));
    }

    #[test]
    fn unique_items_are_distinct() {
        let ids = sample(
            &json!({}),
            &json!({"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "string", "pattern": "^[0-9]+$"}}),
            0,
            &mut BTreeSet::new(),
        );
        let ids = ids.as_array().expect("array");
        assert_eq!(ids.len(), 2);
        assert_ne!(ids[0], ids[1]);
        let uuids = sample(
            &json!({}),
            &json!({"type": "array", "minItems": 3, "uniqueItems": true, "items": {"type": "string", "format": "uuid"}}),
            0,
            &mut BTreeSet::new(),
        );
        let uuids: Vec<&str> = uuids
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(uuids.len(), 3);
        assert!(
            uuids[0] != uuids[1] && uuids[1] != uuids[2] && uuids[0] != uuids[2],
            "{uuids:?}"
        );
        assert!(
            uuids
                .iter()
                .all(|u| u.len() == 36 && u.matches('-').count() == 4),
            "{uuids:?}"
        );
    }

    #[test]
    fn a_discriminated_sample_carries_the_mapping_tag() {
        let doc = json!({"components": {"schemas": {"record_a": {
            "type": "object", "required": ["data"], "properties": {"data": {"type": "string"}}
        }}}});
        let schema = json!({
            "oneOf": [{"$ref": "#/components/schemas/record_a"}],
            "discriminator": {"propertyName": "type", "mapping": {"A": "#/components/schemas/record_a"}}
        });
        let v = sample(&doc, &schema, 0, &mut BTreeSet::new());
        assert_eq!(v["type"], "A", "{v}");
        let unmapped = json!({
            "oneOf": [{"$ref": "#/components/schemas/record_a"}],
            "discriminator": {"propertyName": "type"}
        });
        let v = sample(&doc, &unmapped, 0, &mut BTreeSet::new());
        assert_eq!(v["type"], "record_a", "{v}");
    }

    fn string_of(schema: Value) -> String {
        match sample(&json!({}), &schema, 0, &mut BTreeSet::new()) {
            Value::String(s) => s,
            v => panic!("not a string: {v}"),
        }
    }

    #[test]
    fn a_sample_matches_the_pattern_with_its_lookahead() {
        // Oxide Nexus' `Name`: not a UUID, a lower-case letter first.
        let nexus = "^(?![0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$)^[a-z][a-z0-9-]*[a-zA-Z0-9]$";
        let v = string_of(json!({"type": "string", "pattern": nexus, "maxLength": 63}));
        assert_eq!(v, "a0");
        let nexus = Pattern::new(nexus);
        assert!(nexus.accepts(&v));
        // A UUID is refused by the lookahead, so the check is not a formality.
        assert!(!nexus.accepts("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"));
        assert!(nexus.accepts("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaaz"));
    }

    #[test]
    fn a_sample_matches_patterns_of_the_corpus() {
        for (pattern, min) in [
            (r"^\d+\.\d+\.\d+([\-\+].+)?$", 0),
            (r"^[A-Z]{2}-\d{3,5}$", 0),
            (r"^(foo|bar)+_[a-f0-9]{4,}$", 12),
            (r"[a-zA-Z0-9_.-]+", 5),
            (r"^\+?[1-9]\d{1,14}$", 0),
            (r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$", 0),
            // AWS Lambda's and Twilio's.
            (
                r"arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}(-gov)?-[a-z]+-\d{1}:\d{12}:function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?",
                0,
            ),
            (r"\d{12}|\*|arn:(aws[a-zA-Z-]*):iam::\d{12}:root", 0),
            (r"^MG[0-9a-fA-F]{32}$", 0),
        ] {
            let v = string_of(json!({"type": "string", "pattern": pattern, "minLength": min}));
            let re = regex::Regex::new(&strip_lookarounds(pattern).unwrap().0).unwrap();
            assert!(re.is_match(&v), "{v:?} does not match {pattern}");
            assert!(v.chars().count() >= min, "{v:?} is shorter than {min}");
        }
    }

    #[test]
    fn a_format_value_stays_when_it_matches_the_pattern() {
        let v = string_of(json!({"type": "string", "format": "email", "pattern": "^.+@.+$"}));
        assert_eq!(v, "user@example.com");
        let v = string_of(
            json!({"type": "string", "format": "email", "pattern": "^[a-z]+@corp\\.test$"}),
        );
        assert_eq!(v, "a@corp.test");
    }

    #[test]
    fn an_unreadable_pattern_falls_back_without_panicking() {
        for pattern in ["(?!unclosed", "[z-a]", "(((", "\\"] {
            let v = string_of(json!({"type": "string", "pattern": pattern}));
            assert_eq!(v, "x");
        }
    }
}
