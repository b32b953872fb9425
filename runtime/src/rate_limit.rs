//! Client-side rate limiting: a token bucket shared by all clones of a client, which waits
//! rather than fails.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A request quota: `requests` per `window`, with bursts of up to `requests`.
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
    pub(crate) async fn acquire(&self) {
        let wait = {
            let Ok(mut b) = self.bucket.lock() else {
                return;
            };
            let capacity = f64::from(self.limit.requests);
            let per_sec = capacity / self.limit.window.as_secs_f64();
            let now = Instant::now();
            let refill = now.duration_since(b.last).as_secs_f64() * per_sec;
            b.tokens = (b.tokens + refill).min(capacity);
            b.last = now;
            b.tokens -= 1.0;
            if b.tokens >= 0.0 {
                return;
            }
            Duration::from_secs_f64(-b.tokens / per_sec)
        };
        tokio::time::sleep(wait).await;
    }
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.limit.fmt(f)
    }
}
