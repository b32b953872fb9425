//! Webhook triggers: the subscription a subscribe call returns, and notification parsing.

use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::response::Response;

/// A webhook subscription: where to unsubscribe (`Location`), and what the server said.
#[derive(Clone, Debug, PartialEq)]
pub struct Subscription {
    location: Option<String>,
    body: serde_json::Value,
}

impl Subscription {
    /// From the subscribe call's response (`Location` header, JSON body if any).
    pub fn from_response<E>(resp: Response) -> Result<Subscription, Error<E>> {
        let location = resp
            .headers()
            .get(http::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = if resp.body().is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(resp.body()).unwrap_or(serde_json::Value::Null)
        };
        Ok(Subscription { location, body })
    }
    /// A subscription known by its unsubscribe URL (for one stored earlier, or a `Location`
    /// the platform's gateway would have added).
    pub fn with_location(location: impl Into<String>) -> Subscription {
        Subscription {
            location: Some(location.into()),
            body: serde_json::Value::Null,
        }
    }
    /// This subscription, with `location` as its unsubscribe URL when the server gave none.
    pub fn or_location(mut self, location: impl Into<String>) -> Subscription {
        if self.location.is_none() {
            self.location = Some(location.into());
        }
        self
    }
    /// The unsubscribe URL (`Location`), when the server gave one.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }
    /// The response body of the subscribe call (`null` when empty or not JSON).
    pub fn body(&self) -> &serde_json::Value {
        &self.body
    }
    /// The `id` field of the response body, when there is one.
    pub fn id(&self) -> Option<String> {
        match self.body.get("id")? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// A notification body that does not match its type.
#[derive(Debug)]
pub struct NotificationError(String);

impl std::fmt::Display for NotificationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot parse the notification: {}", self.0)
    }
}

impl std::error::Error for NotificationError {}

/// Parses a notification the backend POSTed to the callback URL.
pub fn parse_notification<T: DeserializeOwned>(body: &[u8]) -> Result<T, NotificationError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de)
        .map_err(|e| NotificationError(format!("at `{}`: {}", e.path(), e.inner())))
}
