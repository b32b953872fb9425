//! Hooks: code of yours that sees, and may change, every request before it goes on the wire
//! and every response before it is decoded (each attempt, retries included).

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::HeaderMap;
use reqwest::Method;

use crate::error::redacted_headers;

/// A request about to be sent. Changes made by a hook are what goes on the wire. Its Debug
/// output redacts credentials (`Authorization`, cookies, API key headers) and the query.
pub struct RequestParts {
    /// The method.
    pub method: Method,
    /// The whole URL, query included (it may hold an API key: do not log it as is).
    pub url: url::Url,
    /// The headers, credentials included (marked sensitive).
    pub headers: HeaderMap,
    /// The path template from the definition (`/pets/{petId}`; empty for followed links).
    pub path_template: &'static str,
    /// 1 for the first attempt, then 2, 3… for retries.
    pub attempt: u32,
    /// The body as it will be sent (`None` for no body and for multipart bodies, whose
    /// boundary is chosen later). A hook may read it, to sign the request (a payload hash
    /// for AWS SigV4, Hawk or an HMAC header), or replace it.
    pub body: Option<Bytes>,
}

impl fmt::Debug for RequestParts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = crate::origin::redact_url(&self.url);
        f.debug_struct("RequestParts")
            .field("method", &self.method)
            .field("url", &url)
            .field("headers", &redacted_headers(&self.headers))
            .field("path_template", &self.path_template)
            .field("attempt", &self.attempt)
            .field("body_len", &self.body.as_ref().map(Bytes::len))
            .finish()
    }
}

/// A response as read, before retry decisions and decoding: a hook may change the status,
/// headers or body. Debug output redacts sensitive headers.
pub struct ResponseParts {
    /// The status.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
    /// The method of the request.
    pub method: Method,
    /// The path template of the request.
    pub path_template: &'static str,
    /// The attempt this answers.
    pub attempt: u32,
    /// Time from sending to the end of the body.
    pub elapsed: Duration,
}

impl fmt::Debug for ResponseParts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseParts")
            .field("status", &self.status)
            .field("headers", &redacted_headers(&self.headers))
            .field("body_len", &self.body.len())
            .field("method", &self.method)
            .field("path_template", &self.path_template)
            .field("attempt", &self.attempt)
            .field("elapsed", &self.elapsed)
            .finish()
    }
}

/// A response given by [`Hook::answer`].
#[derive(Clone, Debug, Default)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

/// Observes or alters requests and responses; set with [`crate::ClientBuilder::hook`]
/// (several hooks run in the order added). Both methods do nothing by default.
pub trait Hook: Send + Sync {
    /// Called before each attempt is sent, after credentials are applied.
    fn on_request(&self, request: &mut RequestParts) {
        let _ = request;
    }
    /// Called after each attempt's response is read, before it is retried or decoded.
    fn on_response(&self, response: &mut ResponseParts) {
        let _ = response;
    }

    /// Answers an attempt instead of the network: a stub, a recorded response, a dry run.
    /// Called after every hook's [`Hook::on_request`]; the first hook that answers wins and
    /// nothing is sent. The answer is then read like a response from the server (retried,
    /// decoded), without [`Hook::on_response`].
    fn answer(&self, request: &RequestParts) -> Option<Answer> {
        let _ = request;
        None
    }
}
