//! Ready-made token providers: a static token, client credentials, a refresh token in hand,
//! and the authorization code flow (PKCE) that yields one.

use std::fmt;
use std::sync::Arc;

use crate::auth::Secret;
use crate::oauth::cache::TokenCache;
use crate::oauth::endpoint::{default_http, request_token_body, TokenResponse};
use crate::oauth::store::TokenStore;
use crate::oauth::templates::Vars;
use crate::oauth::{OAuthSettings, TokenError, TokenFuture, TokenProvider};

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

/// A token request to make.
enum Grant<'a> {
    ClientCredentials,
    Refresh(&'a str),
    Code {
        code: &'a str,
        verifier: Option<&'a str>,
    },
}

fn vars<'a>(s: &'a OAuthSettings, scopes: &'a [String], grant: &Grant<'a>) -> Vars<'a> {
    let (code, verifier, refresh) = match *grant {
        Grant::ClientCredentials => (None, None, None),
        Grant::Refresh(rt) => (None, None, Some(rt)),
        Grant::Code { code, verifier } => (Some(code), verifier, None),
    };
    Vars {
        client_id: s.client_id_value(),
        client_secret: s.client_secret_value().map(Secret::expose),
        redirect_url: s.redirect_url_value(),
        scopes,
        state: None,
        code,
        refresh_token: refresh,
        code_challenge: None,
        code_verifier: verifier,
    }
}

/// The URL and encoded form body of a token request: the standard form (RFC 6749), or the
/// `oauth2generic` templates when the settings have them.
fn build(s: &OAuthSettings, grant: &Grant<'_>) -> Result<(String, String), TokenError> {
    let scopes = s.effective_scopes();
    let v = vars(s, &scopes, grant);
    let templates = s.templates_value();
    let token_url = || -> Result<String, TokenError> {
        if !s.token_url_value().is_empty() {
            return Ok(s.token_url_value().to_string());
        }
        templates
            .map(|t| t.token_url(&v))
            .transpose()?
            .flatten()
            .ok_or_else(|| TokenError::new("the OAuth settings have no token URL"))
    };
    let (url, templated_body) = match grant {
        Grant::ClientCredentials => (token_url()?, None),
        Grant::Code { .. } => (token_url()?, templates.map(|t| t.token_body(&v))),
        Grant::Refresh(_) => {
            let url = match (s.refresh_url_value(), templates) {
                (Some(u), _) => u.to_string(),
                (None, Some(t)) => match t.refresh_url(&v)? {
                    Some(u) if s.token_url_value().is_empty() => u,
                    _ => token_url()?,
                },
                (None, None) => token_url()?,
            };
            (url, templates.map(|t| t.refresh_body(&v)))
        }
    };
    if let Some(body) = templated_body.transpose()?.flatten() {
        return Ok((url, body));
    }
    let scope = scopes.join(" ");
    let mut form: Vec<(&str, &str)> = match grant {
        Grant::ClientCredentials => vec![("grant_type", "client_credentials")],
        Grant::Refresh(rt) => vec![("grant_type", "refresh_token"), ("refresh_token", rt)],
        Grant::Code { code, verifier } => {
            let mut f = vec![("grant_type", "authorization_code"), ("code", *code)];
            if let Some(r) = s.redirect_url_value() {
                f.push(("redirect_uri", r));
            }
            if let Some(cv) = verifier {
                f.push(("code_verifier", cv));
            }
            f
        }
    };
    form.push(("client_id", s.client_id_value()));
    if let Some(secret) = s.client_secret_value() {
        form.push(("client_secret", secret.expose()));
    }
    if !scope.is_empty() && !matches!(grant, Grant::Code { .. }) {
        form.push(("scope", &scope));
    }
    if let Some(r) = s.resource_param() {
        form.push(("resource", r));
    }
    let body = serde_urlencoded::to_string(&form)
        .map_err(|_| TokenError::new("cannot encode the token request"))?;
    Ok((url, body))
}

async fn request(
    http: &reqwest::Client,
    s: &OAuthSettings,
    grant: Grant<'_>,
) -> Result<TokenResponse, TokenError> {
    let (url, body) = build(s, &grant)?;
    request_token_body(http, &url, body).await
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
    /// Uses this HTTP client for token requests. Build it from
    /// [`crate::reqwest_client_builder`]: a client that follows redirects by itself would
    /// send the client secret or refresh token wherever a redirect points.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }
    /// Persists tokens in `store` and starts from what it holds.
    pub fn with_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.cache.set_store(store);
        self
    }
}

