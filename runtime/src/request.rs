//! A request being described by a generated method, then sent.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Method;
use serde::Serialize;

use std::sync::Arc;
use std::time::Instant;

use tracing::Instrument;

use crate::auth::{ApiKeyLocation, Credential, Secret};
use crate::client::Client;
use crate::error::Error;
use crate::hook::{RequestParts, ResponseParts};
use crate::multipart::Multipart;
use crate::oauth::TokenProvider;
use crate::origin::{self, CrossOrigin, Refusal};
use crate::params::{self, ParamStyle};
use crate::response::{read_limited, Download, ReadError, Response};
use crate::retry;

/// Everything but RFC 3986 unreserved characters is encoded in path segments.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[derive(Default)]
enum Body {
    #[default]
    None,
    Json(Bytes),
    Form(Bytes),
    Multipart(Multipart),
    Bytes(String, Bytes),
    Text(String, Bytes),
}

impl Body {
    /// The bytes of a body that has them (not multipart).
    fn into_bytes(self) -> Option<Bytes> {
        match self {
            Body::None | Body::Multipart(_) => None,
            Body::Json(b) | Body::Form(b) | Body::Bytes(_, b) | Body::Text(_, b) => Some(b),
        }
    }

    /// A copy for sending again (cheap: the bytes are shared); multipart bodies are streams
    /// and cannot be resent.
    fn try_clone(&self) -> Option<Body> {
        Some(match self {
            Body::None => Body::None,
            Body::Json(b) => Body::Json(b.clone()),
            Body::Form(b) => Body::Form(b.clone()),
            Body::Multipart(_) => return None,
            Body::Bytes(c, b) => Body::Bytes(c.clone(), b.clone()),
            Body::Text(c, t) => Body::Text(c.clone(), t.clone()),
        })
    }
}

/// A request under construction. Problems (a bad header value, say) are kept and returned by
/// [`Request::send`] before anything goes on the wire.
pub struct Request<'c> {
    client: &'c Client,
    method: Method,
    /// The path template as the definition gives it (for tracing; no values in it).
    template: &'static str,
    path: String,
    /// Set by [`Client::request_url`]: the whole URL, instead of base URL + path.
    absolute: Option<url::Url>,
    query: Vec<(String, String)>,
    headers: Vec<(HeaderName, HeaderValue)>,
    cookies: Vec<String>,
    security: &'static [&'static [&'static str]],
    always: &'static [&'static str],
    body: Body,
    error: Option<String>,
    /// Whether the URL this one was found in (a page, a poll) was `https`: a link from it
    /// to `http` is a downgrade.
    referrer_https: bool,
}

/// The credentials of one request, kept apart from its parameters: they are put on the
/// wire only for trusted origins.
#[derive(Default)]
struct Creds {
    headers: Vec<(HeaderName, HeaderValue)>,
    query: Vec<(String, String)>,
    cookies: Vec<String>,
}

fn check_value(what: &str, name: &str, value: &str) -> Result<(), String> {
    if value.contains(['\r', '\n', '\0']) {
        Err(format!(
            "the value of {what} `{name}` contains CR, LF or NUL"
        ))
    } else {
        Ok(())
    }
}

