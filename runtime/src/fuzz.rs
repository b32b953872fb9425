//! Property tests of every parser that reads server input (`Retry-After`, `Link`,
//! `expires_in` and token responses, next links, notification bodies) and of the
//! arithmetic fed by server values and settings: arbitrary input, no panic, bounded output.
//!
//! `PROPTEST_CASES` sets the cases per property (default below).

use std::time::{Duration, Instant};

use http::{HeaderMap, HeaderValue};
use proptest::prelude::*;

use crate::oauth::cache::deadline;
use crate::oauth::endpoint::{parse_token_response, seconds, MAX_TOKEN_LIFETIME};
use crate::pagination::{next_from_link_header, resolve_next};
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::retry::{retry_after, RetryPolicy};
use crate::triggers::parse_notification;

/// Cases per property, unless `PROPTEST_CASES` says otherwise.
const CASES: u32 = 2000;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(CASES);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Header-value text: visible ASCII, spaces, tabs and obs-text bytes.
fn header_text() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(prop_oneof![Just(b'\t'), 0x20u8..0x7f, 0x80u8..=0xff], 0..80),
        "[0-9]{1,40}".prop_map(String::into_bytes),
        "-?[0-9]{1,25}(\\.[0-9]{0,5})?".prop_map(String::into_bytes),
        (0u64..u64::MAX).prop_map(|n| n.to_string().into_bytes()),
        (0i64..i64::MAX).prop_map(|n| {
            let t = std::time::UNIX_EPOCH
                .checked_add(Duration::from_secs((n % 253_402_300_799) as u64))
                .unwrap_or(std::time::UNIX_EPOCH);
            httpdate::fmt_http_date(t).into_bytes()
        }),
    ]
}

/// Arbitrary JSON, biased towards token-response and page shapes.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        ".{0,20}".prop_map(serde_json::Value::from),
        "[0-9]{1,40}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("access_token".to_string()),
                    Just("expires_in".to_string()),
                    Just("refresh_token".to_string()),
                    Just("error".to_string()),
                    Just("error_description".to_string()),
                    Just("nextLink".to_string()),
                    Just("value".to_string()),
                    "[a-z]{1,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        Just(Duration::MAX),
        any::<u64>().prop_map(Duration::from_nanos),
        any::<u64>().prop_map(Duration::from_secs),
        (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn retry_after_never_panics(v in header_text()) {
        let Ok(value) = HeaderValue::from_bytes(&v) else { return Ok(()) };
        let mut h = HeaderMap::new();
        h.insert(http::header::RETRY_AFTER, value);
        let _ = retry_after(&h);
    }

    #[test]
    fn retry_delay_is_bounded(
        v in header_text(),
        attempt in any::<u32>(),
        base in duration(),
        max in duration(),
    ) {
        let p = RetryPolicy::default().base_delay(base).max_delay(max).max_total(max);
        let mut h = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_bytes(&v) {
            h.insert(http::header::RETRY_AFTER, value);
        }
        let d = p.delay(attempt, Some(&h));
        prop_assert!(d <= max);
        prop_assert!(p.delay(attempt, None) <= max);
        // What the retry loop computes with it.
        let _ = Duration::from_secs(3).saturating_add(d) > max;
    }

    #[test]
    fn link_header_never_panics(v in any::<String>()) {
        let _ = next_from_link_header(&v);
    }

    #[test]
    fn link_header_finds_next(
        target in "[a-zA-Z0-9/?=&.:_-]{0,40}",
        before in "[^<>]{0,20}",
        params in "(; ?[a-z]{1,5}=\"[^\"]{0,10}\"){0,3}",
    ) {
        let v = format!("{before}<{target}>{params}; rel=\"next\"");
        let found = next_from_link_header(&v);
        prop_assert_eq!(found.as_deref(), Some(target.as_str()));
    }

    #[test]
    fn next_link_resolution_never_panics(
        base in prop_oneof![
            Just("http://127.0.0.1:8080/a/b?p=1".to_string()),
            Just("https://h.example/".to_string()),
        ],
        link in prop_oneof![any::<String>(), "[a-z:/.?=&%#0-9-]{0,40}"],
    ) {
        let current = url::Url::parse(&base).unwrap();
        if let Some(next) = resolve_next(&current, Some(&link)) {
            prop_assert!(next != current);
        }
    }

    #[test]
    fn token_responses_never_panic(
        status in any::<u16>(),
        body in prop_oneof![
            json_value().prop_map(|v| serde_json::to_vec(&v).unwrap_or_default()),
            proptest::collection::vec(any::<u8>(), 0..200),
        ],
    ) {
        let now = Instant::now();
        if let Ok(t) = parse_token_response(status, &body) {
            if let Some(l) = t.expires_in {
                prop_assert!(l <= MAX_TOKEN_LIFETIME);
                let at = deadline(now, l);
                prop_assert!(at >= now && at <= now + MAX_TOKEN_LIFETIME);
            }
        }
    }

    #[test]
    fn expires_in_is_clamped(v in json_value()) {
        if let Some(d) = seconds(Some(&v)) {
            prop_assert!(d <= MAX_TOKEN_LIFETIME);
            let _ = deadline(Instant::now(), d);
            let _ = std::time::SystemTime::now().checked_add(d);
        }
    }

    #[test]
    fn notification_bodies_never_panic(
        body in prop_oneof![
            json_value().prop_map(|v| serde_json::to_vec(&v).unwrap_or_default()),
            proptest::collection::vec(any::<u8>(), 0..200),
        ],
    ) {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Payload {
            value: Vec<serde_json::Value>,
            #[serde(rename = "nextLink")]
            next_link: Option<String>,
        }
        let h = HeaderMap::new();
        let _ = parse_notification::<serde_json::Value>(&h, &body);
        let _ = parse_notification::<Payload>(&h, &body);
    }

    #[test]
    fn rate_limit_waits_are_bounded(requests in any::<u32>(), window in duration(), n in 1usize..50) {
        let limiter = RateLimiter::new(RateLimit::new(requests, window));
        for _ in 0..n {
            let _ = limiter.reserve();
        }
    }
}
