//! JSON pointer → byte offset → 1-based line/column, by scanning the kept source text.
//!
//! JSON: a small tolerant scanner; each object or array it passes through is indexed once
//! (key → offsets) and cached, so locating many pointers in a 13 MB file stays cheap.
//! YAML: a line/indent walk that understands ordinary block mappings and sequences; flow
//! collections and scalars stop the walk at the nearest enclosing node found (best effort).
//! A pointer that does not exist in the text locates its longest existing prefix.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::source::Format;
use crate::pointer;

/// Offsets of line starts, for offset → line/column.
#[derive(Debug)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|s| *s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        (line, column)
    }
}

/// The children of one JSON container, by offset.
#[derive(Debug)]
pub(crate) enum Children {
    /// key → (offset of the key, offset of the value)
    Object(HashMap<String, (usize, usize)>),
    /// offsets of the elements
    Array(Vec<usize>),
}

/// Cache of indexed containers: container offset → its children.
pub(crate) type JsonCache = Mutex<HashMap<usize, Arc<Children>>>;

/// Splits a pointer into unescaped tokens.
pub(crate) fn tokens(ptr: &str) -> Vec<String> {
    if ptr.is_empty() {
        return Vec::new();
    }
    ptr.trim_start_matches('/')
        .split('/')
        .map(pointer::unescape)
        .collect()
}

/// Locates `ptr` inside one file's text: 1-based (line, column).
pub(crate) fn locate_in_text(text: &str, format: Format, ptr: &str) -> (usize, usize) {
    let offset = match format {
        Format::Json => find_json(text, &tokens(ptr), None),
        Format::Yaml => find_yaml(text, &tokens(ptr)),
    };
    LineIndex::new(text).line_col(text, offset)
}

// ---------------------------------------------------------------- JSON

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            0xEF if b[i..].starts_with(&[0xEF, 0xBB, 0xBF]) => i += 3,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !b[i..].starts_with(b"*/") {
                    i += 1;
                }
                i = (i + 2).min(b.len());
            }
            _ => break,
        }
    }
    i
}

/// Skips a string starting at `i` (which is `"`); returns the offset after it.
fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

fn parse_string(text: &str, i: usize) -> (String, usize) {
    let b = text.as_bytes();
    let end = skip_string(b, i);
    let raw = text.get(i..end).unwrap_or("");
    match serde_json::from_str::<String>(raw) {
        Ok(s) => (s, end),
        Err(_) => (raw.trim_matches('"').to_string(), end),
    }
}

fn skip_value(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'"') => skip_string(b, i),
        Some(b'{') | Some(b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            b.len()
        }
        Some(_) => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
            {
                j += 1;
            }
            j.max(i + 1)
        }
        None => b.len(),
    }
}

fn index_container(text: &str, i: usize) -> Option<Children> {
    let b = text.as_bytes();
    match b.get(i) {
        Some(b'{') => {
            let mut map = HashMap::new();
            let mut j = skip_ws(b, i + 1);
            while j < b.len() && b[j] == b'"' {
                let key_at = j;
                let (key, after) = parse_string(text, j);
                j = skip_ws(b, after);
                if b.get(j) != Some(&b':') {
                    break;
                }
                j = skip_ws(b, j + 1);
                let value_at = j;
                map.insert(key, (key_at, value_at));
                j = skip_ws(b, skip_value(b, j));
                if b.get(j) == Some(&b',') {
                    j = skip_ws(b, j + 1);
                } else {
                    break;
                }
            }
            Some(Children::Object(map))
        }
        Some(b'[') => {
            let mut items = Vec::new();
            let mut j = skip_ws(b, i + 1);
            while j < b.len() && b[j] != b']' {
                items.push(j);
                j = skip_ws(b, skip_value(b, j));
                if b.get(j) == Some(&b',') {
                    j = skip_ws(b, j + 1);
                } else {
                    break;
                }
            }
            Some(Children::Array(items))
        }
        _ => None,
    }
}

