//! OAuth2: the [`TokenProvider`] trait generated clients call, and ready-made providers.
//!
//! The token endpoint calls are written here rather than with the `oauth2` crate's client:
//! Power Platform's `oauth2generic` needs URL and body templates and Entra's v1 `resource`
//! model, which a stock `oauth2::BasicClient` cannot express, and the single-flight cache is
//! the part that matters for correctness. The `oauth2` crate does supply the random `state`
//! and the PKCE (S256) verifier and challenge of the authorization code flow.

pub(crate) mod cache;
pub(crate) mod endpoint;
mod providers;
mod settings;
mod store;
mod templates;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::auth::Secret;

pub use providers::{
    AuthorizationCodeFlow, ClientCredentialsProvider, PendingAuthorization, RefreshTokenProvider,
    StaticToken,
};
pub use settings::OAuthSettings;
pub use store::{MemoryTokenStore, StoreFuture, StoredToken, TokenStore};
pub use templates::OAuthTemplates;

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, TokenError>> + Send + 'a>>;

/// A source of access tokens, sent as `Authorization: Bearer`.
pub trait TokenProvider: Send + Sync + fmt::Debug {
    /// A valid access token: cached, refreshed before expiry, one refresh in flight at a time.
    fn token(&self) -> TokenFuture<'_>;
    /// The server rejected `token` (401): drop it so the next call refreshes.
    fn invalidate(&self, token: &Secret) {
        let _ = token;
    }
}

/// Getting a token failed. The message never contains a secret.
#[derive(Clone, Debug)]
pub struct TokenError {
    message: String,
    status: Option<u16>,
}

impl TokenError {
    /// A token error with this message (which must not contain secrets).
    pub fn new(message: impl Into<String>) -> Self {
        TokenError {
            message: message.into(),
            status: None,
        }
    }
    pub(crate) fn with_status(message: impl Into<String>, status: u16) -> Self {
        TokenError {
            message: message.into(),
            status: Some(status),
        }
    }
    /// The token endpoint's HTTP status, when it answered.
    pub fn status(&self) -> Option<u16> {
        self.status
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TokenError {}
