//! Persisting tokens: a [`TokenStore`] sees every token a provider obtains (including a
//! rotated refresh token) and hands them back after a restart.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::SystemTime;

use crate::auth::Secret;
use crate::oauth::TokenError;

/// The future a [`TokenStore`] returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, TokenError>> + Send + 'a>>;

/// Tokens as persisted. Debug output redacts both tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredToken {
    /// The access token.
    pub access_token: Secret,
    /// The refresh token, if the provider has one (the latest, after rotation).
    pub refresh_token: Option<Secret>,
    /// When the access token expires, if the token endpoint said.
    pub expires_at: Option<SystemTime>,
}

/// Where providers persist tokens. `load` is called once, before the first token request;
/// `save` after every token response. A failing store is logged (without secrets) and
/// does not fail the call.
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The tokens saved last, if any.
    fn load(&self) -> StoreFuture<'_, Option<StoredToken>>;
    /// Persists `token`, replacing what was there.
    fn save(&self, token: StoredToken) -> StoreFuture<'_, ()>;
}

/// A [`TokenStore`] in memory (lost when the process ends): the default, and a model for
/// your own.
#[derive(Default)]
pub struct MemoryTokenStore {
    token: Mutex<Option<StoredToken>>,
    saves: std::sync::atomic::AtomicUsize,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
    /// A store holding `token` (as if saved by an earlier run).
    pub fn with_token(token: StoredToken) -> Self {
        MemoryTokenStore {
            token: Mutex::new(Some(token)),
            ..Self::default()
        }
    }
    /// What the store holds now.
    pub fn get(&self) -> Option<StoredToken> {
        self.token.lock().ok().and_then(|g| g.clone())
    }
    /// How many times `save` was called.
    pub fn saves(&self) -> usize {
        self.saves.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryTokenStore")
            .field("token", &self.get())
            .finish()
    }
}

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> StoreFuture<'_, Option<StoredToken>> {
        let t = self.get();
        Box::pin(async move { Ok(t) })
    }
    fn save(&self, token: StoredToken) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            self.saves.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut g = self
                .token
                .lock()
                .map_err(|_| TokenError::new("the token store lock is poisoned"))?;
            *g = Some(token);
            Ok(())
        })
    }
}
