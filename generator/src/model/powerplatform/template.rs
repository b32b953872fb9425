//! Policy expressions: `https://@connectionParameters('team').example.com` → parts.
//!
//! Expressions are `@name('arg'[, 'arg'])`; everything else is literal text (connector
//! definitions §5.1). Unknown functions are kept as [`Part::Unsupported`] for a diagnostic.

/// One piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Literal text.
    Lit(String),
    /// `@connectionParameters('name'[, 'default'])`.
    Conn {
        /// The connection parameter's name.
        name: String,
        /// The value used when the parameter is empty.
        default: Option<String>,
    },
    /// `@headers('Name')`: a request header (an operation parameter or an earlier policy).
    Header(String),
    /// `@queryParameters('name')`: an operation's query parameter.
    Query(String),
    /// Any other expression (`@body()`, `@triggerBody()`, `@Request.OriginalHTTPMethod`…).
    Unsupported(String),
}

/// A parsed template.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Template(pub Vec<Part>);

impl Template {
    /// Parses a policy value.
    pub fn parse(text: &str) -> Template {
        let mut parts: Vec<Part> = Vec::new();
        let mut lit = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('@') {
            lit.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            match expression(after) {
                Some((part, used)) => {
                    if !lit.is_empty() {
                        parts.push(Part::Lit(std::mem::take(&mut lit)));
                    }
                    parts.push(part);
                    rest = &after[used..];
                }
                None => {
                    lit.push('@');
                    rest = after;
                }
            }
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            parts.push(Part::Lit(lit));
        }
        Template(parts)
    }

    /// The connection parameters it reads.
    pub fn connection_names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|p| match p {
            Part::Conn { name, .. } => Some(name.as_str()),
            _ => None,
        })
    }

    /// True when it starts with connection parameter `name` (a host that is the parameter's
    /// value, such as `@connectionParameters('backendUrl')`).
    pub fn starts_with_connection(&self, name: &str) -> bool {
        matches!(self.0.first(), Some(Part::Conn { name: n, .. }) if n == name)
    }

    /// True when it is plain text.
    pub fn is_literal(&self) -> bool {
        self.0.iter().all(|p| matches!(p, Part::Lit(_)))
    }

    /// The first unsupported expression, if any.
    pub fn unsupported(&self) -> Option<&str> {
        self.0.iter().find_map(|p| match p {
            Part::Unsupported(s) => Some(s.as_str()),
            _ => None,
        })
    }

    /// The literal text, when it is plain text.
    pub fn literal(&self) -> Option<String> {
        self.is_literal().then(|| {
            self.0
                .iter()
                .map(|p| match p {
                    Part::Lit(s) => s.as_str(),
                    _ => "",
                })
                .collect()
        })
    }
}

/// Parses `name(args)` (after the `@`); returns the part and the bytes used.
fn expression(s: &str) -> Option<(Part, usize)> {
    let name_len = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .unwrap_or(s.len());
    if name_len == 0 {
        return None;
    }
    let name = &s[..name_len];
    let rest = &s[name_len..];
    if !rest.starts_with('(') {
        // `@Request.OriginalHTTPMethod` and friends.
        if name.to_ascii_lowercase().starts_with("request.") {
            return Some((Part::Unsupported(format!("@{name}")), name_len));
        }
        return None;
    }
    let close = rest.find(')')?;
    let args_text = &rest[1..close];
    let args: Vec<String> = args_text
        .split(',')
        .map(|a| a.trim().trim_matches('\'').to_string())
        .filter(|a| !a.is_empty())
        .collect();
    let mut used = name_len + close + 1;
    let part = match name.to_ascii_lowercase().as_str() {
        "connectionparameters" => Part::Conn {
            name: args.first()?.clone(),
            default: args.get(1).cloned(),
        },
        "headers" => Part::Header(args.first()?.clone()),
        "queryparameters" | "queryparamters" => Part::Query(args.first()?.clone()),
        _ => {
            // Swallow a following `.a.b` / `['k']` path so the literal text stays clean.
            let tail = &s[used..];
            let path_len = tail
                .find(|c: char| c.is_whitespace() || c == '/' || c == '&' || c == '?')
                .unwrap_or(tail.len());
            used += path_len;
            Part::Unsupported(format!("@{}", &s[..used]))
        }
    };
    Some((part, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hosts_and_defaults() {
        let t = Template::parse("https://@connectionParameters('team').@connectionParameters('cluster').celonis.cloud/x");
        assert_eq!(
            t.0,
            vec![
                Part::Lit("https://".into()),
                Part::Conn {
                    name: "team".into(),
                    default: None
                },
                Part::Lit(".".into()),
                Part::Conn {
                    name: "cluster".into(),
                    default: None
                },
                Part::Lit(".celonis.cloud/x".into()),
            ]
        );
        let t = Template::parse(
            "@connectionParameters('siteUrl','https://westus.api.cognitive.microsoft.com')",
        );
        assert_eq!(
            t.0,
            vec![Part::Conn {
                name: "siteUrl".into(),
                default: Some("https://westus.api.cognitive.microsoft.com".into())
            }]
        );
        let t = Template::parse("Bearer @headers('Authorization')");
        assert_eq!(
            t.0,
            vec![
                Part::Lit("Bearer ".into()),
                Part::Header("Authorization".into())
            ]
        );
        assert_eq!(
            Template::parse("user@example.com").literal().as_deref(),
            Some("user@example.com")
        );
        let t = Template::parse("/%40@connectionParameters('username')");
        assert_eq!(t.0[0], Part::Lit("/%40".into()));
        assert!(Template::parse("@Request.OriginalHTTPMethod")
            .unsupported()
            .is_some());
        assert!(Template::parse("@body().a.b").unsupported().is_some());
    }
}
