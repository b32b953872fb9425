//! Reading one file: bytes → text → JSON value, with the format detected from content.

use std::path::Path;

use serde_json::Value;

use super::yaml;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// The syntax a file is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// JSON (first non-blank character `{` or `[`).
    Json,
    /// YAML (anything else).
    Yaml,
}

/// One parsed file: its text (kept for locating) and its value (when it parsed).
pub(crate) struct Parsed {
    pub text: String,
    pub format: Format,
    pub value: Option<Value>,
}

/// Decodes bytes to text: strips a UTF-8 BOM, decodes UTF-16 with a BOM, and reads bytes that
/// are not UTF-8 as Windows-1252 (with a warning).
pub(crate) fn decode(path: &Path, bytes: &[u8], diags: &mut Diagnostics) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode_utf8_or_1252(path, rest, diags);
    }
    let utf16 = |le: bool| {
        let units = bytes[2..].chunks(2).map(|c| {
            let (a, b) = (c[0], c.get(1).copied().unwrap_or(0));
            if le {
                u16::from_le_bytes([a, b])
            } else {
                u16::from_be_bytes([a, b])
            }
        });
        char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return utf16(true);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return utf16(false);
    }
    decode_utf8_or_1252(path, bytes, diags)
}

fn decode_utf8_or_1252(path: &Path, bytes: &[u8], diags: &mut Diagnostics) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(e) => {
            let offset = e.valid_up_to();
            let before = &bytes[..offset];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |p| p + 1);
            let column = String::from_utf8_lossy(&before[line_start..])
                .chars()
                .count()
                + 1;
            diags.push(
                Diagnostic::warning(
                    "load/encoding",
                    "the file is not valid UTF-8; it was read as Windows-1252",
                    Location {
                        file: path.to_path_buf(),
                        line,
                        column,
                        json_pointer: String::new(),
                    },
                )
                .with_hint("save the file as UTF-8"),
            );
            bytes.iter().map(|&b| windows_1252(b)).collect()
        }
    }
}

fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Detects the format from the first non-whitespace character.
pub fn detect_format(text: &str) -> Format {
    match text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next()
    {
        Some('{') | Some('[') => Format::Json,
        _ => Format::Yaml,
    }
}

/// Parses text in its detected format; syntax errors become diagnostics.
pub(crate) fn parse(path: &Path, text: String, diags: &mut Diagnostics) -> Parsed {
    let format = detect_format(&text);
    let value = match format {
        Format::Json => parse_json(path, &text, diags),
        Format::Yaml => yaml::parse(path, &text, diags, "load/yaml-syntax"),
    };
    Parsed {
        text,
        format,
        value,
    }
}

