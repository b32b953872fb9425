//! A cached access token, refreshed before expiry, with one refresh in flight at a time.

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::auth::Secret;
use crate::oauth::TokenError;

/// What a token endpoint gave.
pub(crate) struct Fetched {
    pub(crate) access_token: Secret,
    pub(crate) expires_in: Option<Duration>,
}

struct Cached {
    token: Secret,
    /// When to stop using it (its expiry minus a margin).
    refresh_at: Option<Instant>,
}

/// Callers that find no valid token queue on `gate`; the first fetches, the others then
/// find the fresh token: 100 concurrent calls on an expired token make one token request.
#[derive(Default)]
pub(crate) struct TokenCache {
    current: Mutex<Option<Cached>>,
    gate: tokio::sync::Mutex<()>,
}

/// Refresh a minute early, or at half the lifetime for short-lived tokens.
fn margin(lifetime: Duration) -> Duration {
    (lifetime / 2).min(Duration::from_secs(60))
}

impl TokenCache {
    fn valid(&self) -> Option<Secret> {
        let guard = self.current.lock().ok()?;
        let c = guard.as_ref()?;
        match c.refresh_at {
            Some(at) if Instant::now() >= at => None,
            _ => Some(c.token.clone()),
        }
    }

    /// A valid token, fetching one with `fetch` if needed.
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<Secret, TokenError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Fetched, TokenError>>,
    {
        if let Some(t) = self.valid() {
            return Ok(t);
        }
        let _flight = self.gate.lock().await;
        if let Some(t) = self.valid() {
            return Ok(t);
        }
        let fetched = fetch().await?;
        let refresh_at = fetched
            .expires_in
            .map(|l| Instant::now() + l.saturating_sub(margin(l)));
        if let Ok(mut guard) = self.current.lock() {
            *guard = Some(Cached {
                token: fetched.access_token.clone(),
                refresh_at,
            });
        }
        Ok(fetched.access_token)
    }

    /// Forgets `token` if it is the cached one.
    pub(crate) fn invalidate(&self, token: &Secret) {
        if let Ok(mut guard) = self.current.lock() {
            if guard.as_ref().is_some_and(|c| &c.token == token) {
                *guard = None;
            }
        }
    }
}
