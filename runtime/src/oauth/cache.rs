//! A cached access token, refreshed before expiry, with one refresh in flight at a time,
//! the current refresh token, and an optional [`TokenStore`] that sees every new token.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::auth::Secret;
use crate::oauth::endpoint::{TokenResponse, MAX_TOKEN_LIFETIME};
use crate::oauth::store::{StoredToken, TokenStore};
use crate::oauth::TokenError;

struct Cached {
    token: Secret,
    /// When to stop using it (its expiry minus a margin).
    refresh_at: Option<Instant>,
}

/// How long a failed token fetch is reported to new callers before the next attempt.
pub(crate) const FAILURE_BACKOFF: Duration = Duration::from_millis(500);

/// The outcome of the last fetch, when it failed.
struct Failure {
    error: TokenError,
    at: Instant,
    /// The value of `fetches` once this fetch ended.
    fetch: u64,
}

/// Callers that find no valid token queue on `gate`; the first fetches, the others then
/// find the fresh token: 100 concurrent calls on an expired token make one token request.
/// A failed fetch is shared the same way: every caller that waited on it gets its error,
/// and new callers get it too for [`FAILURE_BACKOFF`], before the next attempt.
#[derive(Default)]
pub(crate) struct TokenCache {
    current: Mutex<Option<Cached>>,
    refresh_token: Mutex<Option<Secret>>,
    store: Option<Arc<dyn TokenStore>>,
    /// Whether the store has been read (under `gate`; set once a load has completed, so a
    /// cancelled load is tried again).
    loaded: std::sync::atomic::AtomicBool,
    gate: tokio::sync::Mutex<()>,
    /// Fetches ended (successful or not).
    fetches: std::sync::atomic::AtomicU64,
    failure: Mutex<Option<Failure>>,
}

/// Refresh a minute early, or at half the lifetime for short-lived tokens.
fn margin(lifetime: Duration) -> Duration {
    (lifetime / 2).min(Duration::from_secs(60))
}

/// When to refresh a token of `lifetime` obtained at `now`; saturates (a lifetime past what
/// `Instant` can hold is cut to [`MAX_TOKEN_LIFETIME`], then to what fits).
pub(crate) fn deadline(now: Instant, lifetime: Duration) -> Instant {
    let left = lifetime.min(MAX_TOKEN_LIFETIME);
    let left = left.saturating_sub(margin(left));
    now.checked_add(left).unwrap_or(now)
}

impl TokenCache {
    pub(crate) fn with_refresh_token(refresh_token: Option<Secret>) -> Self {
        TokenCache {
            refresh_token: Mutex::new(refresh_token),
            ..TokenCache::default()
        }
    }

    pub(crate) fn set_store(&mut self, store: Arc<dyn TokenStore>) {
        self.store = Some(store);
        self.loaded = false.into();
    }

    fn valid(&self) -> Option<Secret> {
        let guard = self.current.lock().ok()?;
        let c = guard.as_ref()?;
        match c.refresh_at {
            Some(at) if Instant::now() >= at => None,
            _ => Some(c.token.clone()),
        }
    }

    /// The refresh token in hand, if any.
    pub(crate) fn refresh_token(&self) -> Option<Secret> {
        self.refresh_token.lock().ok().and_then(|g| g.clone())
    }

    /// Reads the store once: its refresh token replaces ours (it is newer), and its access
    /// token is used while valid.
    async fn load(&self) {
        use std::sync::atomic::Ordering;
        let Some(store) = &self.store else { return };
        if self.loaded.load(Ordering::SeqCst) {
            return;
        }
        // Marked loaded only once the load has completed: a caller cancelled during
        // `store.load()` leaves it to the next one.
        let loaded = store.load().await;
        self.loaded.store(true, Ordering::SeqCst);
        let stored = match loaded {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "cannot load tokens from the token store");
                None
            }
        };
        let Some(stored) = stored else { return };
        if let Some(rt) = stored.refresh_token {
            if let Ok(mut g) = self.refresh_token.lock() {
                *g = Some(rt);
            }
        }
        let refresh_at = match stored.expires_at {
            None => None,
            Some(at) => match at.duration_since(SystemTime::now()) {
                Ok(left) if left > margin(left) => {
                    Some(deadline(Instant::now(), left.min(MAX_TOKEN_LIFETIME)))
                }
                _ => return,
            },
        };
        if let Ok(mut g) = self.current.lock() {
            *g = Some(Cached {
                token: stored.access_token,
                refresh_at,
            });
        }
    }

    /// Keeps a token response: the access token, a rotated refresh token; saves both to the
    /// store.
    pub(crate) async fn keep(&self, r: TokenResponse) -> Secret {
        let now = Instant::now();
        let refresh_at = r.expires_in.map(|l| deadline(now, l));
        if let Some(rt) = r.refresh_token {
            if let Ok(mut g) = self.refresh_token.lock() {
                *g = Some(rt);
            }
        }
        if let Ok(mut guard) = self.current.lock() {
            *guard = Some(Cached {
                token: r.access_token.clone(),
                refresh_at,
            });
        }
        if let Some(store) = &self.store {
            let stored = StoredToken {
                access_token: r.access_token.clone(),
                refresh_token: self.refresh_token(),
                expires_at: r
                    .expires_in
                    .and_then(|l| SystemTime::now().checked_add(l.min(MAX_TOKEN_LIFETIME))),
            };
            if let Err(e) = store.save(stored).await {
                tracing::warn!(error = %e, "cannot save tokens to the token store");
            }
        }
        r.access_token
    }

    /// Stores a token response obtained elsewhere (an authorization code exchange).
    pub(crate) async fn seed(&self, r: TokenResponse) {
        let _flight = self.gate.lock().await;
        self.loaded.store(true, std::sync::atomic::Ordering::SeqCst);
        self.keep(r).await;
    }

    /// A valid token, fetching one with `fetch(refresh_token)` if needed.
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<Secret, TokenError>
    where
        F: FnOnce(Option<Secret>) -> Fut,
        Fut: Future<Output = Result<TokenResponse, TokenError>>,
    {
        use std::sync::atomic::Ordering;
        if let Some(t) = self.valid() {
            return Ok(t);
        }
        let seen = self.fetches.load(Ordering::SeqCst);
        let _flight = self.gate.lock().await;
        self.load().await;
        if let Some(t) = self.valid() {
            return Ok(t);
        }
        if let Ok(g) = self.failure.lock() {
            if let Some(f) = g.as_ref() {
                // A fetch that ended while this caller waited, or one that failed just now.
                if f.fetch > seen || f.at.elapsed() < FAILURE_BACKOFF {
                    return Err(f.error.clone());
                }
            }
        }
        let fetched = fetch(self.refresh_token()).await;
        let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
        let failure = match &fetched {
            Ok(_) => None,
            Err(e) => Some(Failure {
                error: e.clone(),
                at: Instant::now(),
                fetch: n,
            }),
        };
        if let Ok(mut g) = self.failure.lock() {
            *g = failure;
        }
        Ok(self.keep(fetched?).await)
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
