//! Where requests go: base URLs, hosts and path templates checked before anything is emitted.
//!
//! Nothing a definition writes may send a request somewhere other than where it appears to
//! go: no userinfo (`api.example.com@evil.example.com`), no query string or fragment in a
//! base URL (they would swallow every path), no scheme but http(s), no `.`/`..` path segments
//! (URL normalisation would climb out of the base path). A problem is a [`Problem`]; its code
//! starts with `route/`, and an error with that prefix refuses the whole definition
//! ([`refuses`]).

use crate::diagnostics::{Diagnostic, Location, Severity};

/// The prefix of every routing diagnostic code.
pub const PREFIX: &str = "route/";

/// What is wrong with a URL, host or path: (code, message, hint).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The diagnostic code (`route/…`).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: &'static str,
}

impl Problem {
    fn new(code: &'static str, message: String, hint: &'static str) -> Self {
        Problem {
            code,
            message,
            hint,
        }
    }

    /// The error diagnostic at `location`, the message prefixed with `what`.
    pub fn error(&self, what: &str, location: Location) -> Diagnostic {
        Diagnostic::error(self.code, format!("{what}: {}", self.message), location)
            .with_hint(self.hint)
    }
}

/// True when `d` refuses the definition: a routing error.
pub fn refuses(d: &Diagnostic) -> bool {
    d.severity == Severity::Error && d.code.starts_with(PREFIX)
}

/// `{name}` placeholders of a URL template, in order.
pub fn placeholders(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('}') else { break };
        out.push(after[..j].to_string());
        rest = &after[j + 1..];
    }
    out
}

/// The scheme of an absolute URL (`https` of `https://…`, `javascript` of `javascript:…`).
fn scheme(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let s = &url[..colon];
    let mut chars = s.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !url[colon + 1..].starts_with(|c: char| c.is_ascii_digit()))
    .then_some(s)
}

/// Checks a base URL whose variables are already filled in. Relative URLs (`/v1`) pass.
pub fn check_base_url(url: &str) -> Result<(), Problem> {
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(Problem::new(
            "route/invalid-url",
            format!(
                "`{}` holds whitespace or a control character",
                url.escape_debug()
            ),
            "write the URL on one line, without spaces",
        ));
    }
    if url.contains('\\') {
        return Err(Problem::new(
            "route/invalid-url",
            format!("`{url}` holds a backslash (URL parsers read it as `/`)"),
            "write the URL with `/` only",
        ));
    }
    if url.contains('#') {
        return Err(Problem::new(
            "route/fragment",
            format!("`{url}` has a fragment (`#…`): every path appended to it would be dropped"),
            "remove the `#` and what follows it",
        ));
    }
    if url.contains('?') {
        return Err(Problem::new(
            "route/query-in-base-url",
            format!("`{url}` has a query string: every path appended to it would land in the query"),
            "remove the query from the base URL; declare its items as parameters or an API key scheme",
        ));
    }
    let rest = match scheme(url) {
        Some(s) => {
            if !s.eq_ignore_ascii_case("http") && !s.eq_ignore_ascii_case("https") {
                return Err(Problem::new(
                    "route/scheme",
                    format!(
                        "`{url}` uses scheme `{s}`; a client calls `http` or `https` URLs only"
                    ),
                    "use an `https://` (or `http://`) URL",
                ));
            }
            match url[s.len() + 1..].strip_prefix("//") {
                Some(r) => r,
                None => {
                    return Err(Problem::new(
                        "route/invalid-url",
                        format!("`{url}` has no `//` after its scheme"),
                        "write it as `https://host/path`",
                    ))
                }
            }
        }
        None if url.starts_with("//") => {
            return Err(Problem::new(
                "route/scheme",
                format!("`{url}` is protocol-relative (no scheme)"),
                "write the scheme: `https://…`",
            ))
        }
        None => return check_path(url),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    check_host(authority)?;
    check_path(path)
}

