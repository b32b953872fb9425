//! Ready-made token providers: a static token, client credentials, a refresh token in hand.

use std::fmt;
use std::sync::Mutex;

use crate::auth::Secret;
use crate::oauth::cache::TokenCache;
use crate::oauth::endpoint::{default_http, request_token};
use crate::oauth::{OAuthSettings, TokenFuture, TokenProvider};

/// A fixed access token.
#[derive(Clone)]
pub struct StaticToken(Secret);

impl StaticToken {
    /// A provider that always returns `token`.
    pub fn new(token: impl Into<Secret>) -> Self {
        StaticToken(token.into())
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken([redacted])")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        let t = self.0.clone();
        Box::pin(async move { Ok(t) })
    }
}

fn scope_field(settings: &OAuthSettings) -> String {
    settings.effective_scopes().join(" ")
}

/// The client credentials grant (RFC 6749 §4.4), cached and refreshed before expiry.
pub struct ClientCredentialsProvider {
    settings: OAuthSettings,
    http: reqwest::Client,
    cache: TokenCache,
}

impl fmt::Debug for ClientCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentialsProvider")
            .field("settings", &self.settings)
            .finish()
    }
}

impl ClientCredentialsProvider {
    /// A provider for these settings (the client secret is sent in the form body).
    pub fn new(settings: OAuthSettings) -> Self {
        ClientCredentialsProvider {
            settings,
            http: default_http(),
            cache: TokenCache::default(),
        }
    }
    /// Uses this HTTP client for token requests.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }
}

impl TokenProvider for ClientCredentialsProvider {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            self.cache
                .get(|| async {
                    let s = &self.settings;
                    let scope = scope_field(s);
                    let mut form = vec![
                        ("grant_type", "client_credentials"),
                        ("client_id", s.client_id_value()),
                    ];
                    if let Some(secret) = s.client_secret_value() {
                        form.push(("client_secret", secret.expose()));
                    }
                    if !scope.is_empty() {
                        form.push(("scope", &scope));
                    }
                    if let Some(r) = s.resource_param() {
                        form.push(("resource", r));
                    }
                    let r = request_token(&self.http, s.token_url_value(), &form).await?;
                    Ok(r.fetched)
                })
                .await
        })
    }
    fn invalidate(&self, token: &Secret) {
        self.cache.invalidate(token);
    }
}

/// The refresh token grant (RFC 6749 §6) with a refresh token in hand. Uses the refresh URL
/// when set, else the token URL; keeps a rotated refresh token.
pub struct RefreshTokenProvider {
    settings: OAuthSettings,
    refresh_token: Mutex<Secret>,
    http: reqwest::Client,
    cache: TokenCache,
}

impl fmt::Debug for RefreshTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshTokenProvider")
            .field("settings", &self.settings)
            .field("refresh_token", &"[redacted]")
            .finish()
    }
}

impl RefreshTokenProvider {
    /// A provider that trades `refresh_token` for access tokens.
    pub fn new(settings: OAuthSettings, refresh_token: impl Into<Secret>) -> Self {
        RefreshTokenProvider {
            settings,
            refresh_token: Mutex::new(refresh_token.into()),
            http: default_http(),
            cache: TokenCache::default(),
        }
    }
    /// Uses this HTTP client for token requests.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }
    /// The current refresh token (rotated ones replace the original).
    pub fn refresh_token(&self) -> Option<Secret> {
        self.refresh_token.lock().ok().map(|g| g.clone())
    }
}

impl TokenProvider for RefreshTokenProvider {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            self.cache
                .get(|| async {
                    let s = &self.settings;
                    let current = self.refresh_token().ok_or_else(|| {
                        crate::oauth::TokenError::new("the refresh token lock is poisoned")
                    })?;
                    let scope = scope_field(s);
                    let mut form = vec![
                        ("grant_type", "refresh_token"),
                        ("refresh_token", current.expose()),
                        ("client_id", s.client_id_value()),
                    ];
                    if let Some(secret) = s.client_secret_value() {
                        form.push(("client_secret", secret.expose()));
                    }
                    if !scope.is_empty() {
                        form.push(("scope", &scope));
                    }
                    if let Some(r) = s.resource_param() {
                        form.push(("resource", r));
                    }
                    let url = s.refresh_url_value().unwrap_or(s.token_url_value());
                    let r = request_token(&self.http, url, &form).await?;
                    if let Some(rotated) = r.refresh_token {
                        if let Ok(mut g) = self.refresh_token.lock() {
                            *g = rotated;
                        }
                    }
                    Ok(r.fetched)
                })
                .await
        })
    }
    fn invalidate(&self, token: &Secret) {
        self.cache.invalidate(token);
    }
}