/// Byte offset of the node at `tokens` (the key, for object members), or of the deepest
/// ancestor that exists.
pub(crate) fn find_json(text: &str, tokens: &[String], cache: Option<&JsonCache>) -> usize {
    let b = text.as_bytes();
    let mut cur = skip_ws(b, 0);
    let mut found = cur;
    for tok in tokens {
        let children = match cache {
            Some(c) => {
                let cached = c.lock().ok().and_then(|m| m.get(&cur).cloned());
                match cached {
                    Some(ch) => ch,
                    None => match index_container(text, cur) {
                        Some(ch) => {
                            let ch = Arc::new(ch);
                            if let Ok(mut m) = c.lock() {
                                m.insert(cur, ch.clone());
                            }
                            ch
                        }
                        None => break,
                    },
                }
            }
            None => match index_container(text, cur) {
                Some(ch) => Arc::new(ch),
                None => break,
            },
        };
        match &*children {
            Children::Object(map) => match map.get(tok.as_str()) {
                Some(&(key_at, value_at)) => {
                    found = key_at;
                    cur = value_at;
                }
                None => break,
            },
            Children::Array(items) => match tok.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(&at) => {
                    found = at;
                    cur = at;
                }
                None => break,
            },
        }
    }
    found
}

// ---------------------------------------------------------------- YAML

struct Lines<'a> {
    lines: Vec<(usize, &'a str)>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut lines = Vec::new();
        let mut start = 0;
        for l in text.split('\n') {
            lines.push((start, l.strip_suffix('\r').unwrap_or(l)));
            start += l.len() + 1;
        }
        Self { lines }
    }
    fn get(&self, i: usize) -> &'a str {
        self.lines.get(i).map_or("", |l| l.1)
    }
    fn offset(&self, line: usize, col: usize) -> usize {
        self.lines.get(line).map_or(0, |l| l.0 + col)
    }
    fn is_content(&self, i: usize) -> bool {
        let t = self.get(i).trim_start();
        !(t.is_empty() || t.starts_with('#'))
    }
    /// The next content line at or after `from`.
    fn next_content(&self, from: usize) -> Option<usize> {
        (from..self.lines.len()).find(|&i| self.is_content(i))
    }
}

fn indent(s: &str) -> usize {
    s.len() - s.trim_start_matches(' ').len()
}

fn is_seq_entry(s: &str) -> bool {
    s.starts_with('-') && (s.len() == 1 || s[1..].starts_with([' ', '\t']))
}

/// Parses a block-mapping key at the start of `s`: (key, offset just after the `:`).
fn parse_key(s: &str) -> Option<(String, usize)> {
    let (key, after) = if let Some(rest) = s.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = rest.char_indices();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, e)) = chars.next() {
                        out.push(match e {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                    }
                }
                '"' => {
                    end = Some(i + 2);
                    break;
                }
                c => out.push(c),
            }
        }
        (out, end?)
    } else if let Some(rest) = s.strip_prefix('\'') {
        let mut out = String::new();
        let mut end = None;
        let bytes = rest.as_bytes();
        let mut i = 0;
        while i < rest.len() {
            if bytes[i] == b'\'' {
                if bytes.get(i + 1) == Some(&b'\'') {
                    out.push('\'');
                    i += 2;
                    continue;
                }
                end = Some(i + 2);
                break;
            }
            let c = rest[i..].chars().next()?;
            out.push(c);
            i += c.len_utf8();
        }
        (out, end?)
    } else {
        if s.starts_with(['{', '[', '#', '|', '>', '?']) || is_seq_entry(s) {
            return None;
        }
        let b = s.as_bytes();
        let mut i = 0;
        loop {
            if i >= b.len() {
                return None;
            }
            if b[i] == b':' && (i + 1 == b.len() || matches!(b[i + 1], b' ' | b'\t')) {
                break;
            }
            if b[i] == b' ' && b.get(i + 1) == Some(&b'#') {
                return None;
            }
            i += 1;
        }
        return Some((s[..i].trim_end().to_string(), i + 1));
    };
    let rest = s.get(after..)?;
    let t = rest.trim_start_matches([' ', '\t']);
    if t.starts_with(':') {
        Some((key, after + (rest.len() - t.len()) + 1))
    } else {
        None
    }
}

