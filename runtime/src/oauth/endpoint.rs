//! One call to a token endpoint: a form POST, a JSON answer (RFC 6749 §5).

use std::time::Duration;

use crate::auth::Secret;
use crate::oauth::TokenError;

/// A successful token response.
pub(crate) struct TokenResponse {
    pub(crate) access_token: Secret,
    pub(crate) expires_in: Option<Duration>,
    pub(crate) refresh_token: Option<Secret>,
}

/// The default HTTP client for token requests.
pub(crate) fn default_http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default()
}

/// `expires_in` as a number or (Entra v1) a string of digits.
fn seconds(v: Option<&serde_json::Value>) -> Option<Duration> {
    let v = v?;
    let n = v
        .as_u64()
        .or_else(|| v.as_f64().map(|f| f.max(0.0) as u64))
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))?;
    Some(Duration::from_secs(n))
}

fn text(v: Option<&serde_json::Value>) -> Option<String> {
    v.and_then(|v| v.as_str())
        .map(|s| s.chars().take(200).collect())
}

/// POSTs an already encoded form `body` (it holds secrets; it never reaches a message).
pub(crate) async fn request_token_body(
    http: &reqwest::Client,
    url: &str,
    body: String,
) -> Result<TokenResponse, TokenError> {
    let resp = http
        .post(url)
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(http::header::ACCEPT, "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| {
            TokenError::new(format!(
                "cannot reach the token endpoint: {}",
                e.without_url()
            ))
        })?;
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.map_err(|e| {
        TokenError::new(format!(
            "cannot read the token response: {}",
            e.without_url()
        ))
    })?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    if !(200..300).contains(&status) {
        let code = text(json.get("error")).unwrap_or_else(|| "no error code".into());
        let desc = text(json.get("error_description"))
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        return Err(TokenError::with_status(
            format!("the token endpoint answered {status} ({code}){desc}"),
            status,
        ));
    }
    let Some(access) = json.get("access_token").and_then(|v| v.as_str()) else {
        return Err(TokenError::with_status(
            "the token response has no access_token",
            status,
        ));
    };
    Ok(TokenResponse {
        access_token: Secret::from(access),
        expires_in: seconds(json.get("expires_in")),
        refresh_token: json
            .get("refresh_token")
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
            .map(Secret::from),
    })
}
