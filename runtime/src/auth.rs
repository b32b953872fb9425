//! Credentials, with secrets that never print.

use std::fmt;
use std::sync::Arc;

use crate::oauth::TokenProvider;

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
#[derive(Clone, Debug)]
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
    /// `Authorization: Bearer <token>` with the token from a provider (OAuth2); a 401 makes
    /// the request drop the token, get a fresh one and try once more.
    TokenProvider(Arc<dyn TokenProvider>),
}

impl PartialEq for Credential {
    fn eq(&self, other: &Self) -> bool {
        use Credential::*;
        match (self, other) {
            (
                ApiKey {
                    location: a,
                    name: b,
                    value: c,
                },
                ApiKey {
                    location: x,
                    name: y,
                    value: z,
                },
            ) => a == x && b == y && c == z,
            (
                Basic {
                    username: a,
                    password: b,
                },
                Basic {
                    username: x,
                    password: y,
                },
            ) => a == x && b == y,
            (Bearer(a), Bearer(b)) => a == b,
            (TokenProvider(a), TokenProvider(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Credential {}

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
    /// Bearer tokens from a provider ([`crate::ClientCredentialsProvider`],
    /// [`crate::RefreshTokenProvider`], [`crate::StaticToken`] or your own).
    pub fn token_provider(p: impl TokenProvider + 'static) -> Self {
        Self::TokenProvider(Arc::new(p))
    }
    /// Like [`Credential::token_provider`], sharing a provider already in an `Arc`.
    pub fn shared_token_provider(p: Arc<dyn TokenProvider>) -> Self {
        Self::TokenProvider(p)
    }
}
