//! Bearer tokens from a [`TokenSource`]: a static token, or an OAuth2 refresh token exchanged
//! at the token endpoint, cached until shortly before it expires.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::auth::Secret;

/// Getting a token failed. The message never contains a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenError(pub String);

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot get an access token: {}", self.0)
    }
}

impl std::error::Error for TokenError {}

/// A boxed future of a token.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, TokenError>> + Send + 'a>>;

/// Something that hands out access tokens.
pub trait TokenProvider: Send + Sync + fmt::Debug {
    /// A valid access token (cached, refreshed when needed).
    fn token(&self) -> TokenFuture<'_>;
    /// The server rejected `token`: forget it so the next call gets a new one.
    fn invalidate(&self, _token: &Secret) {}
}

/// A shared token provider; cheap to clone.
#[derive(Clone)]
pub struct TokenSource(Arc<dyn TokenProvider>);

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TokenSource").field(&self.0).finish()
    }
}

impl PartialEq for TokenSource {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for TokenSource {}

impl TokenSource {
    /// Wraps a provider.
    pub fn new(provider: impl TokenProvider + 'static) -> Self {
        TokenSource(Arc::new(provider))
    }
    /// A token you already have (it is never refreshed).
    pub fn from_static(token: impl Into<Secret>) -> Self {
        Self::new(StaticToken(token.into()))
    }
    /// A refresh token exchanged at `settings`' token (or refresh) URL.
    pub fn from_refresh_token(settings: OAuthSettings, refresh_token: impl Into<Secret>) -> Self {
        Self::new(RefreshTokenProvider::new(settings, refresh_token))
    }
    /// A token.
    pub async fn token(&self) -> Result<Secret, TokenError> {
        self.0.token().await
    }
    /// Forgets a rejected token.
    pub fn invalidate(&self, token: &Secret) {
        self.0.invalidate(token)
    }
}

/// A fixed token.
#[derive(Clone, Debug)]
pub struct StaticToken(Secret);

impl StaticToken {
    /// A fixed token.
    pub fn new(token: impl Into<Secret>) -> Self {
        StaticToken(token.into())
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        let t = self.0.clone();
        Box::pin(async move { Ok(t) })
    }
}

/// Where and how to get OAuth2 tokens. Debug redacts the client secret.
#[derive(Clone, Debug, Default)]
pub struct OAuthSettings {
    client_id: String,
    client_secret: Option<Secret>,
    authorization_url: Option<String>,
    token_url: String,
    refresh_url: Option<String>,
    scopes: Vec<String>,
    redirect_url: Option<String>,
    resource: Option<String>,
}

impl OAuthSettings {
    /// Settings for `client_id` at `token_url`.
    pub fn new(client_id: impl Into<String>, token_url: impl Into<String>) -> Self {
        OAuthSettings {
            client_id: client_id.into(),
            token_url: token_url.into(),
            ..Self::default()
        }
    }
    /// Microsoft Entra ID (Azure AD): `login_uri` (`https://login.microsoftonline.com` when
    /// empty) and `tenant` (`common` when empty) give the v2 authorize and token URLs.
    pub fn entra(login_uri: &str, tenant: &str, client_id: impl Into<String>) -> Self {
        let login = if login_uri.trim().is_empty() {
            "https://login.microsoftonline.com"
        } else {
            login_uri.trim_end_matches('/')
        };
        let tenant = if tenant.trim().is_empty() {
            "common"
        } else {
            tenant
        };
        OAuthSettings {
            client_id: client_id.into(),
            authorization_url: Some(format!("{login}/{tenant}/oauth2/v2.0/authorize")),
            token_url: format!("{login}/{tenant}/oauth2/v2.0/token"),
            ..Self::default()
        }
    }
    /// The client id.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = id.into();
        self
    }
    /// The client secret.
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }
    /// The authorization URL.
    pub fn authorization_url(mut self, url: impl Into<String>) -> Self {
        self.authorization_url = Some(url.into());
        self
    }
    /// The token URL.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }
    /// The refresh URL (the token URL when unset).
    pub fn refresh_url(mut self, url: impl Into<String>) -> Self {
        self.refresh_url = Some(url.into());
        self
    }
    /// The scopes.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }
    /// The redirect URL.
    pub fn redirect_url(mut self, url: impl Into<String>) -> Self {
        self.redirect_url = Some(url.into());
        self
    }
    /// The resource (Entra ID v1 audience); added as the `{resource}/.default` scope when no
    /// scopes are set.
    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self
    }
    /// The client id.
    pub fn get_client_id(&self) -> &str {
        &self.client_id
    }
    /// The authorization URL.
    pub fn get_authorization_url(&self) -> Option<&str> {
        self.authorization_url.as_deref()
    }
    /// The token URL.
    pub fn get_token_url(&self) -> &str {
        &self.token_url
    }
    /// The refresh URL.
    pub fn get_refresh_url(&self) -> Option<&str> {
        self.refresh_url.as_deref()
    }
    /// The scopes, with the resource's `.default` scope when there are none.
    pub fn effective_scopes(&self) -> Vec<String> {
        if self.scopes.is_empty() {
            if let Some(r) = &self.resource {
                return vec![format!("{}/.default", r.trim_end_matches('/'))];
            }
        }
        self.scopes.clone()
    }
}

