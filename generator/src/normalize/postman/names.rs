//! Operation names from request names: snake_case, transliterated, de-duplicated
//! deterministically (nearest differing folder, then the HTTP method, then `_2`, `_3`…).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::ToSnakeCase;

/// Latin letters with diacritics → ASCII (`Récupération` → `Recuperation`).
pub(crate) fn ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let r = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
            'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => "A",
            'æ' => "ae",
            'Æ' => "AE",
            'ç' | 'ć' | 'č' => "c",
            'Ç' | 'Ć' | 'Č' => "C",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
            'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'Ì' | 'Í' | 'Î' | 'Ï' => "I",
            'ñ' | 'ń' | 'ň' => "n",
            'Ñ' | 'Ń' | 'Ň' => "N",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' => "O",
            'œ' => "oe",
            'Œ' => "OE",
            'ß' => "ss",
            'ś' | 'š' => "s",
            'Ś' | 'Š' => "S",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => "u",
            'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' => "U",
            'ý' | 'ÿ' => "y",
            'Ý' => "Y",
            'ž' | 'ź' | 'ż' => "z",
            'Ž' | 'Ź' | 'Ż' => "Z",
            'ł' => "l",
            'Ł' => "L",
            _ => " ",
        };
        out.push_str(r);
    }
    out
}

/// `snake_case` words of a name, only `[a-z0-9_]`; empty when nothing usable remains.
pub(crate) fn snake(s: &str) -> String {
    let words: String = ascii(s)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    words.to_snake_case()
}

/// The name of one operation before de-duplication.
pub(crate) struct Wanted {
    /// `snake_case(request name)`, or the method + path fallback.
    pub base: String,
    /// Folder names, outermost first.
    pub folders: Vec<String>,
    /// Lower-case HTTP method.
    pub method: String,
}

/// A base name: the request name, or `{method}_{path words}` when it has no letters.
pub(crate) fn base_name(request_name: &str, method: &str, path: &str) -> String {
    let s = snake(request_name);
    if s.chars().any(|c| c.is_ascii_alphabetic()) {
        return s;
    }
    let mut words = vec![method.to_ascii_lowercase()];
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        if seg.starts_with('{') {
            words.push("by".into());
        }
        let w = snake(seg);
        if !w.is_empty() {
            words.push(w);
        }
    }
    if words.len() == 1 {
        words.push("root".into());
    }
    words.join("_")
}

/// A name the collection pins: `Name [operationId]` (postman-to-openapi's bracket
/// convention) or an `operationId: …` first line in the description. Returns the snake_case name
/// and the request name without the brackets.
pub(crate) fn pinned(request_name: &str, description: Option<&str>) -> Option<(String, String)> {
    let t = request_name.trim();
    if let Some(open) = t.strip_suffix(']').and_then(|x| x.rfind('[')) {
        let id = &t[open + 1..t.len() - 1];
        let ok = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        let s = snake(id);
        if ok && s.chars().any(|c| c.is_ascii_alphabetic()) {
            return Some((s, t[..open].trim().to_string()));
        }
    }
    // Only the description's first line: later lines may be examples (YAML in the docs).
    let first = description
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())?;
    let id = first.strip_prefix("operationId:")?;
    let s = snake(id.trim());
    s.chars()
        .any(|c| c.is_ascii_alphabetic())
        .then(|| (s, t.to_string()))
}

