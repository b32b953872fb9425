//! A response, fully read, and its decoding into typed results or typed errors.

use bytes::Bytes;
use http::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{snippet, ApiError, Error};

/// A response whose body has been read. Debug output redacts sensitive headers.
pub struct Response {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &crate::error::redacted_headers(&self.headers))
            .field("body", &snippet(&self.body))
            .finish()
    }
}

impl Response {
    pub(crate) fn new(status: u16, headers: HeaderMap, body: Bytes) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    /// HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Decodes a JSON body (an empty body decodes as `null`, so `()` and `Option` work).
    pub fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        let bytes: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &self.body
        };
        // The plain decoder first (the common case, and faster); only a failure is decoded
        // again with path tracking, for a message that says where.
        if let Ok(v) = serde_json::from_slice(bytes) {
            return Ok(v);
        }
        let de = &mut serde_json::Deserializer::from_slice(bytes);
        serde_path_to_error::deserialize(de).map_err(|e| Error::Decode {
            status: self.status,
            message: format!("at `{}`: {}", e.path(), e.inner()),
            body_snippet: snippet(&self.body),
        })
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text<E>(self) -> Result<String, Error<E>> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    /// The raw body.
    pub fn bytes<E>(self) -> Result<Bytes, Error<E>> {
        Ok(self.body)
    }

    /// Ignores the body.
    pub fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// An API error with the body decoded as `E` when it parses.
    pub fn error<E: DeserializeOwned>(self) -> Error<E> {
        let body = serde_json::from_slice(&self.body).ok();
        self.api(body)
    }

    /// An API error whose body, decoded as `T`, is wrapped by `f` (a variant of an error enum).
    pub fn error_map<T: DeserializeOwned, E>(self, f: impl FnOnce(T) -> E) -> Error<E> {
        let body = serde_json::from_slice::<T>(&self.body).ok().map(f);
        self.api(body)
    }

    /// An API error without a typed body.
    pub fn error_untyped<E>(self) -> Error<E> {
        self.api(None)
    }

    fn api<E>(self, body: Option<E>) -> Error<E> {
        Error::Api(Box::new(ApiError {
            status: self.status,
            headers: self.headers,
            body,
            raw: self.body,
        }))
    }
}