fn parse_json(path: &Path, text: &str, diags: &mut Diagnostics) -> Option<Value> {
    let body = text.trim_start_matches('\u{feff}');
    // Refused before anything else reads it: none of the repairs below can help, and each
    // would read it again.
    let max = super::duplicates::MAX_DEPTH;
    if let (_, Some(at)) = super::duplicates::depth(body, max) {
        let (line, column) = line_col(body, at);
        diags.push(
            Diagnostic::error(
                "load/too-deep",
                format!("brackets nest more than {max} levels deep here; the file is not read"),
                Location {
                    file: path.to_path_buf(),
                    line,
                    column,
                    json_pointer: String::new(),
                },
            )
            .with_hint("no API definition nests this deep: check that the file is the definition and is not damaged"),
        );
        return None;
    }
    let err = match super::duplicates::parse(body) {
        Ok((v, repeated)) => {
            for ptr in repeated {
                let (line, column) = super::locate::locate_in_text(body, Format::Json, &ptr);
                diags.push(
                    Diagnostic::warning(
                        "load/json-duplicate-key",
                        format!(
                            "the key `{}` appears more than once in this object; the last one is used",
                            crate::pointer::unescape(ptr.rsplit('/').next().unwrap_or_default())
                        ),
                        Location {
                            file: path.to_path_buf(),
                            line,
                            column,
                            json_pointer: ptr,
                        },
                    )
                    .with_hint("remove the earlier ones"),
                );
            }
            return Some(v);
        }
        Err(e) => e,
    };
    let location = Location {
        file: path.to_path_buf(),
        line: err.line(),
        column: err.column(),
        json_pointer: String::new(),
    };
    let message = strip_position(&err.to_string());
    // Unicode spaces (U+2003, U+00A0…) used as whitespace: blank them, keeping offsets.
    if let Some((clean, at)) = blank_unicode_spaces(body) {
        let mut scratch = Diagnostics::default();
        if let Some(v) = parse_json(path, &clean, &mut scratch) {
            let (line, column) = line_col(body, at);
            diags.push(
                Diagnostic::warning(
                    "load/json-unicode-space",
                    "a Unicode space character is used as JSON whitespace; it was read as a space",
                    Location {
                        file: path.to_path_buf(),
                        line,
                        column,
                        json_pointer: String::new(),
                    },
                )
                .with_hint("replace it with an ASCII space"),
            );
            diags.extend(scratch.into_vec());
            return Some(v);
        }
    }
    // Stray closing brackets whose indentation does not match their opener: drop them one
    // at a time (offsets are kept) until the file reads.
    {
        let mut fixed = body.to_string();
        let mut dropped = Vec::new();
        while dropped.len() < 64 {
            let Some(at) = misindented_closer(&fixed) else {
                break;
            };
            fixed.replace_range(at..at + 1, " ");
            dropped.push(at);
            if let Ok(v) = serde_json::from_str::<Value>(&fixed) {
                for at in dropped {
                    let (line, column) = line_col(body, at);
                    diags.push(
                        Diagnostic::warning(
                            "load/json-stray-closer",
                            "this closing bracket does not line up with the bracket it would close and ends its parent too early; it was ignored",
                            Location {
                                file: path.to_path_buf(),
                                line,
                                column,
                                json_pointer: String::new(),
                            },
                        )
                        .with_hint("remove it"),
                    );
                }
                return Some(v);
            }
        }
    }
    // A complete value followed by more text (a stray `}`): keep the value, say how much of
    // the file was lost.
    if message.starts_with("trailing characters") {
        let mut stream = serde_json::Deserializer::from_str(body).into_iter::<Value>();
        if let Some(Ok(v)) = stream.next() {
            let used = stream.byte_offset();
            let operations = v
                .get("paths")
                .and_then(Value::as_object)
                .map(|p| {
                    p.values()
                        .filter_map(Value::as_object)
                        .map(|item| {
                            item.keys()
                                .filter(|k| {
                                    matches!(
                                        k.as_str(),
                                        "get"
                                            | "put"
                                            | "post"
                                            | "delete"
                                            | "options"
                                            | "head"
                                            | "patch"
                                            | "trace"
                                    )
                                })
                                .count()
                        })
                        .sum::<usize>()
                })
                .unwrap_or(0);
            diags.push(
                Diagnostic::warning(
                    "load/json-partial",
                    format!(
                        "the root value ends here, but {} more bytes follow; only the first {} of {} bytes were read ({operations} operations recovered)",
                        body.len() - used,
                        used,
                        body.len()
                    ),
                    location,
                )
                .with_hint("a brace closes the root too early; remove it to recover the rest"),
            );
            return Some(v);
        }
    }
    if let Some((v, fixed)) = insert_missing_commas(body) {
        for (line, column) in fixed {
            diags.push(
                Diagnostic::warning(
                    "load/json-missing-comma",
                    "a comma is missing between two values; it was read as if present",
                    Location {
                        file: path.to_path_buf(),
                        line,
                        column,
                        json_pointer: String::new(),
                    },
                )
                .with_hint("add the comma"),
            );
        }
        return Some(v);
    }
    // The file ends with brackets still open (a closing brace lost at the end): close them.
    if matches!(err.classify(), serde_json::error::Category::Eof) {
        if let Some(closers) = missing_closers(body) {
            let mut fixed = body.trim_end().to_string();
            fixed.push_str(&closers);
            if let Ok(v) = serde_json::from_str::<Value>(&fixed) {
                let (line, column) = line_col(body, body.trim_end().len());
                diags.push(
                    Diagnostic::warning(
                        "load/json-unclosed",
                        format!(
                            "the file ends with {} bracket(s) still open; read as if `{closers}` followed",
                            closers.len()
                        ),
                        Location {
                            file: path.to_path_buf(),
                            line,
                            column,
                            json_pointer: String::new(),
                        },
                    )
                    .with_hint(format!("add `{closers}` at the end of the file")),
                );
                return Some(v);
            }
        }
    }
    // Many hand-edited JSON files only have trailing commas or similar; YAML's flow syntax
    // accepts those. Read it leniently, but say so.
    if !matches!(err.classify(), serde_json::error::Category::Eof) {
        let mut scratch = Diagnostics::default();
        if let Some(v) = yaml::parse(path, body, &mut scratch, "load/yaml-syntax") {
            diags.extend(scratch.into_vec().into_iter().filter(|d| !d.is_error()));
            diags.push(
                Diagnostic::warning(
                    "load/json-lenient",
                    format!("invalid JSON ({message}); it was read leniently"),
                    location,
                )
                .with_hint("fix the JSON syntax (e.g. remove trailing commas)"),
            );
            return Some(v);
        }
    }
    diags.push(
        Diagnostic::error(
            "load/json-syntax",
            format!("invalid JSON: {message}"),
            location,
        )
        .with_hint("fix the JSON syntax at this position"),
    );
    None
}

