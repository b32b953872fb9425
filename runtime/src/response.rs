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
    /// The unread body, for [`crate::Request::download`].
    pub(crate) stream: Option<reqwest::Response>,
}

/// Why a body could not be read whole.
pub(crate) enum ReadError {
    TooLarge,
    Transport(reqwest::Error),
}

async fn next(r: &mut reqwest::Response) -> Result<Option<Bytes>, ReadError> {
    r.chunk().await.map_err(ReadError::Transport)
}

/// Reads a body of at most `limit` bytes: refused up front when `Content-Length` says more,
/// and as soon as more arrives. A body in one chunk is not copied.
pub(crate) async fn read_limited(
    resp: &mut reqwest::Response,
    limit: u64,
) -> Result<Bytes, ReadError> {
    if resp.content_length().is_some_and(|n| n > limit) {
        return Err(ReadError::TooLarge);
    }
    let Some(first) = next(resp).await? else {
        return Ok(Bytes::new());
    };
    if first.len() as u64 > limit {
        return Err(ReadError::TooLarge);
    }
    let Some(second) = next(resp).await? else {
        return Ok(first);
    };
    let cap = resp
        .content_length()
        .unwrap_or(0)
        .min(limit)
        .max((first.len() + second.len()) as u64);
    let mut buf = Vec::with_capacity(usize::try_from(cap).unwrap_or(usize::MAX).min(1 << 24));
    buf.extend_from_slice(&first);
    let mut chunk = second;
    loop {
        if (buf.len() + chunk.len()) as u64 > limit {
            return Err(ReadError::TooLarge);
        }
        buf.extend_from_slice(&chunk);
        match next(resp).await? {
            Some(c) => chunk = c,
            None => return Ok(Bytes::from(buf)),
        }
    }
}

/// A response whose body is read as it arrives ([`crate::Request::download`]): no size
/// limit, nothing held in memory but the current chunk.
pub struct Download {
    status: u16,
    headers: HeaderMap,
    body: reqwest::Response,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download")
            .field("status", &self.status)
            .field("headers", &crate::error::redacted_headers(&self.headers))
            .finish()
    }
}

impl Download {
    pub(crate) fn new(r: Response) -> Option<Download> {
        Some(Download {
            status: r.status,
            headers: r.headers,
            body: r.stream?,
        })
    }
    /// HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// Headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
    /// The next chunk of the body; `None` at the end.
    pub async fn chunk<E>(&mut self) -> Result<Option<Bytes>, Error<E>> {
        self.body.chunk().await.map_err(crate::request::transport)
    }
    /// The body as a stream of chunks.
    pub fn into_stream<E>(self) -> impl futures_core::Stream<Item = Result<Bytes, Error<E>>> {
        futures_util::stream::unfold(Some(self), |d| async move {
            let mut d = d?;
            match d.chunk().await {
                Ok(Some(c)) => Some((Ok(c), Some(d))),
                Ok(None) => None,
                Err(e) => Some((Err(e), None)),
            }
        })
    }
    /// Reads the rest of the body, at most `limit` bytes (an error status's body, say).
    pub async fn bytes<E>(mut self, limit: u64) -> Result<Bytes, Error<E>> {
        read_limited(&mut self.body, limit)
            .await
            .map_err(|e| match e {
                ReadError::TooLarge => Error::TooLarge { limit },
                ReadError::Transport(e) => crate::request::transport(e),
            })
    }
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
            stream: None,
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
