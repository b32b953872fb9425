//! Retries: exponential backoff with full jitter on transport errors, timeouts, 429, 502,
//! 503 and 504, honouring `Retry-After`, bounded in attempts and total time.

use std::time::{Duration, SystemTime};

use http::HeaderMap;
use reqwest::Method;

/// When and how often a request is sent again. Set with
/// [`crate::ClientBuilder::retry`]; without it a client never retries (except the one
/// retry after a 401 with a token provider).
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) max_total: Duration,
    pub(crate) non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// 4 attempts, 200 ms base delay doubling up to 10 s, at most 60 s in all, idempotent
    /// methods only (GET, HEAD, OPTIONS, PUT, DELETE, TRACE).
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_total: Duration::from_secs(60),
            non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Attempts in all, the first included (1 = no retries).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }
    /// The first backoff; each further one doubles, up to [`RetryPolicy::max_delay`].
    pub fn base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }
    /// The longest single wait, also the cap on `Retry-After`.
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }
    /// The overall time budget: no retry starts a wait that would end after it.
    pub fn max_total(mut self, d: Duration) -> Self {
        self.max_total = d;
        self
    }
    /// Also retry POST and PATCH (only when the API makes them safe to repeat).
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.non_idempotent = yes;
        self
    }

    pub(crate) fn allows(&self, method: &Method) -> bool {
        self.max_attempts > 1
            && (self.non_idempotent
                || matches!(
                    *method,
                    Method::GET
                        | Method::HEAD
                        | Method::OPTIONS
                        | Method::PUT
                        | Method::DELETE
                        | Method::TRACE
                ))
    }

    /// The wait before attempt `attempt + 1`: `Retry-After` when given, else full jitter
    /// over `base * 2^(attempt-1)`, both capped at `max_delay`.
    pub(crate) fn delay(&self, attempt: u32, headers: Option<&HeaderMap>) -> Duration {
        if let Some(d) = headers.and_then(retry_after) {
            return d.min(self.max_delay);
        }
        let exp = self
            .base_delay
            .saturating_mul(1u32 << (attempt.saturating_sub(1)).min(20))
            .min(self.max_delay);
        let nanos = u64::try_from(exp.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// Statuses worth retrying.
pub(crate) fn retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// `Retry-After` as delay-seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_date() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        let later = SystemTime::now() + Duration::from_secs(120);
        h.insert(
            "retry-after",
            httpdate::fmt_http_date(later).parse().unwrap(),
        );
        let d = retry_after(&h).unwrap();
        assert!(
            d > Duration::from_secs(100) && d <= Duration::from_secs(120),
            "{d:?}"
        );
        h.insert(
            "retry-after",
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn backoff_is_bounded() {
        let p = RetryPolicy::default().max_delay(Duration::from_secs(1));
        for a in 1..40 {
            assert!(p.delay(a, None) <= Duration::from_secs(1));
        }
        assert!(p.allows(&Method::GET) && !p.allows(&Method::POST));
        assert!(p.clone().retry_non_idempotent(true).allows(&Method::POST));
    }
}