impl TokenProvider for ClientCredentialsProvider {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            self.cache
                .get(|_| request(&self.http, &self.settings, Grant::ClientCredentials))
                .await
        })
    }
    fn invalidate(&self, token: &Secret) {
        self.cache.invalidate(token);
    }
}

/// The refresh token grant (RFC 6749 §6) with a refresh token in hand. Uses the refresh URL
/// when set, else the token URL; keeps a rotated refresh token (and saves it to the
/// [`TokenStore`], if any).
pub struct RefreshTokenProvider {
    settings: OAuthSettings,
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
            http: default_http(),
            cache: TokenCache::with_refresh_token(Some(refresh_token.into())),
        }
    }
    /// A provider whose tokens come from `store` (saved by an earlier run, say after
    /// [`AuthorizationCodeFlow::exchange`]).
    pub fn from_store(settings: OAuthSettings, store: Arc<dyn TokenStore>) -> Self {
        let mut cache = TokenCache::default();
        cache.set_store(store);
        RefreshTokenProvider {
            settings,
            http: default_http(),
            cache,
        }
    }
    /// Uses this HTTP client for token requests. Build it from
    /// [`crate::reqwest_client_builder`]: a client that follows redirects by itself would
    /// send the client secret or refresh token wherever a redirect points.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }
    /// Persists tokens in `store`; a refresh token found there replaces the one given to
    /// [`RefreshTokenProvider::new`] (it is the newer one).
    pub fn with_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.cache.set_store(store);
        self
    }
    /// The current refresh token (rotated ones replace the original).
    pub fn refresh_token(&self) -> Option<Secret> {
        self.cache.refresh_token()
    }
}

impl TokenProvider for RefreshTokenProvider {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            self.cache
                .get(|rt| async move {
                    let rt = rt.ok_or_else(|| {
                        TokenError::new("no refresh token: authorize again to get one")
                    })?;
                    request(&self.http, &self.settings, Grant::Refresh(rt.expose())).await
                })
                .await
        })
    }
    fn invalidate(&self, token: &Secret) {
        self.cache.invalidate(token);
    }
}

/// The authorization code grant (RFC 6749 §4.1) with PKCE (RFC 7636, S256) and a `state`
/// against CSRF. [`AuthorizationCodeFlow::authorize`] gives the URL to send the user to;
/// [`AuthorizationCodeFlow::exchange`] trades the code the redirect brings back for tokens
/// and returns a [`RefreshTokenProvider`] holding them. The consent step itself (a browser)
/// is the caller's.
pub struct AuthorizationCodeFlow {
    settings: OAuthSettings,
    http: reqwest::Client,
    store: Option<Arc<dyn TokenStore>>,
}

impl fmt::Debug for AuthorizationCodeFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationCodeFlow")
            .field("settings", &self.settings)
            .field("store", &self.store.is_some())
            .finish()
    }
}

/// An authorization in progress: the URL to open, and the `state` and PKCE verifier to
/// check the redirect against. Debug output redacts the verifier.
pub struct PendingAuthorization {
    url: String,
    state: String,
    verifier: Option<Secret>,
}

