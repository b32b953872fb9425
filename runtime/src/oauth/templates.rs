//! Power Platform's templated `oauth2generic` identity provider: URLs and form bodies given
//! as templates with `{ClientId}`, `{ClientSecret}`, `{RedirectUrl}`, `{Scopes}`, `{State}`,
//! `{Code}`, `{RefreshToken}` placeholders (case-insensitive), scopes joined with
//! `scopeListDelimiter`.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::auth::Secret;
use crate::oauth::TokenError;

/// What `application/x-www-form-urlencoded` and query values leave as is.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The `customParameters` of an `oauth2generic` connection, set on
/// [`crate::OAuthSettings::templates`]. Placeholder values are percent-encoded as they are
/// put in. Debug output redacts extra values (they may be secrets).
#[derive(Clone, Default)]
pub struct OAuthTemplates {
    authorization_url: Option<String>,
    authorization_query: Option<String>,
    token_url: Option<String>,
    token_query: Option<String>,
    token_body: Option<String>,
    refresh_url: Option<String>,
    refresh_query: Option<String>,
    refresh_body: Option<String>,
    scope_delimiter: Option<String>,
    values: Vec<(String, Secret)>,
}

impl fmt::Debug for OAuthTemplates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthTemplates")
            .field("authorization_url", &self.authorization_url)
            .field("authorization_query", &self.authorization_query)
            .field("token_url", &self.token_url)
            .field("token_query", &self.token_query)
            .field("token_body", &self.token_body)
            .field("refresh_url", &self.refresh_url)
            .field("refresh_query", &self.refresh_query)
            .field("refresh_body", &self.refresh_body)
            .field("scope_delimiter", &self.scope_delimiter)
            .field(
                "values",
                &self.values.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// The values a template may use.
pub(crate) struct Vars<'a> {
    pub(crate) client_id: &'a str,
    pub(crate) client_secret: Option<&'a str>,
    pub(crate) redirect_url: Option<&'a str>,
    pub(crate) scopes: &'a [String],
    pub(crate) state: Option<&'a str>,
    pub(crate) code: Option<&'a str>,
    pub(crate) refresh_token: Option<&'a str>,
    pub(crate) code_challenge: Option<&'a str>,
    pub(crate) code_verifier: Option<&'a str>,
}

impl OAuthTemplates {
    /// No templates yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Templates from a connection's `customParameters` (name, value) pairs:
    /// `authorizationUrlTemplate`, `authorizationUrlQueryStringTemplate`,
    /// `tokenUrlTemplate`, `tokenQueryStringTemplate`, `tokenBodyTemplate`,
    /// `refreshUrlTemplate`, `refreshQueryStringTemplate`, `refreshBodyTemplate`,
    /// `scopeListDelimiter` (names compared case-insensitively). Any other pair becomes a
    /// placeholder value, as with [`OAuthTemplates::value`].
    pub fn from_parameters<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: Into<String>,
    {
        pairs
            .into_iter()
            .fold(Self::new(), |t, (k, v)| t.parameter(k.as_ref(), v))
    }

    /// Sets one `customParameters` entry (see [`OAuthTemplates::from_parameters`]).
    pub fn parameter(mut self, name: &str, value: impl Into<String>) -> Self {
        let value: String = value.into();
        let v = Some(value.clone());
        match name.to_ascii_lowercase().as_str() {
            "authorizationurltemplate" => self.authorization_url = v,
            "authorizationurlquerystringtemplate" => self.authorization_query = v,
            "tokenurltemplate" => self.token_url = v,
            "tokenquerystringtemplate" => self.token_query = v,
            "tokenbodytemplate" => self.token_body = v,
            "refreshurltemplate" => self.refresh_url = v,
            "refreshquerystringtemplate" => self.refresh_query = v,
            "refreshbodytemplate" => self.refresh_body = v,
            "scopelistdelimiter" => self.scope_delimiter = v,
            _ => return self.value(name, value),
        }
        self
    }

    /// A value for a placeholder of your own (`{aU_domain}`…), replacing one of that name.
    pub fn value(mut self, name: &str, value: impl Into<Secret>) -> Self {
        self.values.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.values.push((name.to_string(), value.into()));
        self
    }

    /// The token URL template, if set.
    pub fn token_url_template(&self) -> Option<&str> {
        self.token_url.as_deref()
    }

    fn delimiter(&self) -> &str {
        match self.scope_delimiter.as_deref() {
            Some(d) if !d.is_empty() => d,
            _ => " ",
        }
    }

