//! Credentials, with secrets that never print.

use std::fmt;

/// A secret string (API key, password, token). Debug and Display print `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, for putting on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_string())
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl From<&String> for Secret {
    fn from(s: &String) -> Self {
        Secret(s.clone())
    }
}

/// Where an API key goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// How a request authenticates. Debug output is redacted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// An API key.
    ApiKey {
        /// Where it goes.
        location: ApiKeyLocation,
        /// Header, query or cookie name.
        name: String,
        /// The key.
        value: Secret,
    },
    /// HTTP basic.
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: Secret,
    },
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// `Authorization: Bearer <token>` with the token from a [`TokenSource`] (OAuth2).
    TokenSource(crate::oauth::TokenSource),
}

impl Credential {
    /// An API key in a header.
    pub fn api_key_header(name: impl Into<String>, value: impl Into<Secret>) -> Self {
        Self::ApiKey {
            location: ApiKeyLocation::Header,
            name: name.into(),
            value: value.into(),
        }
    }
    /// An API key in the query string.
    pub fn api_key_query(name: impl Into<String>, value: impl Into<Secret>) -> Self {
        Self::ApiKey {
            location: ApiKeyLocation::Query,
            name: name.into(),
            value: value.into(),
        }
    }
    /// An API key in a cookie.
    pub fn api_key_cookie(name: impl Into<String>, value: impl Into<Secret>) -> Self {
        Self::ApiKey {
            location: ApiKeyLocation::Cookie,
            name: name.into(),
            value: value.into(),
        }
    }
    /// HTTP basic auth.
    pub fn basic(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::Basic {
            username: username.into(),
            password: password.into(),
        }
    }
    /// A bearer token (HTTP bearer, OAuth2 or OpenID Connect access token).
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Self::Bearer(token.into())
    }
    /// Bearer tokens from a token source (refreshed as the source sees fit).
    pub fn token_source(source: crate::oauth::TokenSource) -> Self {
        Self::TokenSource(source)
    }
}
