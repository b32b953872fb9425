//! Where and how to ask for tokens: client id and secret, endpoints, scopes, resource.

use std::fmt;

use std::sync::Arc;

use crate::auth::Secret;
use crate::oauth::templates::OAuthTemplates;

const ENTRA_LOGIN: &str = "https://login.microsoftonline.com";

/// OAuth2 client settings. Debug output redacts the client secret.
#[derive(Clone)]
pub struct OAuthSettings {
    client_id: String,
    client_secret: Option<Secret>,
    token_url: String,
    authorization_url: Option<String>,
    refresh_url: Option<String>,
    scopes: Vec<String>,
    redirect_url: Option<String>,
    resource: Option<String>,
    entra: bool,
    templates: Option<Arc<OAuthTemplates>>,
}

impl fmt::Debug for OAuthSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthSettings")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("token_url", &self.token_url)
            .field("authorization_url", &self.authorization_url)
            .field("refresh_url", &self.refresh_url)
            .field("scopes", &self.scopes)
            .field("redirect_url", &self.redirect_url)
            .field("resource", &self.resource)
            .field("entra", &self.entra)
            .field("templates", &self.templates)
            .finish()
    }
}

impl OAuthSettings {
    /// Settings for a client at this token endpoint.
    pub fn new(client_id: impl Into<String>, token_url: impl Into<String>) -> Self {
        OAuthSettings {
            client_id: client_id.into(),
            client_secret: None,
            token_url: token_url.into(),
            authorization_url: None,
            refresh_url: None,
            scopes: Vec::new(),
            redirect_url: None,
            resource: None,
            entra: false,
            templates: None,
        }
    }

    /// Microsoft Entra ID (Power Platform `aad`): v2.0 token and authorize endpoints at
    /// `login_uri` (empty: `https://login.microsoftonline.com`) for `tenant_id` (empty:
    /// `common`). With [`OAuthSettings::resource`] and no scopes, the scope requested is
    /// `{resource}/.default`.
    pub fn entra(login_uri: &str, tenant_id: &str, client_id: impl Into<String>) -> Self {
        let login = if login_uri.trim().is_empty() {
            ENTRA_LOGIN
        } else {
            login_uri.trim().trim_end_matches('/')
        };
        let tenant = if tenant_id.trim().is_empty() {
            "common"
        } else {
            tenant_id.trim()
        };
        let mut s = OAuthSettings::new(client_id, format!("{login}/{tenant}/oauth2/v2.0/token"));
        s.authorization_url = Some(format!("{login}/{tenant}/oauth2/v2.0/authorize"));
        s.entra = true;
        s
    }

    /// Replaces the client id (the definition's is often a placeholder).
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = id.into();
        self
    }

    /// Replaces the token URL.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// The client secret (confidential clients).
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }
    /// The authorization endpoint (authorization code flow).
    pub fn authorization_url(mut self, url: impl Into<String>) -> Self {
        self.authorization_url = Some(url.into());
        self
    }
    /// A separate endpoint for refresh-token grants (Power Platform `refreshUrl`).
    pub fn refresh_url(mut self, url: impl Into<String>) -> Self {
        self.refresh_url = Some(url.into());
        self
    }
    /// Scopes to request (joined with spaces).
    pub fn scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }
    /// The redirect URL registered for the client.
    pub fn redirect_url(mut self, url: impl Into<String>) -> Self {
        self.redirect_url = Some(url.into());
        self
    }
    /// The resource (audience): sent as `resource` (RFC 8707), or for Entra turned into the
    /// scope `{resource}/.default` when no scopes are set.
    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self
    }

    /// Power Platform `oauth2generic`: token requests (and the authorization URL) are built
    /// from these templates instead of the standard forms. The token URL defaults to the
    /// `tokenUrlTemplate` when [`OAuthSettings::new`] was given an empty one.
    pub fn templates(mut self, templates: OAuthTemplates) -> Self {
        self.templates = Some(Arc::new(templates));
        self
    }

    /// Settings for Power Platform's `oauth2generic` provider: everything comes from the
    /// `customParameters` templates (see [`OAuthTemplates::from_parameters`]).
    pub fn generic(client_id: impl Into<String>, templates: OAuthTemplates) -> Self {
        OAuthSettings::new(client_id, "").templates(templates)
    }

    /// The `oauth2generic` templates, if any.
    pub fn templates_value(&self) -> Option<&OAuthTemplates> {
        self.templates.as_deref()
    }

    /// The client id.
    pub fn client_id_value(&self) -> &str {
        &self.client_id
    }
    /// The client secret, if any.
    pub fn client_secret_value(&self) -> Option<&Secret> {
        self.client_secret.as_ref()
    }
    /// The token endpoint.
    pub fn token_url_value(&self) -> &str {
        &self.token_url
    }
    /// The authorization endpoint, if any.
    pub fn authorization_url_value(&self) -> Option<&str> {
        self.authorization_url.as_deref()
    }
    /// The refresh endpoint, if any (else the token endpoint is used).
    pub fn refresh_url_value(&self) -> Option<&str> {
        self.refresh_url.as_deref()
    }
    /// The scopes as set.
    pub fn scopes_value(&self) -> &[String] {
        &self.scopes
    }
    /// The redirect URL, if any.
    pub fn redirect_url_value(&self) -> Option<&str> {
        self.redirect_url.as_deref()
    }
    /// The resource, if any.
    pub fn resource_value(&self) -> Option<&str> {
        self.resource.as_deref()
    }
    /// Whether these are Microsoft Entra settings.
    pub fn is_entra(&self) -> bool {
        self.entra
    }

    /// The scopes actually requested (Entra: `{resource}/.default` when none are set).
    pub(crate) fn effective_scopes(&self) -> Vec<String> {
        match (&self.resource, self.entra && self.scopes.is_empty()) {
            (Some(r), true) => vec![format!("{}/.default", r.trim_end_matches('/'))],
            _ => self.scopes.clone(),
        }
    }

    /// The `resource` form field, sent only outside Entra v2.0.
    pub(crate) fn resource_param(&self) -> Option<&str> {
        if self.entra {
            None
        } else {
            self.resource.as_deref()
        }
    }
}
