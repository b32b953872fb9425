//! The runtime client: base URL, credentials, timeouts, the reqwest client.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;

use crate::auth::Credential;
use crate::hook::Hook;
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::request::Request;
use crate::retry::RetryPolicy;

/// Building a client failed.
#[derive(Debug)]
pub struct BuildError(String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: url::Url,
    pub(crate) credentials: BTreeMap<String, Credential>,
    /// `Authorization` values of the basic and bearer credentials, encoded once.
    pub(crate) authorization: BTreeMap<String, HeaderValue>,
    pub(crate) retry: Option<RetryPolicy>,
    /// Shared by every clone and every `with_*` copy: one bucket per connection.
    pub(crate) rate_limit: Option<Arc<RateLimiter>>,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
    /// The whole call's budget: token, attempts, waits between them.
    pub(crate) total_timeout: Option<Duration>,
}

/// The HTTP core generated clients call. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field(
                "credentials",
                &self.inner.credentials.keys().collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    credentials: BTreeMap<String, Credential>,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    retry: Option<RetryPolicy>,
    rate_limit: Option<RateLimit>,
    hooks: Vec<Arc<dyn Hook>>,
    total_timeout: Option<Duration>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("total_timeout", &self.total_timeout)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("hooks", &self.hooks.len())
            .field("credentials", &self.credentials.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The `Authorization` header value of each basic and bearer credential (marked sensitive);
/// a value that is not a valid header is left out and reported when used.
fn authorization_values(
    credentials: &BTreeMap<String, Credential>,
) -> BTreeMap<String, HeaderValue> {
    credentials
        .iter()
        .filter_map(|(scheme, c)| {
            let text = match c {
                Credential::Basic { username, password } => {
                    use base64::Engine;
                    let token = base64::engine::general_purpose::STANDARD
                        .encode(format!("{username}:{}", password.expose()));
                    format!("Basic {token}")
                }
                Credential::Bearer(token) => format!("Bearer {}", token.expose()),
                _ => return None,
            };
            let mut v = HeaderValue::from_str(&text).ok()?;
            v.set_sensitive(true);
            Some((scheme.clone(), v))
        })
        .collect()
}

fn parse_base(url: &str) -> Result<url::Url, BuildError> {
    url::Url::parse(url).map_err(|e| {
        BuildError(format!(
            "invalid base URL `{url}`: {e} (a definition with a relative server needs `with_base_url`)"
        ))
    })
}

impl ClientBuilder {
    /// The base URL every path is appended to.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }
    /// Time allowed for a whole call: getting a token, every attempt and the waits between
    /// them (default: none; each attempt still has [`ClientBuilder::timeout`]). Running out
    /// gives [`crate::Error::Timeout`].
    pub fn total_timeout(mut self, t: Duration) -> Self {
        self.total_timeout = Some(t);
        self
    }
    /// Adds a hook that sees (and may alter) every request and response; hooks run in the
    /// order added.
    pub fn hook(mut self, hook: impl Hook + 'static) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }
    /// Time allowed per attempt, from sending to the end of the body (default 30 s).
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }
    /// Time allowed to connect (default 10 s).
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.connect_timeout = t;
        self
    }
    /// The User-Agent header.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }
    /// A credential for the security scheme named `scheme` in the definition.
    pub fn credential(mut self, scheme: impl Into<String>, c: Credential) -> Self {
        self.credentials.insert(scheme.into(), c);
        self
    }
    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
    /// Retry transient failures with this policy (default: no retries).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
    /// Wait so as to stay within this quota, shared by all clones (default: no limit).
    /// [`RateLimit::power_platform`] is the platform's 500 requests per minute.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }
    /// Use this reqwest client (its own timeouts and TLS settings apply).
    pub fn reqwest_client(mut self, c: reqwest::Client) -> Self {
        self.http = Some(c);
        self
    }
    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = parse_base(&self.base_url)?;
        let http = match self.http {
            Some(h) => h,
            None => {
                let mut headers = HeaderMap::new();
                for (k, v) in &self.headers {
                    let name = HeaderName::from_bytes(k.as_bytes())
                        .map_err(|_| BuildError(format!("invalid header name `{k}`")))?;
                    let value = HeaderValue::from_str(v)
                        .map_err(|_| BuildError(format!("invalid value for header `{k}`")))?;
                    headers.insert(name, value);
                }
                reqwest::Client::builder()
                    .timeout(self.timeout)
                    .connect_timeout(self.connect_timeout)
                    .user_agent(self.user_agent)
                    .default_headers(headers)
                    .build()
                    .map_err(|e| BuildError(format!("cannot build the HTTP client: {e}")))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                authorization: authorization_values(&self.credentials),
                credentials: self.credentials,
                retry: self.retry,
                rate_limit: self.rate_limit.map(|l| Arc::new(RateLimiter::new(l))),
                hooks: self.hooks,
                total_timeout: self.total_timeout,
            }),
        })
    }
}

impl Client {
    /// A builder for a client at `base_url`.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("connectorkit/", env!("CARGO_PKG_VERSION")).to_string(),
            credentials: BTreeMap::new(),
            headers: Vec::new(),
            http: None,
            retry: None,
            rate_limit: None,
            hooks: Vec::new(),
            total_timeout: None,
        }
    }

    /// A clone with a credential added (or replaced) for `scheme`.
    pub fn with_credential(&self, scheme: impl Into<String>, c: Credential) -> Client {
        let mut credentials = self.inner.credentials.clone();
        credentials.insert(scheme.into(), c);
        Client {
            inner: Arc::new(Inner {
                http: self.inner.http.clone(),
                base_url: self.inner.base_url.clone(),
                authorization: authorization_values(&credentials),
                credentials,
                retry: self.inner.retry.clone(),
                rate_limit: self.inner.rate_limit.clone(),
                hooks: self.inner.hooks.clone(),
                total_timeout: self.inner.total_timeout,
            }),
        }
    }

    /// A clone pointed at another base URL.
    pub fn with_base_url(&self, url: &str) -> Result<Client, BuildError> {
        Ok(Client {
            inner: Arc::new(Inner {
                http: self.inner.http.clone(),
                base_url: parse_base(url)?,
                credentials: self.inner.credentials.clone(),
                authorization: self.inner.authorization.clone(),
                retry: self.inner.retry.clone(),
                rate_limit: self.inner.rate_limit.clone(),
                hooks: self.inner.hooks.clone(),
                total_timeout: self.inner.total_timeout,
            }),
        })
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// Starts describing a request to `path_template` (relative to the base URL).
    pub fn request(&self, method: Method, path_template: &'static str) -> Request<'_> {
        Request::new(self, method, path_template)
    }

    /// A request to an absolute URL (a next link, a Location header), with this client's
    /// credentials. A relative URL is resolved against the base URL.
    pub fn request_url(&self, method: Method, url: &str) -> Request<'_> {
        Request::new_url(self, method, url)
    }
}