/// Skips spaces, an anchor (`&a`) and a tag (`!t`) after a key or `-`; returns the column of
/// the value on the same line, or None when the value starts on a later line.
fn inline_value_col(line: &str, from: usize) -> Option<usize> {
    let mut i = from;
    let b = line.as_bytes();
    loop {
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'#' {
            return None;
        }
        if b[i] == b'&' || b[i] == b'!' {
            while i < b.len() && !matches!(b[i], b' ' | b'\t') {
                i += 1;
            }
            continue;
        }
        return Some(i);
    }
}

/// Where the value of a key or sequence item starts when it is not on the same line.
fn block_value(lines: &Lines, after_line: usize, parent_indent: usize) -> Option<(usize, usize)> {
    let k = lines.next_content(after_line + 1)?;
    let s = lines.get(k);
    let ind = indent(s);
    if ind > parent_indent || (ind == parent_indent && is_seq_entry(&s[ind..])) {
        Some((k, ind))
    } else {
        None
    }
}

/// Byte offset of the node at `tokens` in block YAML (key position for mapping members).
pub(crate) fn find_yaml(text: &str, tokens: &[String]) -> usize {
    let lines = Lines::new(text);
    let mut first = 0;
    while let Some(i) = lines.next_content(first) {
        let t = lines.get(i).trim_start();
        if t.starts_with("---") || t.starts_with('%') {
            first = i + 1;
            continue;
        }
        break;
    }
    let Some(start) = lines.next_content(first) else {
        return 0;
    };
    let mut pos = (start, indent(lines.get(start)));
    let mut found = lines.offset(pos.0, pos.1);
    'tokens: for tok in tokens {
        let (line, col) = pos;
        let here = lines.get(line).get(col..).unwrap_or("");
        if is_seq_entry(here) {
            let Ok(want) = tok.parse::<usize>() else {
                break;
            };
            let mut n = 0;
            let mut j = line;
            loop {
                let s = lines.get(j);
                let item_col = if j == line { col } else { indent(s) };
                if n == want {
                    found = lines.offset(j, item_col);
                    match inline_value_col(s, item_col + 1) {
                        Some(c) => pos = (j, c),
                        None => match block_value(&lines, j, item_col) {
                            Some(p) => pos = p,
                            None => break 'tokens,
                        },
                    }
                    found = lines.offset(pos.0, pos.1);
                    continue 'tokens;
                }
                n += 1;
                // next item at the same indent
                let mut k = j + 1;
                loop {
                    let Some(c) = lines.next_content(k) else {
                        break 'tokens;
                    };
                    let s = lines.get(c);
                    let ind = indent(s);
                    if ind < col || (ind == col && !is_seq_entry(&s[ind..])) {
                        break 'tokens;
                    }
                    if ind == col {
                        j = c;
                        break;
                    }
                    k = c + 1;
                }
            }
        } else if parse_key(here).is_some() {
            let mut j = line;
            loop {
                let s = lines.get(j);
                let key_col = if j == line { col } else { indent(s) };
                let body = s.get(key_col..).unwrap_or("");
                if let Some((key, after)) = parse_key(body) {
                    if key == *tok {
                        found = lines.offset(j, key_col);
                        match inline_value_col(s, key_col + after) {
                            Some(c) => pos = (j, c),
                            None => match block_value(&lines, j, key_col) {
                                Some(p) => pos = p,
                                None => break 'tokens,
                            },
                        }
                        continue 'tokens;
                    }
                }
                let mut k = j + 1;
                loop {
                    let Some(c) = lines.next_content(k) else {
                        break 'tokens;
                    };
                    let s = lines.get(c);
                    let ind = indent(s);
                    if ind < col {
                        break 'tokens;
                    }
                    if ind == col && !is_seq_entry(&s[ind..]) {
                        j = c;
                        break;
                    }
                    k = c + 1;
                }
            }
        } else {
            break;
        }
    }
    found
}