/// The byte offset of the next `{name}` in `path` at or after `from`.
fn find_placeholder(path: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = path.as_bytes();
    let mut i = from;
    while let Some(off) = bytes.get(i..)?.iter().position(|&b| b == b'{') {
        let at = i + off;
        let rest = &bytes[at + 1..];
        if rest.starts_with(name.as_bytes()) && rest.get(name.len()) == Some(&b'}') {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

impl<'c> Request<'c> {
    pub(crate) fn new(client: &'c Client, method: Method, path: &'static str) -> Self {
        Request {
            client,
            method,
            template: path,
            path: path.to_string(),
            absolute: None,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            security: &[],
            always: &[],
            body: Body::None,
            error: None,
            referrer_https: false,
        }
    }

    /// A request to a whole URL (absolute, or relative to the base URL).
    pub(crate) fn new_url(client: &'c Client, method: Method, url: &str) -> Self {
        let mut r = Request::new(client, method, "");
        match url::Url::parse(url) {
            Ok(u) => r.absolute = Some(u),
            Err(url::ParseError::RelativeUrlWithoutBase) => match client.inner.base_url.join(url) {
                Ok(u) => r.absolute = Some(u),
                Err(e) => r.error = Some(format!("cannot resolve the URL: {e}")),
            },
            Err(e) => r.error = Some(format!("invalid URL: {e}")),
        }
        r
    }

    /// The client this request goes through.
    pub(crate) fn client(&self) -> &'c Client {
        self.client
    }

    /// A GET to `url` with this request's client, security, headers and cookies (no query,
    /// no body): the next page, the next poll.
    pub(crate) fn follow(&self, url: url::Url) -> Request<'c> {
        Request {
            client: self.client,
            method: Method::GET,
            template: self.template,
            path: String::new(),
            absolute: Some(url),
            query: Vec::new(),
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            security: self.security,
            always: self.always,
            body: Body::None,
            error: self.error.clone(),
            referrer_https: self.referrer_https
                || self
                    .absolute
                    .as_ref()
                    .is_some_and(|u| u.scheme() == "https"),
        }
    }

    /// A copy of a request made by [`Request::follow`] (GET, no body).
    pub(crate) fn follow_same(&self) -> Request<'c> {
        let mut r = self.follow(
            self.absolute
                .clone()
                .unwrap_or_else(|| self.client.inner.base_url.clone()),
        );
        r.query = self.query.clone();
        r
    }

    /// The URL this request goes to, with its query parameters but without credentials.
    pub(crate) fn target_url(&self) -> Result<url::Url, String> {
        let mut url = match &self.absolute {
            Some(u) => u.clone(),
            None => {
                if self.path.contains('{') {
                    return Err(format!("unfilled placeholder in `{}`", self.path));
                }
                let base = self.client.inner.base_url.as_str().trim_end_matches('/');
                let sep = if self.path.starts_with('/') || self.path.is_empty() {
                    ""
                } else {
                    "/"
                };
                url::Url::parse(&format!("{base}{sep}{}", self.path))
                    .map_err(|e| format!("cannot build the URL: {e}"))?
            }
        };
        if !self.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &self.query {
                pairs.append_pair(k, v);
            }
        }
        Ok(url)
    }

    fn fail(mut self, message: String) -> Self {
        if self.error.is_none() {
            self.error = Some(message);
        }
        self
    }

    fn substitute(mut self, name: &str, value: &(impl Serialize + ?Sized), twice: bool) -> Self {
        let text = match params::simple_text(value) {
            Ok(Some(t)) => t,
            Ok(None) => String::new(),
            Err(e) => return self.fail(format!("path parameter `{name}`: {e}")),
        };
        if text.is_empty() || text == "." || text == ".." {
            return self.fail(format!(
                "path parameter `{name}` is empty, `.` or `..`, which would change the path"
            ));
        }
        let mut encoded = utf8_percent_encode(&text, SEGMENT).to_string();
        if twice {
            encoded = utf8_percent_encode(&encoded, SEGMENT).to_string();
        }
        // Every `{name}`, found without building the placeholder string.
        let mut from = 0;
        let mut found = false;
        while let Some(at) = find_placeholder(&self.path, from, name) {
            self.path.replace_range(at..at + name.len() + 2, &encoded);
            from = at + encoded.len();
            found = true;
        }
        if !found {
            return self.fail(format!("the path has no `{{{name}}}`"));
        }
        self
    }

    /// Fills the `{name}` placeholder; the value is percent-encoded so it stays one segment.
    pub fn path(self, name: &str, value: &(impl Serialize + ?Sized)) -> Self {
        self.substitute(name, value, false)
    }

    /// Like [`Request::path`], encoding twice (Power Platform `x-ms-url-encoding: double`).
    pub fn path_encoded_twice(self, name: &str, value: &(impl Serialize + ?Sized)) -> Self {
        self.substitute(name, value, true)
    }

    /// A query parameter in form style (explode); `None` is skipped.
    pub fn query(self, name: &str, value: &(impl Serialize + ?Sized)) -> Self {
        self.query_with(name, value, ParamStyle::Form)
    }

    /// A query parameter in the given style; `None` is skipped.
    pub fn query_with(
        mut self,
        name: &str,
        value: &(impl Serialize + ?Sized),
        style: ParamStyle,
    ) -> Self {
        match params::to_value(value) {
            Ok(Some(v)) => {
                self.query.extend(params::query_pairs(name, &v, style));
                self
            }
            Ok(None) => self,
            Err(e) => self.fail(format!("query parameter `{name}`: {e}")),
        }
    }

    /// A header; `None` is skipped; values with CR/LF are refused.
    pub fn header(mut self, name: &str, value: &(impl Serialize + ?Sized)) -> Self {
        let text = match params::simple_text(value) {
            Ok(Some(t)) => t,
            Ok(None) => return self,
            Err(e) => return self.fail(format!("header `{name}`: {e}")),
        };
        if let Err(e) = check_value("header", name, &text) {
            return self.fail(e);
        }
        let Ok(hn) = HeaderName::from_bytes(name.as_bytes()) else {
            return self.fail(format!("`{name}` is not a valid header name"));
        };
        let Ok(hv) = HeaderValue::from_str(&text) else {
            return self.fail(format!(
                "the value of header `{name}` is not valid in a header"
            ));
        };
        self.headers.push((hn, hv));
        self
    }

    /// A cookie; `None` is skipped; values with CR/LF or `;` are refused.
    pub fn cookie(mut self, name: &str, value: &(impl Serialize + ?Sized)) -> Self {
        let text = match params::to_value(value) {
            Ok(Some(v)) => params::simple(&v),
            Ok(None) => return self,
            Err(e) => return self.fail(format!("cookie `{name}`: {e}")),
        };
        if let Err(e) = check_value("cookie", name, &text) {
            return self.fail(e);
        }
        if text.contains(';') {
            return self.fail(format!("the value of cookie `{name}` contains `;`"));
        }
        self.cookies.push(format!("{name}={text}"));
        self
    }

    /// Credentials sent whenever the client has them, whichever security alternative applies
    /// (a connector's policy headers and query values).
    pub fn always(mut self, names: &'static [&'static str]) -> Self {
        self.always = names;
        self
    }

    /// Security alternatives: the first one whose schemes all have credentials is applied.
    pub fn security(mut self, alternatives: &'static [&'static [&'static str]]) -> Self {
        self.security = alternatives;
        self
    }

    /// Sets `Accept`.
    pub fn accept(self, media_type: &'static str) -> Self {
        self.header("accept", media_type)
    }

    /// A JSON body.
    pub fn json(mut self, body: &(impl Serialize + ?Sized)) -> Self {
        match serde_json::to_vec(body) {
            Ok(b) => {
                self.body = Body::Json(Bytes::from(b));
                self
            }
            Err(e) => self.fail(format!("cannot serialize the JSON body: {e}")),
        }
    }

    /// An `application/x-www-form-urlencoded` body, encoded as OpenAPI's default for forms
    /// (`style: form`, `explode: true`): an array property is one pair per item
    /// (`to=a&to=b`), `null` and absent properties are left out, and a nested object or array
    /// is sent as its JSON text.
    pub fn form(mut self, body: &(impl Serialize + ?Sized)) -> Self {
        match form_body(body) {
            Ok(b) => {
                self.body = Body::Form(Bytes::from(b));
                self
            }
            Err(e) => self.fail(format!("cannot serialize the form body: {e}")),
        }
    }

    /// A `multipart/form-data` body.
    pub fn multipart(mut self, body: Multipart) -> Self {
        self.body = Body::Multipart(body);
        self
    }

    /// A raw body with this content type.
    pub fn body_bytes(mut self, content_type: &str, body: impl Into<Bytes>) -> Self {
        self.body = Body::Bytes(content_type.to_string(), body.into());
        self
    }

    /// A text body with this content type.
    pub fn body_text(mut self, content_type: &str, body: impl Into<String>) -> Self {
        self.body = Body::Text(content_type.to_string(), Bytes::from(body.into()));
        self
    }

    /// The static credentials of the chosen security alternative, and the token providers
    /// still to ask; an invalid credential is recorded as the request's error.
    fn apply_security(&mut self) -> (Creds, Vec<Arc<dyn TokenProvider>>) {
        let mut out = Creds::default();
        let mut providers = Vec::new();
        let creds = &self.client.inner.credentials;
        let chosen = self
            .security
            .iter()
            .find(|alt| alt.iter().all(|s| creds.contains_key(*s)));
        let chosen: &[&'static str] = chosen.copied().unwrap_or_default();
        let always = self.always.iter().filter(|n| !chosen.contains(n));
        for scheme in chosen.iter().chain(always) {
            let Some(c) = creds.get(*scheme) else {
                continue;
            };
            match c {
                Credential::ApiKey {
                    location,
                    name,
                    value,
                } => match location {
                    ApiKeyLocation::Header => {
                        if let (Ok(n), Ok(mut v)) = (
                            HeaderName::from_bytes(name.as_bytes()),
                            HeaderValue::from_str(value.expose()),
                        ) {
                            v.set_sensitive(true);
                            out.headers.push((n, v));
                        } else {
                            self.error.get_or_insert(format!(
                                "the credential of `{scheme}` is not a valid header"
                            ));
                        }
                    }
                    ApiKeyLocation::Query => {
                        out.query.push((name.clone(), value.expose().to_string()))
                    }
                    ApiKeyLocation::Cookie => {
                        if check_value("cookie", name, value.expose()).is_err() {
                            self.error.get_or_insert(format!(
                                "the credential of `{scheme}` is not a valid cookie"
                            ));
                        } else {
                            out.cookies.push(format!("{name}={}", value.expose()));
                        }
                    }
                },
                Credential::Basic { .. } | Credential::Bearer(_) => {
                    match self.client.inner.authorization.get(*scheme) {
                        Some(v) => out.headers.push((http::header::AUTHORIZATION, v.clone())),
                        None => {
                            self.error.get_or_insert(format!(
                                "the credential of `{scheme}` is not a valid header"
                            ));
                        }
                    }
                }
                Credential::TokenProvider(p) => providers.push(p.clone()),
            }
        }
        (out, providers)
    }

    /// Whether this request may carry credentials, under the origin policy: always for a
    /// path on the base URL; for a URL a server named, when its origin is trusted (else
    /// refused or sent bare, as the client says); never a downgrade to `http`.
    fn credentials_allowed<E>(&self, url: &url::Url) -> Result<bool, Error<E>> {
        if self.absolute.is_none() {
            return Ok(true);
        }
        let inner = &self.client.inner;
        let from_https = self.referrer_https || inner.base_url.scheme() == "https";
        if origin::downgrade(from_https, url) {
            return Err(Error::Refused(Refusal::Downgrade {
                origin: origin::show(url),
            }));
        }
        if inner.trusts(url) {
            return Ok(true);
        }
        match inner.cross_origin {
            CrossOrigin::FollowWithoutCredentials => Ok(false),
            _ => Err(Error::Refused(Refusal::CrossOrigin {
                origin: origin::show(url),
            })),
        }
    }

    /// Sends the request and reads the whole response.
    ///
    /// With a token provider, a 401 drops the token, gets a fresh one and sends once more
    /// (not for multipart bodies, which cannot be resent). Credentials go only to trusted
    /// origins (see [`crate::CrossOrigin`]); redirects are followed under the same policy.
    pub async fn send<E>(self) -> Result<Response, Error<E>> {
        self.send_inner(false).await
    }

    /// Like [`Request::send`], without reading the body: it streams from the [`Download`],
    /// with no size limit (for large downloads). Retries, the 401 refresh and redirects
    /// work as for `send`; hooks see an empty body.
    pub async fn download<E>(self) -> Result<Download, Error<E>> {
        let r = self.send_inner(true).await?;
        Download::new(r).ok_or_else(|| Error::InvalidRequest("the body was not streamed".into()))
    }

    async fn send_inner<E>(mut self, stream: bool) -> Result<Response, Error<E>> {
        let (creds, providers) = self.apply_security();
        if let Some(e) = self.error.take() {
            return Err(Error::InvalidRequest(e));
        }
        let url = self.target_url().map_err(Error::InvalidRequest)?;
        let with_credentials = self.credentials_allowed(&url)?;
        let (creds, providers) = if with_credentials {
            (creds, providers)
        } else {
            (Creds::default(), Vec::new())
        };
        let body = std::mem::take(&mut self.body);
        let span = tracing::debug_span!(
            "connectorkit.request",
            method = %self.method,
            path = self.template,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
        );
        let total = self.client.inner.total_timeout;
        let mut wire = Wire {
            client: self.client,
            method: self.method,
            url,
            template: self.template,
            headers: self.headers,
            cookies: self.cookies,
            creds,
            with_credentials,
            stream,
            started: Instant::now(),
            attempts: 0,
        };
        let call = async move {
            let mut tokens = bearer_tokens(&providers).await?;
            let spare = if providers.is_empty() {
                None
            } else {
                body.try_clone()
            };
            let resp = wire.send_retrying(body, &tokens).await?;
            if resp.status() != 401 || providers.is_empty() {
                return Ok(resp);
            }
            let Some(body) = spare else {
                return Ok(resp);
            };
            // The resend after the refresh is one more attempt of the same budget.
            let policy = wire
                .client
                .inner
                .retry
                .as_ref()
                .filter(|p| p.allows(&wire.method));
            if let Some(p) = policy {
                if wire.attempts >= p.max_attempts || wire.started.elapsed() >= p.max_total {
                    return Ok(resp);
                }
            }
            tracing::debug!("401 with a provider token: refreshing and sending once more");
            for (p, t) in providers.iter().zip(&tokens) {
                p.invalidate(t);
            }
            tokens = bearer_tokens(&providers).await?;
            wire.send_retrying(body, &tokens).await
        };
        match total {
            None => call.instrument(span).await,
            Some(t) => {
                let timed = tokio::time::timeout(t, call).instrument(span.clone()).await;
                timed.unwrap_or_else(|_| {
                    span.in_scope(|| tracing::debug!("the call ran out of its total timeout"));
                    Err(Error::Timeout)
                })
            }
        }
    }
}

async fn bearer_tokens<E>(providers: &[Arc<dyn TokenProvider>]) -> Result<Vec<Secret>, Error<E>> {
    let mut tokens = Vec::with_capacity(providers.len());
    for p in providers {
        tokens.push(p.token().await.map_err(Error::Auth)?);
    }
    Ok(tokens)
}

/// Everything but the body and the bearer tokens, kept to send again.
struct Wire<'a> {
    client: &'a Client,
    method: Method,
    url: url::Url,
    template: &'static str,
    headers: Vec<(HeaderName, HeaderValue)>,
    cookies: Vec<String>,
    /// Put on the wire only while `with_credentials` and the origin is trusted.
    creds: Creds,
    with_credentials: bool,
    /// Leave the final body unread ([`Request::download`]).
    stream: bool,
    /// The retry budget covers the whole call (the resend after a 401 refresh included):
    /// when it began and the attempts made so far.
    started: Instant,
    attempts: u32,
}

