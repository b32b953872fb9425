//! A request being described by a generated method, then sent.

use bytes::Bytes;
use http::{HeaderName, HeaderValue};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Method;
use serde::Serialize;

use crate::auth::{ApiKeyLocation, Credential};
use crate::client::Client;
use crate::error::Error;
use crate::multipart::Multipart;
use crate::params::{self, ParamStyle};
use crate::response::Response;

/// Everything but RFC 3986 unreserved characters is encoded in path segments.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

enum Body {
    None,
    Json(Vec<u8>),
    Form(String),
    Multipart(Multipart),
    Bytes(String, Bytes),
    Text(String, String),
}

/// A request under construction. Problems (a bad header value, say) are kept and returned by
/// [`Request::send`] before anything goes on the wire.
pub struct Request<'c> {
    client: &'c Client,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(HeaderName, HeaderValue)>,
    cookies: Vec<String>,
    pub(crate) security: &'static [&'static [&'static str]],
    pub(crate) always: &'static [&'static str],
    body: Body,
    error: Option<String>,
    auth_error: Option<String>,
    absolute: bool,
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

impl<'c> Request<'c> {
    pub(crate) fn new(client: &'c Client, method: Method, path: &'static str) -> Self {
        Request {
            client,
            method,
            path: path.to_string(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            security: &[],
            always: &[],
            body: Body::None,
            error: None,
            auth_error: None,
            absolute: false,
        }
    }

    /// A request to an absolute URL (a next link, a `Location`), or a path relative to the
    /// client's base URL when `url` has no scheme.
    pub(crate) fn new_url(client: &'c Client, method: Method, url: &str) -> Self {
        let mut r = Request::new(client, method, "");
        if url.contains("://") {
            r.absolute = true;
            r.path = url.to_string();
        } else {
            let base = client.inner.base_url.path().trim_end_matches('/');
            r.path = match url.strip_prefix(base) {
                Some(rest) if !base.is_empty() => rest.to_string(),
                _ => url.to_string(),
            };
            if !r.path.starts_with('/') {
                r.path.insert(0, '/');
            }
        }
        r
    }

    pub(crate) fn client_ref(&self) -> &'c Client {
        self.client
    }

    fn fail(mut self, message: String) -> Self {
        if self.error.is_none() {
            self.error = Some(message);
        }
        self
    }

    fn substitute(mut self, name: &str, value: &(impl Serialize + ?Sized), twice: bool) -> Self {
        let text = match params::to_value(value) {
            Ok(Some(v)) => params::simple(&v),
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
        let placeholder = format!("{{{name}}}");
        if !self.path.contains(&placeholder) {
            return self.fail(format!("the path has no `{placeholder}`"));
        }
        self.path = self.path.replace(&placeholder, &encoded);
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
        let text = match params::to_value(value) {
            Ok(Some(v)) => params::simple(&v),
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
                self.body = Body::Json(b);
                self
            }
            Err(e) => self.fail(format!("cannot serialize the JSON body: {e}")),
        }
    }

    /// An `application/x-www-form-urlencoded` body.
    pub fn form(mut self, body: &(impl Serialize + ?Sized)) -> Self {
        match serde_urlencoded::to_string(body) {
            Ok(b) => {
                self.body = Body::Form(b);
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
        self.body = Body::Text(content_type.to_string(), body.into());
        self
    }

    async fn apply_security(&mut self) {
        let client = self.client;
        let creds = &client.inner.credentials;
        let chosen = self
            .security
            .iter()
            .find(|alt| alt.iter().all(|s| creds.contains_key(*s)));
        let mut names: Vec<&'static str> = chosen.map(|a| a.to_vec()).unwrap_or_default();
        for n in self.always {
            if !names.contains(n) {
                names.push(n);
            }
        }
        for scheme in names.iter() {
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
                            self.headers.push((n, v));
                        } else {
                            self.error.get_or_insert(format!(
                                "the credential of `{scheme}` is not a valid header"
                            ));
                        }
                    }
                    ApiKeyLocation::Query => {
                        self.query.push((name.clone(), value.expose().to_string()))
                    }
                    ApiKeyLocation::Cookie => {
                        if check_value("cookie", name, value.expose()).is_err() {
                            self.error.get_or_insert(format!(
                                "the credential of `{scheme}` is not a valid cookie"
                            ));
                        } else {
                            self.cookies.push(format!("{name}={}", value.expose()));
                        }
                    }
                },
                Credential::Basic { username, password } => {
                    use base64::Engine;
                    let token = base64::engine::general_purpose::STANDARD
                        .encode(format!("{username}:{}", password.expose()));
                    self.push_authorization(&format!("Basic {token}"), scheme);
                }
                Credential::Bearer(token) => {
                    self.push_authorization(&format!("Bearer {}", token.expose()), scheme);
                }
                Credential::TokenSource(source) => match source.token().await {
                    Ok(token) => {
                        self.push_authorization(&format!("Bearer {}", token.expose()), scheme)
                    }
                    Err(e) => {
                        self.auth_error.get_or_insert(e.to_string());
                    }
                },
            }
        }
    }

    fn push_authorization(&mut self, value: &str, scheme: &str) {
        match HeaderValue::from_str(value) {
            Ok(mut v) => {
                v.set_sensitive(true);
                self.headers.push((http::header::AUTHORIZATION, v));
            }
            Err(_) => {
                self.error.get_or_insert(format!(
                    "the credential of `{scheme}` is not a valid header"
                ));
            }
        }
    }

    /// Sends the request and reads the whole response.
    pub async fn send<E>(mut self) -> Result<Response, Error<E>> {
        self.apply_security().await;
        if let Some(e) = self.error.take() {
            return Err(Error::InvalidRequest(e));
        }
        if let Some(e) = self.auth_error.take() {
            return Err(Error::Auth(e));
        }
        if !self.absolute && self.path.contains('{') {
            return Err(Error::InvalidRequest(format!(
                "unfilled placeholder in `{}`",
                self.path
            )));
        }
        let base = self.client.inner.base_url.as_str().trim_end_matches('/');
        let sep = if self.path.starts_with('/') || self.path.is_empty() {
            ""
        } else {
            "/"
        };
        let full = if self.absolute {
            self.path.clone()
        } else {
            format!("{base}{sep}{}", self.path)
        };
        let mut url = url::Url::parse(&full)
            .map_err(|e| Error::InvalidRequest(format!("cannot build the URL: {e}")))?;
        if !self.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &self.query {
                pairs.append_pair(k, v);
            }
        }
        let mut rb = self.client.inner.http.request(self.method, url);
        for (n, v) in self.headers {
            rb = rb.header(n, v);
        }
        if !self.cookies.is_empty() {
            rb = rb.header(http::header::COOKIE, self.cookies.join("; "));
        }
        rb = match self.body {
            Body::None => rb,
            Body::Json(b) => rb
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(b),
            Body::Form(b) => rb
                .header(
                    http::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(b),
            Body::Multipart(m) => rb.multipart(m.into_form()),
            Body::Bytes(ct, b) => rb.header(http::header::CONTENT_TYPE, ct).body(b),
            Body::Text(ct, t) => rb.header(http::header::CONTENT_TYPE, ct).body(t),
        };
        let resp = rb.send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.bytes().await.map_err(transport)?;
        Ok(Response::new(status, headers, body))
    }
}

/// reqwest errors without the URL (it may hold an API key in the query).
fn transport<E>(e: reqwest::Error) -> Error<E> {
    if e.is_timeout() {
        Error::Timeout
    } else {
        Error::Transport(e.without_url())
    }
}
