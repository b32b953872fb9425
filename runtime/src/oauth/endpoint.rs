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

/// The default HTTP client for token requests: it follows no redirect by itself (see
/// [`request_token_body`]) and sends no `Referer`.
pub(crate) fn default_http() -> reqwest::Client {
    crate::client::reqwest_client_builder()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default()
}

/// The longest lifetime taken from `expires_in`: a larger value (up to `u64::MAX` or
/// `1e300`) is read as this, so no deadline computed from it can overflow.
pub(crate) const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(365 * 24 * 3600);

/// `expires_in` as a number or (Entra v1) a string of digits, at most
/// [`MAX_TOKEN_LIFETIME`]; negative, NaN or unreadable values count as absent.
pub(crate) fn seconds(v: Option<&serde_json::Value>) -> Option<Duration> {
    let v = v?;
    let n = v
        .as_u64()
        .or_else(|| {
            v.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(|f| f as u64)
        })
        .or_else(|| {
            let s = v.as_str()?.trim();
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                // A digit string too long for u64 is "very long".
                Some(s.parse().unwrap_or(u64::MAX))
            } else {
                None
            }
        })?;
    Some(Duration::from_secs(n).min(MAX_TOKEN_LIFETIME))
}

fn text(v: Option<&serde_json::Value>) -> Option<String> {
    v.and_then(|v| v.as_str())
        .map(|s| s.chars().take(200).collect())
}

/// The largest token response read (1 MiB; real ones are a few kilobytes).
const MAX_TOKEN_RESPONSE: u64 = 1 << 20;

/// Redirects a token request may follow: 307 and 308 on the token endpoint's own origin.
const MAX_TOKEN_REDIRECTS: u32 = 5;

/// POSTs an already encoded form `body` (it holds secrets; it never reaches a message).
///
/// The runtime's redirect policy for token requests: a 307 or 308 to the same origin
/// (scheme, host, port) is followed with the same body, at most 5 times; any other redirect
/// (another origin, a downgrade, a 301/302/303 that would turn the POST into a GET) is an
/// error, so `client_secret`, codes and refresh tokens never leave the token endpoint's
/// origin.
pub(crate) async fn request_token_body(
    http: &reqwest::Client,
    url: &str,
    body: String,
) -> Result<TokenResponse, TokenError> {
    let mut target = url::Url::parse(url)
        .map_err(|e| TokenError::new(format!("invalid token endpoint URL: {e}")))?;
    let body = bytes::Bytes::from(body);
    let mut hops = 0;
    let resp = loop {
        let resp = http
            .post(target.clone())
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(http::header::ACCEPT, "application/json")
            .body(body.clone())
            .send()
            .await
            .map_err(|e| {
                TokenError::new(format!(
                    "cannot reach the token endpoint: {}",
                    e.without_url()
                ))
            })?;
        let status = resp.status().as_u16();
        if !matches!(status, 301 | 302 | 303 | 307 | 308) {
            break resp;
        }
        let next = resp
            .headers()
            .get(http::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|l| target.join(l.trim()).ok());
        let Some(next) = next else {
            return Err(TokenError::with_status(
                format!("the token endpoint answered {status} without a usable Location"),
                status,
            ));
        };
        if !matches!(status, 307 | 308) || next.origin() != target.origin() {
            return Err(TokenError::with_status(
                format!(
                    "the token endpoint redirected ({status}) to {}: refused (token requests \
                     follow only 307/308 on the same origin)",
                    crate::origin::show(&next)
                ),
                status,
            ));
        }
        hops += 1;
        if hops > MAX_TOKEN_REDIRECTS {
            return Err(TokenError::with_status(
                "the token endpoint redirected too many times",
                status,
            ));
        }
        target = next;
    };
    let mut resp = resp;
    let status = resp.status().as_u16();
    let bytes = crate::response::read_limited(&mut resp, MAX_TOKEN_RESPONSE)
        .await
        .map_err(|e| match e {
            crate::response::ReadError::TooLarge => TokenError::with_status(
                format!("the token response is larger than {MAX_TOKEN_RESPONSE} bytes"),
                status,
            ),
            crate::response::ReadError::Transport(e) => TokenError::new(format!(
                "cannot read the token response: {}",
                e.without_url()
            )),
        })?;
    parse_token_response(status, &bytes)
}

/// Reads a token endpoint's answer (RFC 6749 §5.1, §5.2): any bytes, never a panic.
pub(crate) fn parse_token_response(status: u16, bytes: &[u8]) -> Result<TokenResponse, TokenError> {
    let json: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_default();
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