/// Statuses the runtime follows as redirects.
fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

impl Wire<'_> {
    /// Sends under the client's retry policy and rate limit.
    async fn send_retrying<E>(
        &mut self,
        mut body: Body,
        tokens: &[Secret],
    ) -> Result<Response, Error<E>> {
        let inner = &self.client.inner;
        let span = tracing::Span::current();
        let policy = inner.retry.as_ref().filter(|p| p.allows(&self.method));
        loop {
            self.attempts += 1;
            let attempt = self.attempts;
            let spare = match policy {
                Some(p) if attempt < p.max_attempts => body.try_clone(),
                _ => None,
            };
            if let Some(rl) = &inner.rate_limit {
                rl.acquire().await;
            }
            span.record("attempt", attempt);
            let result = self.send(body, tokens, attempt).await;
            match &result {
                Ok(r) => {
                    span.record("status", r.status());
                    tracing::debug!(status = r.status(), attempt, "response");
                }
                Err(e) => tracing::debug!(attempt, error = %kind(e), "request failed"),
            }
            let (Some(p), Some(next)) = (policy, spare) else {
                return result;
            };
            let delay = match &result {
                Ok(r) if retry::retryable_status(r.status()) => p.delay(attempt, Some(r.headers())),
                Err(Error::Transport(_) | Error::Timeout) => p.delay(attempt, None),
                _ => return result,
            };
            if self.started.elapsed().saturating_add(delay) > p.max_total {
                return result;
            }
            tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
            tokio::time::sleep(delay).await;
            body = next;
        }
    }

    /// One attempt: sends, then follows redirects under the origin policy (the runtime's
    /// own: the reqwest client follows none).
    async fn send<E>(
        &mut self,
        mut body: Body,
        tokens: &[Secret],
        attempt: u32,
    ) -> Result<Response, Error<E>> {
        let max = self.client.inner.max_redirects;
        let mut hop: Option<(Method, url::Url)> = None;
        let mut with_credentials = self.with_credentials;
        let mut hops = 0u32;
        loop {
            let spare = if max > 0 { body.try_clone() } else { None };
            let (method, url) = match &hop {
                Some((m, u)) => (m.clone(), u.clone()),
                None => (self.method.clone(), self.url.clone()),
            };
            let resp = self
                .send_hop(method, url, body, tokens, with_credentials, attempt)
                .await?;
            if max == 0 || !is_redirect(resp.status()) {
                return Ok(resp);
            }
            // Only redirects need the hop's method and URL again.
            let (method, url) = match &hop {
                Some((m, u)) => (m.clone(), u),
                None => (self.method.clone(), &self.url),
            };
            let https = url.scheme() == "https";
            let Some(next) = resp
                .headers()
                .get(http::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| url.join(l.trim()).ok())
            else {
                return Ok(resp);
            };
            if hops >= max {
                return Err(Error::Refused(Refusal::TooManyRedirects { limit: max }));
            }
            hops += 1;
            if origin::downgrade(https, &next) {
                return Err(Error::Refused(Refusal::Downgrade {
                    origin: origin::show(&next),
                }));
            }
            if with_credentials && !self.client.inner.trusts(&next) {
                match self.client.inner.cross_origin {
                    CrossOrigin::FollowWithoutCredentials => with_credentials = false,
                    _ => {
                        return Err(Error::Refused(Refusal::CrossOrigin {
                            origin: origin::show(&next),
                        }))
                    }
                }
            }
            let (method, next_body) = match resp.status() {
                303 if method != Method::HEAD => (Method::GET, Body::None),
                301 | 302 if method == Method::POST => (Method::GET, Body::None),
                _ => match spare {
                    Some(b) => (method, b),
                    // A multipart body cannot be sent again: the 3xx is the answer.
                    None => return Ok(resp),
                },
            };
            tracing::debug!(status = resp.status(), hops, "following a redirect");
            body = next_body;
            hop = Some((method, next));
        }
    }

    /// Sends one request (no redirects followed), with the credentials when allowed.
    async fn send_hop<E>(
        &mut self,
        method: Method,
        mut url: url::Url,
        body: Body,
        tokens: &[Secret],
        with_credentials: bool,
        attempt: u32,
    ) -> Result<Response, Error<E>> {
        let inner = &self.client.inner;
        let creds = if with_credentials {
            Some(&self.creds)
        } else {
            None
        };
        // Userinfo is never sent (hyper drops it) and must not reach connection-pool keys
        // or their logs.
        if !url.username().is_empty() || url.password().is_some() {
            let _ = url.set_username("");
            let _ = url.set_password(None);
        }
        let mut headers = HeaderMap::with_capacity(self.headers.len() + 3);
        for (n, v) in &self.headers {
            headers.append(n.clone(), v.clone());
        }
        if let Some(c) = creds {
            for (n, v) in &c.headers {
                headers.append(n.clone(), v.clone());
            }
            if !c.query.is_empty() {
                let present: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
                let mut pairs = url.query_pairs_mut();
                for (k, v) in &c.query {
                    if !present.contains(k) {
                        pairs.append_pair(k, v);
                    }
                }
            }
        }
        let tokens = if with_credentials { tokens } else { &[] };
        for t in tokens {
            let mut v = HeaderValue::from_str(&format!("Bearer {}", t.expose())).map_err(|_| {
                Error::InvalidRequest("the access token is not a valid header value".into())
            })?;
            v.set_sensitive(true);
            headers.append(http::header::AUTHORIZATION, v);
        }
        let cred_cookies = creds.map(|c| c.cookies.as_slice()).unwrap_or_default();
        if with_credentials && !(self.cookies.is_empty() && cred_cookies.is_empty()) {
            let all: Vec<&str> = self
                .cookies
                .iter()
                .chain(cred_cookies)
                .map(String::as_str)
                .collect();
            let mut v = HeaderValue::from_str(&all.join("; ")).map_err(|_| {
                Error::InvalidRequest("a cookie is not a valid header value".into())
            })?;
            v.set_sensitive(true);
            headers.insert(http::header::COOKIE, v);
        }
        let content_type = match &body {
            Body::None | Body::Multipart(_) => None,
            Body::Json(_) => Some(HeaderValue::from_static("application/json")),
            Body::Form(_) => Some(HeaderValue::from_static(
                "application/x-www-form-urlencoded",
            )),
            Body::Bytes(ct, _) | Body::Text(ct, _) => {
                Some(HeaderValue::from_str(ct).map_err(|_| {
                    Error::InvalidRequest("the content type is not a valid header value".into())
                })?)
            }
        };
        if let Some(ct) = content_type {
            headers.insert(http::header::CONTENT_TYPE, ct);
        }
        // The client's default headers, where the request has not set them (as reqwest's
        // own default headers would be), on trusted origins only.
        if with_credentials {
            for (n, v) in &inner.default_headers {
                if !headers.contains_key(n) {
                    headers.insert(n.clone(), v.clone());
                }
            }
        }
        let (method, url, body) = if inner.hooks.is_empty() {
            (method, url, body)
        } else {
            let (bytes, multipart) = match body {
                Body::Multipart(m) => (None, Some(m)),
                other => (other.into_bytes(), None),
            };
            let mut parts = RequestParts {
                method,
                url,
                headers,
                path_template: self.template,
                attempt,
                body: bytes,
            };
            for h in &inner.hooks {
                h.on_request(&mut parts);
            }
            if let Some(a) = inner.hooks.iter().find_map(|h| h.answer(&parts)) {
                return Ok(Response::new(a.status, a.headers, a.body));
            }
            headers = parts.headers;
            let body = match (multipart, parts.body) {
                (Some(m), _) => Body::Multipart(m),
                (None, Some(b)) => Body::Bytes(String::new(), b),
                (None, None) => Body::None,
            };
            (parts.method, parts.url, body)
        };
        // A `reqwest::Request` made directly (no builder: the headers are ready), except
        // for multipart, whose boundary the builder sets.
        let body = match body {
            Body::None => None,
            Body::Json(b) => Some(reqwest::Body::from(b)),
            Body::Form(b) => Some(reqwest::Body::from(b)),
            Body::Bytes(_, b) => Some(reqwest::Body::from(b)),
            Body::Text(_, b) => Some(reqwest::Body::from(b)),
            Body::Multipart(m) => {
                let req = inner
                    .http
                    .request(method.clone(), url)
                    .headers(headers)
                    .multipart(m.into_form())
                    .build()
                    .map_err(transport)?;
                return self.execute(req, attempt).await;
            }
        };
        let mut req = reqwest::Request::new(method, url);
        *req.headers_mut() = headers;
        *req.body_mut() = body;
        self.execute(req, attempt).await
    }

    /// Sends one attempt and reads the whole response; hooks see it.
    async fn execute<E>(&self, req: reqwest::Request, attempt: u32) -> Result<Response, Error<E>> {
        let inner = &self.client.inner;
        let method = req.method().clone();
        let sent = Instant::now();
        let mut resp = inner.http.execute(req).await.map_err(transport)?;
        let status = resp.status().as_u16();
        let headers = std::mem::take(resp.headers_mut());
        let (body, stream) = if self.stream {
            (Bytes::new(), Some(resp))
        } else {
            let limit = inner.max_response_bytes;
            let body = read_limited(&mut resp, limit).await.map_err(|e| match e {
                ReadError::TooLarge => Error::TooLarge { limit },
                ReadError::Transport(e) => transport(e),
            })?;
            (body, None)
        };
        if inner.hooks.is_empty() {
            let mut r = Response::new(status, headers, body);
            r.stream = stream;
            return Ok(r);
        }
        let mut parts = ResponseParts {
            status,
            headers,
            body,
            method,
            path_template: self.template,
            attempt,
            elapsed: sent.elapsed(),
        };
        for h in &inner.hooks {
            h.on_response(&mut parts);
        }
        let mut r = Response::new(parts.status, parts.headers, parts.body);
        r.stream = stream;
        Ok(r)
    }
}

