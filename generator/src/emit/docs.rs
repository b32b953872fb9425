//! Definition prose → doc comments that rustdoc, rustc and clippy accept quietly.

use proc_macro2::TokenStream;
use quote::quote;

/// Cleans markdown from a definition so it is safe as a doc comment:
/// characters rustc refuses or warns about in comments are removed ([`sanitize`]),
/// code fences become `text` blocks (never doctests), indentation that would start an
/// indented code block is removed, and list items get a blank line before lazy continuations.
pub fn clean(text: &str) -> String {
    let text = sanitize(text);
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    let mut prev_is_item = false;
    for raw in text.lines() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if in_fence {
                out.push("```".to_string());
            } else {
                if prev_is_item {
                    out.push(String::new());
                }
                out.push("```text".to_string());
            }
            in_fence = !in_fence;
            prev_is_item = false;
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().to_string());
            continue;
        }
        let mut line = link_bare_urls(trimmed);
        // A nested list item keeps (two spaces of) its indentation.
        if is_list_item(trimmed) && raw.starts_with("  ") && prev_is_item {
            line = format!("  {line}");
        }
        let is_item = is_list_item(line.trim_start()) || line.starts_with('>');
        // A lazy continuation gets its own paragraph, unless the line before left a link or
        // a code span open (a blank line would break it in two).
        let open = out.last().is_some_and(|prev: &String| {
            prev.matches('`').count() % 2 == 1
                || prev.matches('[').count() > prev.matches(']').count()
        });
        if prev_is_item && !line.is_empty() && !is_item && !open {
            out.push(String::new());
        }
        prev_is_item = is_item || (prev_is_item && open && !line.is_empty());
        out.push(line);
    }
    if in_fence {
        out.push("```".to_string());
    }
    // Collapse runs of blank lines and trim the ends.
    let mut collapsed: Vec<String> = Vec::with_capacity(out.len());
    for l in out {
        if l.is_empty() && collapsed.last().is_none_or(|p: &String| p.is_empty()) {
            continue;
        }
        collapsed.push(l);
    }
    while collapsed.last().is_some_and(|l| l.is_empty()) {
        collapsed.pop();
    }
    collapsed.join("\n")
}

/// Bare `http(s)://` URLs outside code spans become autolinks (`<https://…>`), so rustdoc's
/// `bare_urls` lint is quiet; URLs that are already a link's target (`](…`), an autolink
/// (`<…`) or inside backticks are left as they are. Trailing punctuation stays outside.
pub fn link_bare_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut i = 0;
    let bytes = line.as_bytes();
    while i < line.len() {
        let rest = &line[i..];
        if rest.starts_with('`') {
            let run = rest.bytes().take_while(|b| *b == b'`').count();
            in_code = !in_code;
            out.push_str(&rest[..run]);
            i += run;
            continue;
        }
        let is_url = !in_code
            && (rest.starts_with("http://") || rest.starts_with("https://"))
            && !line[..i].ends_with("](")
            && !line[..i].ends_with('<')
            && !line[..i].ends_with("]: ")
            && !line[..i].ends_with('"')
            && !line[..i].ends_with('=');
        if is_url {
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
                .unwrap_or(rest.len());
            let url = rest[..end]
                .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', '*', '_', ']']);
            // `(https://x)`: the closing parenthesis belongs to the sentence unless the URL
            // opened one itself.
            let url = if url.matches('(').count() > url.matches(')').count() {
                &rest[..url.len() + rest[url.len()..].find(')').map_or(0, |p| p + 1)]
            } else {
                url
            };
            if url.len() > "https://".len() {
                out.push('<');
                out.push_str(url);
                out.push('>');
                i += url.len();
                continue;
            }
        }
        let ch = rest.chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    let _ = bytes;
    out
}

/// Definition text made safe inside a comment: line breaks of every kind become `\n`, tabs
/// four spaces; other control characters (NUL, a bare CR, escape…), bidirectional-text
/// controls (which rustc denies: they can make code read differently from what it does) and
/// byte-order marks are dropped.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            '\t' => out.push_str("    "),
            c if is_bidi_control(c) || c == '\u{feff}' || c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The characters of rustc's `text_direction_codepoint_in_comment` lint.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

fn is_list_item(line: &str) -> bool {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return true;
    }
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// `#[doc = "…"]` attributes, one per line, for the given paragraphs (empty ones skipped).
pub fn attrs(paragraphs: &[Option<&str>]) -> TokenStream {
    let docs = lines(paragraphs).into_iter().map(|l| quote!(#[doc = #l]));
    quote!(#(#docs)*)
}

/// `#![doc = "…"]` attributes (a module's own docs), one per line.
pub fn inner_attrs(paragraphs: &[Option<&str>]) -> TokenStream {
    let docs = lines(paragraphs).into_iter().map(|l| quote!(#![doc = #l]));
    quote!(#(#docs)*)
}

/// `#[doc = "…"]` attributes for `doc`, or for `fallback` when `doc` is missing or has
/// nothing left once cleaned (an empty description, only control characters).
pub fn attrs_or(doc: Option<&str>, fallback: &str) -> TokenStream {
    match doc.filter(|d| !clean(d).is_empty()) {
        Some(d) => attrs(&[Some(d)]),
        None => attrs(&[Some(fallback)]),
    }
}

/// Doc lines (each with its leading space) for the given paragraphs.
fn lines(paragraphs: &[Option<&str>]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs.iter().flatten() {
        let cleaned = clean(p);
        if cleaned.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(cleaned.lines().map(str::to_string));
    }
    lines
        .into_iter()
        .map(|l| if l.is_empty() { l } else { format!(" {l}") })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{clean, sanitize};

    #[test]
    fn characters_rustc_refuses_are_dropped() {
        assert_eq!(
            sanitize("a\rb\r\nc\0d\u{202e}e\u{2066}f\u{feff}g\u{1b}[0m\u{2028}h\ti"),
            "a\nb\ncdefg[0m\nh    i"
        );
    }

    #[test]
    fn bare_urls_become_autolinks() {
        use super::link_bare_urls;
        assert_eq!(
            link_bare_urls("See https://x.io/a. Or (https://y.io/b) and [z](https://z.io) `https://c.io` <https://d.io>"),
            "See <https://x.io/a>. Or (<https://y.io/b>) and [z](https://z.io) `https://c.io` <https://d.io>"
        );
        assert_eq!(
            link_bare_urls("https://en.wikipedia.org/wiki/A_(b)"),
            "<https://en.wikipedia.org/wiki/A_(b)>"
        );
    }

    #[test]
    fn fences_become_text_and_lists_get_breaks() {
        let s = clean("Intro\n\n    indented\n```json\n{\"a\": 1}\n```\n- item\ncontinued\r\n");
        assert_eq!(
            s,
            "Intro\n\nindented\n```text\n{\"a\": 1}\n```\n- item\n\ncontinued"
        );
    }
}