impl fmt::Debug for PendingAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingAuthorization")
            .field("url", &self.url)
            .field("state", &self.state)
            .field("verifier", &self.verifier.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

impl PendingAuthorization {
    /// The authorization URL to send the user to.
    pub fn url(&self) -> &str {
        &self.url
    }
    /// The `state` the redirect must bring back.
    pub fn state(&self) -> &str {
        &self.state
    }
    /// The PKCE code verifier (absent for `oauth2generic` templates without PKCE).
    pub fn code_verifier(&self) -> Option<&Secret> {
        self.verifier.as_ref()
    }
}

impl AuthorizationCodeFlow {
    /// A flow with these settings (authorization URL, token URL, client id, redirect URL,
    /// scopes; or `oauth2generic` templates).
    pub fn new(settings: OAuthSettings) -> Self {
        AuthorizationCodeFlow {
            settings,
            http: default_http(),
            store: None,
        }
    }
    /// Uses this HTTP client for token requests. Build it from
    /// [`crate::reqwest_client_builder`]: a client that follows redirects by itself would
    /// send the client secret or refresh token wherever a redirect points.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }
    /// Saves the tokens from the exchange, and every refresh after, to `store`.
    pub fn with_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Starts an authorization: a fresh random `state` and PKCE S256 challenge, and the
    /// authorization URL carrying them (`response_type=code`, `client_id`, `redirect_uri`,
    /// `scope`, `state`, `code_challenge`, `code_challenge_method=S256`). With
    /// `oauth2generic` templates the URL is the rendered template (PKCE only if the template
    /// uses `{CodeChallenge}`).
    pub fn authorize(&self) -> Result<PendingAuthorization, TokenError> {
        let s = &self.settings;
        let state = oauth2::CsrfToken::new_random().secret().clone();
        let (challenge, verifier) = oauth2::PkceCodeChallenge::new_random_sha256();
        let scopes = s.effective_scopes();
        if let Some(t) = s.templates_value() {
            let pkce = t.uses_pkce();
            let mut v = vars(s, &scopes, &Grant::ClientCredentials);
            v.state = Some(&state);
            v.code_challenge = Some(challenge.as_str());
            if let Some(url) = t.authorize_url(&v)? {
                return Ok(PendingAuthorization {
                    url,
                    state,
                    verifier: pkce.then(|| Secret::from(verifier.secret())),
                });
            }
        }
        let base = s
            .authorization_url_value()
            .ok_or_else(|| TokenError::new("the OAuth settings have no authorization URL"))?;
        let mut url = url::Url::parse(base)
            .map_err(|e| TokenError::new(format!("invalid authorization URL: {e}")))?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("response_type", "code");
            q.append_pair("client_id", s.client_id_value());
            if let Some(r) = s.redirect_url_value() {
                q.append_pair("redirect_uri", r);
            }
            if !scopes.is_empty() {
                q.append_pair("scope", &scopes.join(" "));
            }
            q.append_pair("state", &state);
            q.append_pair("code_challenge", challenge.as_str());
            q.append_pair("code_challenge_method", challenge.method().as_str());
        }
        Ok(PendingAuthorization {
            url: url.into(),
            state,
            verifier: Some(Secret::from(verifier.secret())),
        })
    }

    /// Trades `code` for tokens after checking that `state` is the one sent; the provider
    /// returned holds the access token and refreshes with the refresh token.
    pub async fn exchange(
        &self,
        pending: &PendingAuthorization,
        code: &str,
        state: &str,
    ) -> Result<RefreshTokenProvider, TokenError> {
        if state != pending.state {
            return Err(TokenError::new(
                "the redirect's state does not match the authorization's (possible CSRF)",
            ));
        }
        let grant = Grant::Code {
            code,
            verifier: pending.verifier.as_ref().map(Secret::expose),
        };
        let r = request(&self.http, &self.settings, grant).await?;
        let mut cache = TokenCache::default();
        if let Some(store) = &self.store {
            cache.set_store(store.clone());
        }
        cache.seed(r).await;
        Ok(RefreshTokenProvider {
            settings: self.settings.clone(),
            http: self.http.clone(),
            cache,
        })
    }

    /// Like [`AuthorizationCodeFlow::exchange`], reading `code` and `state` (or the
    /// `error`) from the URL the authorization server redirected to.
    pub async fn exchange_redirect(
        &self,
        pending: &PendingAuthorization,
        redirect: &str,
    ) -> Result<RefreshTokenProvider, TokenError> {
        let url = url::Url::parse(redirect)
            .map_err(|e| TokenError::new(format!("invalid redirect URL: {e}")))?;
        let get = |k: &str| {
            url.query_pairs()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.into_owned())
        };
        if let Some(e) = get("error") {
            let desc: String = get("error_description")
                .unwrap_or_default()
                .chars()
                .take(200)
                .collect();
            return Err(TokenError::new(format!(
                "the authorization server refused: {} {desc}",
                e.chars().take(100).collect::<String>()
            )));
        }
        let code = get("code").ok_or_else(|| TokenError::new("the redirect has no code"))?;
        let state = get("state").unwrap_or_default();
        self.exchange(pending, &code, &state).await
    }
}
