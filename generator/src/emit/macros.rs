//! prettyplease leaves macro bodies on long lines; this lays out `string_enum!` invocations
//! the way a person would write them.

use crate::model::{Connector, TypeKind};

const START: &str = "connectorkit::string_enum! {";

/// Rewrites every `connectorkit::string_enum! { … }` block of `text`.
pub fn reformat(text: &str, c: &Connector) -> String {
    if !text.contains(START) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed != START {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let indent = &line[..line.len() - trimmed.len()];
        let close = format!("{indent}}}");
        let mut body = String::new();
        for inner in lines.by_ref() {
            if inner == close {
                break;
            }
            body.push_str(inner);
            body.push(' ');
        }
        match enum_name(&body).and_then(|n| render(c, n, indent)) {
            Some(rendered) => out.push_str(&rendered),
            None => {
                out.push_str(line);
                out.push('\n');
                out.push_str(&body);
                out.push('\n');
                out.push_str(&close);
                out.push('\n');
            }
        }
    }
    out
}

/// The enum's name: the word after `pub enum` (prettyplease may break the line anywhere
/// between them, so any run of whitespace separates the words).
fn enum_name(body: &str) -> Option<&str> {
    let mut words = body.split_whitespace();
    let mut previous = "";
    for w in words.by_ref() {
        if previous == "pub" && w == "enum" {
            break;
        }
        previous = w;
    }
    let after = words.next()?;
    let end = after
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '#'))
        .unwrap_or(after.len());
    (end > 0).then(|| &after[..end])
}

fn render(c: &Connector, name: &str, indent: &str) -> Option<String> {
    let def = c.types.iter().find(|d| d.name == name)?;
    let TypeKind::StringEnum { variants } = &def.kind else {
        return None;
    };
    let fallback = format!("The `{}` schema.", def.name);
    let mut s = format!("{indent}{START}\n");
    for l in super::docs::clean(def.doc.as_deref().unwrap_or(&fallback)).lines() {
        push_doc(&mut s, indent, 1, l);
    }
    s.push_str(&format!("{indent}    pub enum {} {{\n", def.name));
    for v in variants {
        let wire = v.wire.clone().unwrap_or_default();
        let doc = v.doc.clone().unwrap_or_else(|| format!("`{wire}`"));
        for l in super::docs::clean(&doc).lines() {
            push_doc(&mut s, indent, 2, l);
        }
        s.push_str(&format!("{indent}        {} = {:?},\n", v.ident, wire));
    }
    s.push_str(&format!("{indent}    }}\n{indent}}}\n"));
    Some(s)
}

fn push_doc(s: &mut String, indent: &str, level: usize, line: &str) {
    let pad = "    ".repeat(level);
    if line.is_empty() {
        s.push_str(&format!("{indent}{pad}///\n"));
    } else {
        s.push_str(&format!("{indent}{pad}/// {line}\n"));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_name_is_found_across_line_breaks() {
        let body = r#"#[doc = " The `FieldType`."] pub     enum FieldType { #[doc = " `string`"] String = "string", }"#;
        assert_eq!(super::enum_name(body), Some("FieldType"));
        assert_eq!(
            super::enum_name("pub enum\n    Kind{ A = \"a\", }"),
            Some("Kind")
        );
        assert_eq!(super::enum_name("no enum here"), None);
    }
}