/// Checks a `host[:port]` (a Swagger 2 `host`, a URL's authority).
pub fn check_host(host: &str) -> Result<(), Problem> {
    if host.contains('@') {
        return Err(Problem::new(
            "route/userinfo",
            format!("`{host}` holds userinfo (`…@`): requests would go to the host after the `@`"),
            "give the host alone; credentials belong in a security scheme",
        ));
    }
    if host.is_empty() {
        return Err(Problem::new(
            "route/host",
            "the URL has no host".to_string(),
            "write the host: `https://api.example.com`",
        ));
    }
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip, after))
                if !ip.is_empty()
                    && ip
                        .chars()
                        .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
                    && (after.is_empty() || after.starts_with(':')) =>
            {
                ("ip", after.strip_prefix(':'))
            }
            _ => {
                return Err(Problem::new(
                    "route/host",
                    format!("`{host}` is not a `host[:port]`"),
                    "write an IPv6 address as `[::1]:8080`",
                ))
            }
        }
    } else {
        match host.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        }
    };
    let bad_name = name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '~' | '%'));
    let bad_port = port.is_some_and(|p| {
        p.is_empty()
            || p.len() > 5
            || !p.chars().all(|c| c.is_ascii_digit())
            || p.parse::<u32>().map_or(true, |n| n > 65535)
    });
    if bad_name || bad_port {
        return Err(Problem::new(
            "route/host",
            format!("`{host}` is not a `host[:port]`"),
            "give the host name and an optional port only (`api.example.com:8443`); a path goes in the base path",
        ));
    }
    Ok(())
}

/// True for a `..` segment, written plainly or percent-encoded (a `.` segment stays where
/// it is).
fn dot_segment(seg: &str) -> bool {
    seg.to_ascii_lowercase().replace("%2e", ".") == ".."
}

/// Checks a path or path template: no `.`/`..` segments.
pub fn check_path(path: &str) -> Result<(), Problem> {
    let path = path.split(['?', '#']).next().unwrap_or("");
    if path.split('/').any(dot_segment) {
        return Err(Problem::new(
            "route/dot-segment",
            format!("`{path}` has a `..` segment: URL normalisation would send it outside the base path"),
            "write the path without `..` segments",
        ));
    }
    Ok(())
}

/// True for an HTTP method token (RFC 9110 `token`).
pub fn method_token(m: &str) -> bool {
    !m.is_empty()
        && m.chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
}

/// True for a header name an HTTP client can send (RFC 9110 `token`).
pub fn header_name(n: &str) -> bool {
    method_token(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(url: &str) -> Option<&'static str> {
        check_base_url(url).err().map(|p| p.code)
    }

    #[test]
    fn base_urls() {
        assert_eq!(code("https://api.example.com/v1"), None);
        assert_eq!(code("http://127.0.0.1:8080"), None);
        assert_eq!(code("https://[::1]:8443/x"), None);
        assert_eq!(code("/v1"), None);
        assert_eq!(code("/"), None);
        assert_eq!(
            code("https://api.example.com@evil.example.com"),
            Some("route/userinfo")
        );
        assert_eq!(
            code("https://user:pw@api.example.com/"),
            Some("route/userinfo")
        );
        assert_eq!(code("https://api.example.com/v1#"), Some("route/fragment"));
        assert_eq!(
            code("https://api.example.com/v1?key=1"),
            Some("route/query-in-base-url")
        );
        assert_eq!(code("ftp://api.example.com"), Some("route/scheme"));
        assert_eq!(code("javascript:alert(1)"), Some("route/scheme"));
        assert_eq!(code("file:///etc/passwd"), Some("route/scheme"));
        assert_eq!(code("//api.example.com"), Some("route/scheme"));
        assert_eq!(
            code("https://api.example.com\nhttps://evil"),
            Some("route/invalid-url")
        );
        assert_eq!(
            code("https://evil.example.com\\@api.example.com"),
            Some("route/invalid-url")
        );
        assert_eq!(
            code("https://api.example.com/v1/../admin"),
            Some("route/dot-segment")
        );
        assert_eq!(
            code("https://api.example.com/%2e%2E/admin"),
            Some("route/dot-segment")
        );
        assert_eq!(code("https:///x"), Some("route/host"));
        assert_eq!(code("https://api.example.com:99999"), Some("route/host"));
        assert_eq!(
            code("localhost:3000/x"),
            None,
            "a relative path, not a scheme"
        );
    }

    #[test]
    fn hosts_paths_methods() {
        assert!(check_host("api.example.com:8443").is_ok());
        assert!(check_host("api.example.com/v1").is_err());
        assert!(check_host("https://api.example.com").is_err());
        assert!(check_path("/users/{id}/..x").is_ok());
        assert!(check_path("/../../admin").is_err());
        assert!(method_token("PURGE"));
        assert!(!method_token("GE T"));
        assert!(!method_token(""));
        assert_eq!(placeholders("https://{a}.x/{b}"), ["a", "b"]);
    }
}