/// Unique names, in order; and the renames made: (index, base, final).
pub(crate) fn dedupe(wanted: &[Wanted]) -> (Vec<String>, Vec<(usize, String, String)>) {
    let mut names: Vec<String> = wanted.iter().map(|w| w.base.clone()).collect();
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, n) in names.iter().enumerate() {
        groups.entry(n.clone()).or_default().push(i);
    }
    for (_, members) in groups.into_iter().filter(|(_, m)| m.len() > 1) {
        let depth = members
            .iter()
            .map(|&i| wanted.get(i).map_or(0, |w| w.folders.len()))
            .max()
            .unwrap_or(0);
        let mut done = false;
        for k in 1..=depth {
            let cands: Vec<String> = members.iter().map(|&i| qualify(&wanted[i], k)).collect();
            let unique: BTreeSet<&String> = cands.iter().collect();
            if unique.len() == cands.len() {
                for (&i, c) in members.iter().zip(cands) {
                    names[i] = c;
                }
                done = true;
                break;
            }
        }
        if !done {
            // The method qualifies the members whose method is unique in the group (when
            // the group has several methods); numbers settle the rest.
            let mut per_method: BTreeMap<&str, usize> = BTreeMap::new();
            for &i in &members {
                *per_method.entry(wanted[i].method.as_str()).or_default() += 1;
            }
            if per_method.len() > 1 {
                for &i in &members {
                    if per_method.get(wanted[i].method.as_str()) == Some(&1) {
                        names[i] = format!("{}_{}", wanted[i].method, wanted[i].base);
                    }
                }
            }
        }
    }
    // Whatever still collides: `_2`, `_3`… in collection order.
    // `next` remembers, per name, the number to try next: `seen` only grows, so every
    // number below it is still taken (10,000 same names stay linear).
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut next: HashMap<String, usize> = HashMap::new();
    for n in names.iter_mut() {
        if seen.insert(n.clone()) {
            continue;
        }
        let k = next.entry(n.clone()).or_insert(2);
        while seen.contains(&format!("{n}_{k}")) {
            *k += 1;
        }
        *n = format!("{n}_{k}");
        *k += 1;
        seen.insert(n.clone());
    }
    let renames = wanted
        .iter()
        .zip(&names)
        .enumerate()
        .filter(|(_, (w, n))| &w.base != *n)
        .map(|(i, (w, n))| (i, w.base.clone(), n.clone()))
        .collect();
    (names, renames)
}

/// The base name prefixed with the `k` nearest folder names.
fn qualify(w: &Wanted, k: usize) -> String {
    let start = w.folders.len().saturating_sub(k);
    let mut parts: Vec<String> = w.folders[start..]
        .iter()
        .map(|f| snake(&super::vars::to_braces(f).replace(['{', '}', ':'], " ")))
        .filter(|s| !s.is_empty())
        .collect();
    parts.push(w.base.clone());
    parts.join("_")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(base: &str, folders: &[&str], method: &str) -> Wanted {
        Wanted {
            base: base.into(),
            folders: folders.iter().map(|s| s.to_string()).collect(),
            method: method.into(),
        }
    }

    #[test]
    fn folder_then_method_then_number() {
        let (names, renames) = dedupe(&[
            w("list", &["Users"], "get"),
            w("list", &["Groups"], "get"),
            w("create", &["A"], "get"),
            w("create", &["A"], "post"),
            w("same", &[], "get"),
            w("same", &[], "get"),
            w("form", &["F"], "get"),
            w("form", &["F"], "post"),
            w("form", &["F"], "post"),
        ]);
        assert_eq!(
            names,
            [
                "users_list",
                "groups_list",
                "get_create",
                "post_create",
                "same",
                "same_2",
                "get_form",
                "form",
                "form_2"
            ]
        );
        assert_eq!(renames.len(), 7);
    }

    #[test]
    fn pinned_names() {
        assert_eq!(
            pinned("List pets [listPets]", None),
            Some(("list_pets".into(), "List pets".into()))
        );
        assert_eq!(
            pinned("Get it", Some("\noperationId: fetchIt\nDocs.")),
            Some(("fetch_it".into(), "Get it".into()))
        );
        assert_eq!(pinned("Array [0]", None), None);
        assert_eq!(pinned("Plain", Some("Docs.\n  operationId: later")), None);
    }

    #[test]
    fn transliterates_and_falls_back() {
        assert_eq!(snake("Récupération token"), "recuperation_token");
        assert_eq!(snake("GetUserByID"), "get_user_by_id");
        assert_eq!(base_name("/", "GET", "/"), "get_root");
        assert_eq!(base_name("201", "POST", "/items/{id}"), "post_items_by_id");
    }
}
