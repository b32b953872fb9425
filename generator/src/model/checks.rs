//! Small checks on definition text shared by the model: path templates and "did you mean".

/// The candidate closest to `name` when it is within a small edit distance (a typo), for a
/// "did you mean" hint.
pub fn did_you_mean<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = match name.chars().count() {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    };
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (levenshtein(&name.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The hint for a name that is not among `candidates`: "did you mean `x`?" when one is close.
pub fn hint_for<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<String> {
    did_you_mean(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Edit distance (insertions, deletions, substitutions) between two strings, by characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// What is wrong with the braces of a path template (`/c/{unbalanced`, `/a}/b`, `/{}`), if
/// anything. Nested braces are balanced and left to the placeholder reader.
pub fn template_problem(path: &str) -> Option<String> {
    let mut depth = 0usize;
    let mut open_at = 0usize;
    let mut previous = '\0';
    for (i, c) in path.char_indices() {
        match c {
            '{' => {
                if depth == 0 {
                    open_at = i;
                }
                depth += 1;
            }
            '}' if depth == 0 => return Some(format!("`}}` at byte {i} closes no `{{`")),
            '}' => {
                depth -= 1;
                if depth == 0 && previous == '{' {
                    return Some(format!("`{{}}` at byte {open_at} names no parameter"));
                }
            }
            _ => {}
        }
        previous = c;
    }
    (depth > 0).then(|| format!("`{{` at byte {open_at} is never closed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(levenshtein("integr", "integer"), 1);
        assert_eq!(levenshtein("nmae", "name"), 2);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("same", "same"), 0);
    }

    #[test]
    fn close_names_are_suggested_far_ones_are_not() {
        assert_eq!(did_you_mean("nmae", ["name", "id"]), Some("name"));
        assert_eq!(
            did_you_mean("integr", ["string", "integer"]),
            Some("integer")
        );
        assert_eq!(did_you_mean("colour", ["id", "size"]), None);
    }

    #[test]
    fn templates() {
        assert_eq!(template_problem("/a/{id}/b/{x}"), None);
        assert_eq!(template_problem("/plain"), None);
        assert!(template_problem("/c/{unbalanced")
            .unwrap()
            .contains("never closed"));
        assert!(template_problem("/c/x}").unwrap().contains("closes no"));
        assert!(template_problem("/c/{}")
            .unwrap()
            .contains("names no parameter"));
        assert_eq!(template_problem("/c/{a{b}}"), None);
        assert!(template_problem("/c/{a{b}")
            .unwrap()
            .contains("never closed"));
    }
}
