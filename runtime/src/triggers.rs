//! Triggers: webhook subscriptions and notifications, and polling triggers as a `Stream`.

use std::fmt;
use std::time::Duration;

use futures_core::Stream;
use futures_util::stream;
use http::HeaderMap;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::response::Response;
use crate::retry::retry_after;

/// A webhook subscription, from the subscribe response: its `Location` (where the platform
/// sends DELETE to unsubscribe), an `id` from the body, and the body.
#[derive(Clone, Debug)]
pub struct Subscription {
    location: Option<String>,
    id: Option<String>,
    body: serde_json::Value,
}

impl Subscription {
    /// Reads a subscribe response: a 2xx status, an optional `Location` header and an
    /// optional JSON body whose `id` (string or number) is kept. Other statuses are errors.
    pub fn from_response<E>(resp: Response) -> Result<Subscription, Error<E>> {
        if !(200..300).contains(&resp.status()) {
            return Err(resp.error_untyped());
        }
        let location = resp
            .headers()
            .get(http::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body: serde_json::Value = serde_json::from_slice(resp.body()).unwrap_or_default();
        let id = match body.get("id") {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        Ok(Subscription { location, id, body })
    }

    /// A subscription known from elsewhere (a stored Location).
    pub fn new(location: Option<String>, id: Option<String>, body: serde_json::Value) -> Self {
        Subscription { location, id, body }
    }

    /// This subscription, with `location` as its unsubscribe URL when the response gave
    /// none (a connector's gateway may add it with a response-side policy).
    pub fn or_location(mut self, location: impl Into<String>) -> Subscription {
        if self.location.is_none() {
            self.location = Some(location.into());
        }
        self
    }

    /// The `Location` header of the subscribe response.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }
    /// The subscription id from the body.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    /// The subscribe response body (`null` when empty or not JSON).
    pub fn body(&self) -> &serde_json::Value {
        &self.body
    }

    /// Unsubscribes by sending DELETE to the Location, with the client's credentials for
    /// `security`. Without a Location, use the connector's own delete action.
    pub async fn unsubscribe<E>(
        &self,
        client: &Client,
        security: &'static [&'static [&'static str]],
    ) -> Result<(), Error<E>> {
        let Some(location) = &self.location else {
            return Err(Error::InvalidRequest(
                "the subscription has no Location to unsubscribe from".into(),
            ));
        };
        let resp = client
            .request_url(http::Method::DELETE, location)
            .security(security)
            .send::<E>()
            .await?;
        if (200..300).contains(&resp.status()) || resp.status() == 404 {
            Ok(())
        } else {
            Err(resp.error_untyped())
        }
    }
}

/// A notification could not be accepted.
#[derive(Debug)]
pub enum NotificationError {
    /// The body is not the expected payload.
    Decode(String),
    /// The signature check refused it.
    Rejected(String),
}

impl fmt::Display for NotificationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotificationError::Decode(m) => write!(f, "cannot decode the notification: {m}"),
            NotificationError::Rejected(m) => write!(f, "notification rejected: {m}"),
        }
    }
}

impl std::error::Error for NotificationError {}

/// Checks that a notification comes from the service (an HMAC header, a shared secret…).
pub trait NotificationVerifier: Send + Sync {
    /// `Ok` to accept; the error message must not contain the secret.
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), String>;
}

/// Parses a webhook notification body into the trigger's payload type.
pub fn parse_notification<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, NotificationError> {
    let _ = headers;
    let bytes: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    };
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de)
        .map_err(|e| NotificationError::Decode(format!("at `{}`: {}", e.path(), e.inner())))
}

/// Like [`parse_notification`], after `verifier` accepts the headers and body.
pub fn parse_verified_notification<T: DeserializeOwned>(
    verifier: &dyn NotificationVerifier,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, NotificationError> {
    verifier
        .verify(headers, body)
        .map_err(NotificationError::Rejected)?;
    parse_notification(headers, body)
}

/// The longest wait a server can ask for between polls.
const MAX_POLL_WAIT: Duration = Duration::from_secs(3600);

/// A polling trigger per the platform's protocol: 200 with data → yields it; 202 (or 204) →
/// nothing new. Either way the next poll goes to the `Location` header when present (the
/// trigger state is carried in that URL), else repeats the request, after `Retry-After`
/// (seconds or HTTP date, at most an hour) or `default_interval`. After a 202 or 204 the wait
/// is at least the client's [`crate::ClientBuilder::min_poll_interval`] (default 1 s), so a
/// `Retry-After: 0` or a past date does not make it spin; after data the next poll may come
/// at once (to drain a backlog), as the stream's consumer asks for it. Other statuses go to
/// `decode`; an error is yielded and ends the stream.
pub fn poll<'c, T, E>(
    first: Request<'c>,
    decode: fn(Response) -> Result<T, Error<E>>,
    default_interval: Duration,
) -> impl Stream<Item = Result<T, Error<E>>> + Send + 'c
where
    T: Send + 'c,
    E: Send + 'c,
{
    let floor = first.client().inner.min_poll_interval;
    let template = first.target_url().map(|u| first.follow(u));
    let state = Some(Poll {
        template,
        first: Some(first),
        wait: None,
    });
    stream::unfold(state, move |state| async move {
        let Poll {
            template,
            mut first,
            mut wait,
        } = state?;
        let mut template = match template {
            Ok(t) => t,
            Err(e) => return Some((Err(Error::InvalidRequest(e)), None)),
        };
        loop {
            if let Some(w) = wait.take() {
                tokio::time::sleep(w).await;
            }
            let req = first.take().unwrap_or_else(|| template.follow_same());
            let resp = match req.send::<E>().await {
                Ok(r) => r,
                Err(e) => return Some((Err(e), None)),
            };
            let next_wait = retry_after(resp.headers())
                .unwrap_or(default_interval)
                .min(MAX_POLL_WAIT);
            let location = resp
                .headers()
                .get(http::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| template.target_url().ok().and_then(|b| b.join(l).ok()));
            if let Some(u) = location {
                template = template.follow(u);
            }
            let status = resp.status();
            if status == 202 || status == 204 {
                // Nothing new: never poll again sooner than the floor.
                wait = Some(next_wait.max(floor));
                continue;
            }
            let state = Poll {
                template: Ok(template),
                first: None,
                wait: Some(next_wait),
            };
            return match decode(resp) {
                Ok(item) => Some((Ok(item), Some(state))),
                Err(e) => Some((Err(e), None)),
            };
        }
    })
}

struct Poll<'c> {
    /// The next poll's request (GET to the latest Location).
    template: Result<Request<'c>, String>,
    /// The caller's first request, sent as it is.
    first: Option<Request<'c>>,
    wait: Option<Duration>,
}
