//! Client-side rate limiting: a token bucket shared by all clones of a client, which waits
//! rather than fails.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The longest a rate-limit wait can be computed as (a bound, not a setting).
const MAX_WAIT: Duration = Duration::from_secs(365 * 24 * 3600);

/// A request quota: `requests` per `window`, with bursts of up to `requests`. A window over
/// a year is refused by [`crate::ClientBuilder::build`].
#[derive(Clone, Copy, Debug)]
pub struct RateLimit {
    pub(crate) requests: u32,
    pub(crate) window: Duration,
}

impl RateLimit {
    /// `requests` per `window`.
    pub fn new(requests: u32, window: Duration) -> Self {
        RateLimit {
            requests: requests.max(1),
            window: window.max(Duration::from_millis(1)),
        }
    }
    /// `requests` per minute.
    pub fn per_minute(requests: u32) -> Self {
        Self::new(requests, Duration::from_secs(60))
    }
    /// The Power Platform quota: 500 requests per minute per connection.
    pub fn power_platform() -> Self {
        Self::per_minute(500)
    }
    /// The quota as (requests, window).
    pub fn requests_per_window(&self) -> (u32, Duration) {
        (self.requests, self.window)
    }
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The bucket; requests reserve a token and sleep until it is theirs, in arrival order.
pub(crate) struct RateLimiter {
    limit: RateLimit,
    bucket: Mutex<Bucket>,
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        RateLimiter {
            limit,
            bucket: Mutex::new(Bucket {
                tokens: f64::from(limit.requests),
                last: Instant::now(),
            }),
        }
    }

    /// Waits until a request may go.
    ///
    /// Cancel-safe: a caller dropped while waiting gives its reservation back, so callers
    /// that gave up do not delay the next ones.
    pub(crate) async fn acquire(&self) {
        let wait = self.reserve();
        if wait.is_zero() {
            return;
        }
        let mut refund = Refund(Some(self));
        tokio::time::sleep(wait).await;
        refund.0 = None;
    }

    /// Gives a reserved token back.
    fn release(&self) {
        if let Ok(mut b) = self.bucket.lock() {
            b.tokens = (b.tokens + 1.0).min(f64::from(self.limit.requests));
        }
    }

    /// Takes a token, possibly not yet there: how long until it is (saturating; at most
    /// one window per waiter ahead).
    pub(crate) fn reserve(&self) -> Duration {
        {
            let Ok(mut b) = self.bucket.lock() else {
                return Duration::ZERO;
            };
            let capacity = f64::from(self.limit.requests);
            let per_sec = capacity / self.limit.window.as_secs_f64();
            let now = Instant::now();
            let refill = now.duration_since(b.last).as_secs_f64() * per_sec;
            b.tokens = (b.tokens + refill).min(capacity);
            b.last = now;
            b.tokens -= 1.0;
            if b.tokens >= 0.0 || !per_sec.is_normal() {
                return Duration::ZERO;
            }
            Duration::try_from_secs_f64(-b.tokens / per_sec).unwrap_or(MAX_WAIT)
        }
    }
}

/// Returns the reservation of a waiter dropped before its turn.
struct Refund<'a>(Option<&'a RateLimiter>);

impl Drop for Refund<'_> {
    fn drop(&mut self) {
        if let Some(l) = self.0 {
            l.release();
        }
    }
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.limit.fmt(f)
    }
}
