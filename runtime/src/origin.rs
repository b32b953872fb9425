//! The origin policy: credentials go only to the origins (scheme, host, port) the client
//! was configured with, and URLs a server names (next links, `Link` headers, `Location`s,
//! redirects) are checked against it before anything is sent.

use std::fmt;

/// What happens to a URL a server names (a next link, a `Link` header, a polling or
/// subscription `Location`, a redirect) when it is on an origin the client does not trust.
///
/// Trusted origins are the base URL's and those added with
/// [`crate::ClientBuilder::trusted_origin`]. Whatever the choice, credentials (every
/// [`crate::Credential`] kind, OAuth tokens, policy headers and query values) never go to
/// another origin, and an `https` → `http` downgrade is always refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum CrossOrigin {
    /// Refuse with [`crate::Error::Refused`] ([`Refusal::CrossOrigin`]). The default.
    #[default]
    Refuse,
    /// Send the request without any credential.
    FollowWithoutCredentials,
}

/// Why the runtime refused to follow a URL a server named, or to go on reading.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The URL is on an origin the client does not trust (see [`CrossOrigin`]).
    CrossOrigin {
        /// `scheme://host:port` of the URL (never its path, query or userinfo).
        origin: String,
    },
    /// The URL would go from `https` to `http`.
    Downgrade {
        /// `scheme://host:port` of the URL.
        origin: String,
    },
    /// More redirects than [`crate::ClientBuilder::max_redirects`] allows.
    TooManyRedirects {
        /// The limit.
        limit: u32,
    },
    /// A next link or cursor leads back to a page already fetched (A → B → A).
    Cycle,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::CrossOrigin { origin } => {
                write!(f, "a server named a URL on an untrusted origin ({origin})")
            }
            Refusal::Downgrade { origin } => {
                write!(
                    f,
                    "a server named a URL that downgrades https to http ({origin})"
                )
            }
            Refusal::TooManyRedirects { limit } => write!(f, "more than {limit} redirects"),
            Refusal::Cycle => f.write_str("the next page leads back to a page already fetched"),
        }
    }
}

/// `scheme://host:port` of a URL: nothing secret (no userinfo, path or query).
pub(crate) fn show(u: &url::Url) -> String {
    u.origin().ascii_serialization()
}

/// Whether going from `from` to `to` drops TLS.
pub(crate) fn downgrade(from_https: bool, to: &url::Url) -> bool {
    from_https && to.scheme() != "https"
}

/// The base URL with its userinfo replaced and its query and fragment dropped, for Debug and
/// messages.
pub(crate) fn redact_url(u: &url::Url) -> String {
    let mut shown = u.clone();
    if !shown.username().is_empty() || shown.password().is_some() {
        let _ = shown.set_username("[redacted]");
        let _ = shown.set_password(None);
    }
    if shown.query().is_some() {
        shown.set_query(Some("[redacted]"));
    }
    shown.set_fragment(None);
    shown.to_string()
}

/// A URL given as text that did not parse: `scheme://` and what follows the userinfo
/// (if any), without the query.
pub(crate) fn redact_text(s: &str) -> String {
    let (scheme, rest) = match s.split_once("://") {
        Some((a, b)) => (Some(a), b),
        None => (None, s),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let host = match authority.rfind('@') {
        Some(at) => format!("[redacted]@{}", &authority[at + 1..]),
        None => authority.to_string(),
    };
    let path = tail.split(['?', '#']).next().unwrap_or_default();
    let query = if tail.contains('?') {
        "?[redacted]"
    } else {
        ""
    };
    match scheme {
        Some(sc) => format!("{sc}://{host}{path}{query}"),
        None => format!("{host}{path}{query}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction() {
        let u = url::Url::parse("https://user:pw@h.example:8443/v1?code=s#f").unwrap();
        let r = redact_url(&u);
        assert!(
            !r.contains("pw") && !r.contains("code=s") && !r.contains("user"),
            "{r}"
        );
        let t = redact_text("https://user:pw@h ex/v1?k=s");
        assert!(!t.contains("pw") && !t.contains("k=s"), "{t}");
        assert_eq!(show(&u), "https://h.example:8443");
    }
}