#[derive(Debug)]
struct Cached {
    access: Secret,
    refresh: Secret,
    expires: Option<Instant>,
}

/// Exchanges a refresh token for access tokens; keeps a rotated refresh token; one exchange
/// in flight at a time.
#[derive(Debug)]
pub struct RefreshTokenProvider {
    settings: OAuthSettings,
    http: reqwest::Client,
    state: tokio::sync::Mutex<Cached>,
}

impl RefreshTokenProvider {
    /// A provider for a refresh token you already hold.
    pub fn new(settings: OAuthSettings, refresh_token: impl Into<Secret>) -> Self {
        RefreshTokenProvider {
            settings,
            http: reqwest::Client::new(),
            state: tokio::sync::Mutex::new(Cached {
                access: Secret::from(""),
                refresh: refresh_token.into(),
                expires: Some(Instant::now()),
            }),
        }
    }

    async fn refresh(&self, state: &mut Cached) -> Result<(), TokenError> {
        let url = self
            .settings
            .refresh_url
            .clone()
            .unwrap_or_else(|| self.settings.token_url.clone());
        let mut form: Vec<(&str, String)> = vec![
            ("grant_type", "refresh_token".into()),
            ("refresh_token", state.refresh.expose().to_string()),
            ("client_id", self.settings.client_id.clone()),
        ];
        if let Some(s) = &self.settings.client_secret {
            form.push(("client_secret", s.expose().to_string()));
        }
        let scopes = self.settings.effective_scopes();
        if !scopes.is_empty() {
            form.push(("scope", scopes.join(" ")));
        }
        let resp = self.http.post(&url).form(&form).send().await.map_err(|e| {
            TokenError(format!(
                "the token endpoint did not answer: {}",
                e.without_url()
            ))
        })?;
        let status = resp.status();
        let body: serde_json::Value = resp.json().await.map_err(|_| {
            TokenError(format!("the token endpoint answered {status} without JSON"))
        })?;
        if !status.is_success() {
            let code = body
                .get("error")
                .and_then(|e| e.as_str())
                .unwrap_or("unknown");
            return Err(TokenError(format!(
                "the token endpoint answered {status} ({code})"
            )));
        }
        let Some(access) = body.get("access_token").and_then(|t| t.as_str()) else {
            return Err(TokenError(
                "the token response has no `access_token`".into(),
            ));
        };
        state.access = Secret::from(access);
        if let Some(r) = body.get("refresh_token").and_then(|t| t.as_str()) {
            state.refresh = Secret::from(r);
        }
        state.expires = body
            .get("expires_in")
            .and_then(|e| {
                e.as_u64()
                    .or_else(|| e.as_str().and_then(|s| s.parse().ok()))
            })
            // Refresh a minute early (or at half-life for short tokens).
            .map(|s| Instant::now() + Duration::from_secs(s.saturating_sub(60.min(s / 2))));
        Ok(())
    }
}

impl TokenProvider for RefreshTokenProvider {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let mut state = self.state.lock().await;
            let stale = state.access.expose().is_empty()
                || state.expires.is_some_and(|e| Instant::now() >= e);
            if stale {
                self.refresh(&mut state).await?;
            }
            Ok(state.access.clone())
        })
    }

    fn invalidate(&self, token: &Secret) {
        if let Ok(mut state) = self.state.try_lock() {
            if state.access == *token {
                state.access = Secret::from("");
            }
        }
    }
}