/// The byte offset of the first closing bracket that starts its line at a different
/// indentation than the line of the bracket it closes (hand-edited files with one `}` too
/// many); `None` when every closer lines up or the file is not indented.
fn misindented_closer(text: &str) -> Option<usize> {
    let mut stack: Vec<usize> = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut indent = 0usize;
    let mut line_start = true;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            line_start = true;
            indent = 0;
            continue;
        }
        let first_on_line = line_start && !c.is_whitespace();
        if line_start && (c == ' ' || c == '\t') {
            indent += 1;
            continue;
        }
        line_start = false;
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => stack.push(indent),
            '}' | ']' => {
                let opened = stack.pop()?;
                if first_on_line && opened != indent {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The brackets still open at the end of `text` (outside strings), as the closers that would
/// end them; `None` when nothing is open or a string is unterminated.
fn missing_closers(text: &str) -> Option<String> {
    let mut stack = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => stack.push('}'),
            '[' => stack.push(']'),
            '}' | ']' => {
                let expected = stack.pop();
                if expected != Some(c) {
                    return None;
                }
            }
            _ => {}
        }
    }
    if in_string || stack.is_empty() {
        return None;
    }
    Some(stack.iter().rev().collect())
}

/// The text with Unicode space characters outside strings replaced by ASCII spaces (same
/// byte length), and the offset of the first; `None` when there are none.
fn blank_unicode_spaces(text: &str) -> Option<(String, usize)> {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut first = None;
    for (i, c) in text.char_indices() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            out.push(c);
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if c.is_whitespace() && !c.is_ascii() {
            first.get_or_insert(i);
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    first.map(|f| (out, f))
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

/// Removes serde's " at line L column C" suffix (the location is reported separately).
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Byte offset of a 1-based (line, column) position.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0usize;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let mut off = start;
    for (i, (pos, _)) in text[start..].char_indices().enumerate() {
        if i + 1 == column {
            return Some(start + pos);
        }
        off = start + pos;
    }
    Some(off)
}

/// Repairs JSON whose only problem is missing commas between values (`"a": 1 "b": 2`), which
/// is unambiguous. Returns the value and where commas were assumed; `None` for anything else.
fn insert_missing_commas(text: &str) -> Option<(Value, Vec<(usize, usize)>)> {
    let mut fixed_text = text.to_string();
    let mut fixed = Vec::new();
    for _ in 0..64 {
        let err = match serde_json::from_str::<Value>(&fixed_text) {
            Ok(v) => return (!fixed.is_empty()).then_some((v, fixed)),
            Err(e) => e,
        };
        let msg = err.to_string();
        if !(msg.starts_with("expected `,` or `}`") || msg.starts_with("expected `,` or `]`")) {
            return None;
        }
        let at = offset_of(&fixed_text, err.line(), err.column())?;
        let next = fixed_text[at..].chars().next()?;
        if !matches!(next, '"' | '{' | '[' | '-' | '0'..='9' | 't' | 'f' | 'n') {
            return None;
        }
        let before = fixed_text[..at].trim_end();
        let last = before.chars().last()?;
        if !matches!(last, '"' | '}' | ']' | '0'..='9' | 'e' | 'l') {
            return None;
        }
        let insert_at = before.len();
        fixed.push((err.line(), err.column()));
        fixed_text.insert(insert_at, ',');
    }
    None
}