/// What kind of failure, for tracing (never the message, which may quote a server).
fn kind<E>(e: &Error<E>) -> &'static str {
    match e {
        Error::Api(_) => "api",
        Error::Transport(_) => "transport",
        Error::Timeout => "timeout",
        Error::Decode { .. } => "decode",
        Error::InvalidRequest(_) => "invalid request",
        Error::Auth(_) => "auth",
        Error::Refused(_) => "refused",
        Error::TooLarge { .. } => "too large",
    }
}

/// reqwest errors without the URL (it may hold an API key in the query).
pub(crate) fn transport<E>(e: reqwest::Error) -> Error<E> {
    if e.is_timeout() {
        Error::Timeout
    } else {
        Error::Transport(e.without_url())
    }
}

/// The `application/x-www-form-urlencoded` text of a body (see [`Request::form`]).
fn form_body(body: &(impl Serialize + ?Sized)) -> Result<String, String> {
    use serde_json::Value;
    fn text(v: &Value) -> Option<String> {
        match v {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }
    let map = match serde_json::to_value(body).map_err(|e| e.to_string())? {
        Value::Object(map) => map,
        Value::Null => return Ok(String::new()),
        Value::Array(_) => return Err("a form body is an object, not an array".into()),
        _ => return Err("a form body is an object, not a single value".into()),
    };
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &map {
        match v {
            Value::Array(items) => {
                for item in items {
                    if let Some(t) = text(item) {
                        out.append_pair(k, &t);
                    }
                }
            }
            other => {
                if let Some(t) = text(other) {
                    out.append_pair(k, &t);
                }
            }
        }
    }
    Ok(out.finish())
}
