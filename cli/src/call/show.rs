//! Printing what `call` sent and received, with credentials redacted.

use std::io::{IsTerminal, Write};

use connectorkit::http::HeaderMap;
use connectorkit::Bytes;

/// A request as it went (or would go) on the wire.
pub struct Sent {
    pub method: String,
    pub url: url::Url,
    pub headers: HeaderMap,
    pub body: Option<Bytes>,
}

/// What is secret besides the headers the runtime marks sensitive.
pub struct Secrets {
    /// Query parameters holding an API key.
    pub query: Vec<String>,
    /// API key headers (lower case).
    pub headers: Vec<String>,
    /// Policy headers that hold no secret (lower case): shown, though the runtime marks
    /// every credential sensitive.
    pub public: Vec<String>,
}

const REDACTED: &str = "<redacted>";

fn url(sent: &Sent, secrets: &Secrets) -> String {
    let mut u = sent.url.clone();
    if secrets.query.is_empty() || u.query().is_none() {
        return u.to_string();
    }
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| {
            let v = if secrets.query.iter().any(|s| *s == k) {
                REDACTED.to_string()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    u.query_pairs_mut().clear().extend_pairs(pairs);
    // The marker as written, not percent-encoded.
    u.to_string().replace("%3Credacted%3E", REDACTED)
}

fn secret_header(name: &str, secrets: &Secrets) -> bool {
    matches!(
        name,
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
    ) || secrets.headers.iter().any(|h| h == name)
}

fn headers(h: &HeaderMap, secrets: &Secrets) -> String {
    let mut out = String::new();
    for (name, value) in h {
        let public = secrets.public.iter().any(|p| p == name.as_str());
        let secret = secret_header(name.as_str(), secrets) || (value.is_sensitive() && !public);
        let shown = if secret {
            REDACTED.to_string()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        out.push_str(&format!("{name}: {shown}\n"));
    }
    out
}

fn request_text(sent: &Sent, secrets: &Secrets) -> String {
    let mut out = format!("{} {}\n", sent.method, url(sent, secrets));
    out.push_str(&headers(&sent.headers, secrets));
    if let Some(b) = sent.body.as_ref().filter(|b| !b.is_empty()) {
        out.push('\n');
        out.push_str(&String::from_utf8_lossy(b));
        out.push('\n');
    }
    out
}

/// The request, on stdout (`--dry-run`).
pub fn request(sent: &Sent, secrets: &Secrets) {
    let _ = std::io::stdout().write_all(request_text(sent, secrets).as_bytes());
}

/// The request, on stderr (`--verbose`), each line marked `> `.
pub fn request_to_stderr(sent: &Sent, secrets: &Secrets) {
    for line in request_text(sent, secrets).lines() {
        eprintln!("> {line}");
    }
}

/// The status and headers on stderr, the body on stdout: pretty JSON unless `raw`.
pub fn response(resp: &connectorkit::Response, raw: bool) {
    let status = resp.status();
    let reason = connectorkit::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    eprintln!("HTTP {status} {reason}");
    let secrets = Secrets {
        query: Vec::new(),
        headers: Vec::new(),
        public: Vec::new(),
    };
    eprint!("{}", headers(resp.headers(), &secrets));
    let body = resp.body();
    let mut stdout = std::io::stdout().lock();
    if !raw {
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
            let text = serde_json::to_string_pretty(&v).unwrap_or_default();
            let _ = writeln!(stdout, "{text}");
            return;
        }
    }
    let _ = stdout.write_all(body);
    if !raw && stdout.is_terminal() && !body.ends_with(b"\n") && !body.is_empty() {
        let _ = writeln!(stdout);
    }
}
