//! Typed errors: API errors carry status, headers, the typed body and the raw bytes.

use std::fmt;

use bytes::Bytes;
use http::HeaderMap;

/// Headers never shown in Debug output.
const SENSITIVE: &[&str] = &[
    "authorization",
    "set-cookie",
    "cookie",
    "proxy-authorization",
    "www-authenticate",
    "x-api-key",
];

/// The server answered with a status the action treats as an error.
#[derive(Clone)]
pub struct ApiError<E> {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body, decoded as the action's error type when it parses.
    pub body: Option<E>,
    /// The raw body.
    pub raw: Bytes,
}

/// Headers for Debug output, with credentials shown as `[redacted]`.
pub(crate) fn redacted_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            let shown = if SENSITIVE.contains(&k.as_str()) || v.is_sensitive() {
                "[redacted]".to_string()
            } else {
                String::from_utf8_lossy(v.as_bytes()).into_owned()
            };
            (k.to_string(), shown)
        })
        .collect()
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("headers", &redacted_headers(&self.headers))
            .field("body", &self.body)
            .field("raw", &snippet(&self.raw))
            .finish()
    }
}

/// At most 200 characters of a body, for messages.
pub(crate) fn snippet(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut s: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        s.push('…');
    }
    s
}

/// Everything a generated method can fail with. `E` is the action's typed error body.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// The server answered with an error status (boxed: it carries headers and the body).
    Api(Box<ApiError<E>>),
    /// The request could not be sent or the response not read.
    Transport(reqwest::Error),
    /// The request or the whole call took longer than the timeout.
    Timeout,
    /// A success response did not decode into the expected type.
    Decode {
        /// HTTP status.
        status: u16,
        /// What did not match (with the JSON path).
        message: String,
        /// The start of the body.
        body_snippet: String,
    },
    /// The request was refused before sending (bad header value, bad path value…).
    InvalidRequest(String),
    /// No access token could be had from the token provider.
    Auth(crate::oauth::TokenError),
    /// A URL a server named (a next link, a `Location`, a redirect) was refused by the
    /// origin policy (see [`crate::CrossOrigin`]).
    Refused(crate::origin::Refusal),
    /// The response body is larger than the client's limit
    /// ([`crate::ClientBuilder::max_response_bytes`]); use [`crate::Request::download`] to
    /// stream large bodies.
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
}

impl<E> Error<E> {
    /// The HTTP status, for API and decode errors.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(a) => Some(a.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The typed error body, when the server sent one that parsed.
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api(a) => a.body.as_ref(),
            _ => None,
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(a) => write!(f, "the server answered {}: {}", a.status, snippet(&a.raw)),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Timeout => f.write_str("the request timed out"),
            Error::Decode {
                status,
                message,
                body_snippet,
            } => write!(
                f,
                "cannot decode the {status} response: {message} (body starts: {body_snippet})"
            ),
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
            Error::Auth(e) => write!(f, "cannot get an access token: {e}"),
            Error::Refused(r) => write!(f, "refused: {r}"),
            Error::TooLarge { limit } => {
                write!(
                    f,
                    "the response body is larger than the limit ({limit} bytes)"
                )
            }
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {}