    /// Fills `template`; `what` names it in errors (which never quote values).
    pub(crate) fn render(
        &self,
        what: &str,
        template: &str,
        vars: &Vars<'_>,
    ) -> Result<String, TokenError> {
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return Ok(out);
            };
            let name = &after[..close];
            let value = self.lookup(name, vars).ok_or_else(|| {
                TokenError::new(format!(
                    "the {what} template uses `{{{name}}}`, which has no value (set it with `OAuthTemplates::value`)"
                ))
            })?;
            out.extend(utf8_percent_encode(&value, COMPONENT));
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn lookup(&self, name: &str, v: &Vars<'_>) -> Option<String> {
        let known = match name.trim().to_ascii_lowercase().as_str() {
            "clientid" => Some(v.client_id.to_string()),
            "clientsecret" => Some(v.client_secret.unwrap_or_default().to_string()),
            "redirecturl" | "redirecturi" => Some(v.redirect_url.unwrap_or_default().to_string()),
            "scopes" | "scope" => Some(v.scopes.join(self.delimiter())),
            "state" => v.state.map(str::to_string),
            "code" => v.code.map(str::to_string),
            "refreshtoken" => v.refresh_token.map(str::to_string),
            "codechallenge" => v.code_challenge.map(str::to_string),
            "codeverifier" => v.code_verifier.map(str::to_string),
            _ => None,
        };
        known.or_else(|| {
            self.values
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name.trim()))
                .map(|(_, s)| s.expose().to_string())
        })
    }

    /// `url_template` + `query_template` (a leading `?` or `&` is fine).
    fn url(
        &self,
        what: &str,
        url: Option<&str>,
        query: Option<&str>,
        vars: &Vars<'_>,
    ) -> Result<Option<String>, TokenError> {
        let Some(url) = url else { return Ok(None) };
        let mut out = self.render(what, url, vars)?;
        if let Some(q) = query {
            let q = self.render(what, q, vars)?;
            let q = q.trim_start_matches(['?', '&']);
            if !q.is_empty() {
                out.push(if out.contains('?') { '&' } else { '?' });
                out.push_str(q);
            }
        }
        Ok(Some(out))
    }

    pub(crate) fn authorize_url(&self, vars: &Vars<'_>) -> Result<Option<String>, TokenError> {
        self.url(
            "authorization URL",
            self.authorization_url.as_deref(),
            self.authorization_query.as_deref(),
            vars,
        )
    }

    /// Whether the authorization templates ask for PKCE (`{CodeChallenge}`).
    pub(crate) fn uses_pkce(&self) -> bool {
        let has = |t: &Option<String>| {
            t.as_deref()
                .is_some_and(|t| t.to_ascii_lowercase().contains("{codechallenge}"))
        };
        has(&self.authorization_url) || has(&self.authorization_query)
    }

    pub(crate) fn token_url(&self, vars: &Vars<'_>) -> Result<Option<String>, TokenError> {
        self.url(
            "token URL",
            self.token_url.as_deref(),
            self.token_query.as_deref(),
            vars,
        )
    }

    pub(crate) fn token_body(&self, vars: &Vars<'_>) -> Result<Option<String>, TokenError> {
        self.token_body
            .as_deref()
            .map(|t| self.render("token body", t, vars))
            .transpose()
    }

    pub(crate) fn refresh_url(&self, vars: &Vars<'_>) -> Result<Option<String>, TokenError> {
        match self.refresh_url.as_deref() {
            Some(u) => self.url("refresh URL", Some(u), self.refresh_query.as_deref(), vars),
            None => self.token_url(vars),
        }
    }

    pub(crate) fn refresh_body(&self, vars: &Vars<'_>) -> Result<Option<String>, TokenError> {
        self.refresh_body
            .as_deref()
            .map(|t| self.render("refresh body", t, vars))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(scopes: &'a [String]) -> Vars<'a> {
        Vars {
            client_id: "id 1",
            client_secret: Some("s&c"),
            redirect_url: Some("https://r/x?y"),
            scopes,
            state: Some("st"),
            code: None,
            refresh_token: Some("rt"),
            code_challenge: None,
            code_verifier: None,
        }
    }

    #[test]
    fn renders_azure_ad_style_templates() {
        let t = OAuthTemplates::from_parameters([
            ("authorizationUrlTemplate", "https://login/authorize"),
            (
                "authorizationUrlQueryStringTemplate",
                "?client_id={ClientId}&redirect_uri={RedirectUrl}&scope={Scopes}&state={State}",
            ),
            (
                "refreshBodyTemplate",
                "client_id={clientid}&refresh_token={RefreshToken}&client_secret={ClientSecret}",
            ),
            ("tokenUrlTemplate", "https://login/{tenant}/token"),
            ("scopeListDelimiter", ","),
            ("tenant", "contoso"),
        ]);
        let scopes = vec!["a.b".to_string(), "offline_access".to_string()];
        let v = vars(&scopes);
        assert_eq!(
            t.authorize_url(&v).unwrap().unwrap(),
            "https://login/authorize?client_id=id%201&redirect_uri=https%3A%2F%2Fr%2Fx%3Fy&scope=a.b%2Coffline_access&state=st"
        );
        assert_eq!(
            t.refresh_body(&v).unwrap().unwrap(),
            "client_id=id%201&refresh_token=rt&client_secret=s%26c"
        );
        assert_eq!(
            t.refresh_url(&v).unwrap().unwrap(),
            "https://login/contoso/token"
        );
        let e = t.render("x", "{Nope}&{ClientSecret}", &v).unwrap_err();
        assert!(e.to_string().contains("{Nope}"), "{e}");
        assert!(!format!("{t:?}").contains("contoso"));
    }
}
