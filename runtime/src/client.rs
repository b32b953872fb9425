//! The runtime client: base URL, credentials, timeouts, the reqwest client.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;

use crate::auth::Credential;
use crate::hook::Hook;
use crate::origin::CrossOrigin;
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

#[derive(Clone)]
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
    /// Origins besides the base URL's that credentials may go to.
    pub(crate) trusted: Vec<url::Origin>,
    /// What to do with server-named URLs on other origins.
    pub(crate) cross_origin: CrossOrigin,
    /// Redirects followed per attempt (0: none, a 3xx is returned as it is).
    pub(crate) max_redirects: u32,
    /// The largest response body read into memory.
    pub(crate) max_response_bytes: u64,
    /// The shortest wait between two polls of a polling trigger.
    pub(crate) min_poll_interval: Duration,
    /// Sent with every request to a trusted origin that does not set them itself.
    pub(crate) default_headers: HeaderMap,
}

/// The default [`ClientBuilder::min_poll_interval`]: 1 s.
pub const DEFAULT_MIN_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// The default [`ClientBuilder::max_response_bytes`]: 32 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 << 20;

impl Inner {
    /// Whether credentials may go to `url`.
    pub(crate) fn trusts(&self, url: &url::Url) -> bool {
        let o = url.origin();
        o == self.base_url.origin() || self.trusted.contains(&o)
    }
}

/// A reqwest client builder set up as the runtime needs it when you pass your own client
/// with [`ClientBuilder::reqwest_client`] (or a token provider's `with_http_client`): no
/// automatic redirects (the runtime follows them itself, under its origin policy) and no
/// `Referer` header. A client that follows redirects on its own bypasses the origin policy
/// for redirects: it forwards headers such as `x-api-key` and request bodies across hosts.
pub fn reqwest_client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
}

/// The HTTP core generated clients call. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &crate::origin::redact_url(&self.inner.base_url))
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
    trusted: Vec<String>,
    cross_origin: CrossOrigin,
    max_redirects: u32,
    max_response_bytes: u64,
    min_poll_interval: Duration,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &crate::origin::redact_text(&self.base_url))
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
    parse_http(
        "base URL",
        url,
        " (a definition with a relative server needs `with_base_url`)",
    )
}

/// An `http` or `https` URL with a host; errors show it redacted.
fn parse_http(what: &str, url: &str, hint: &str) -> Result<url::Url, BuildError> {
    let shown = || crate::origin::redact_text(url);
    let u = url::Url::parse(url)
        .map_err(|e| BuildError(format!("invalid {what} `{}`: {e}{hint}", shown())))?;
    if !matches!(u.scheme(), "http" | "https") || u.host().is_none() {
        return Err(BuildError(format!(
            "invalid {what} `{}`: an http or https URL with a host is needed",
            shown()
        )));
    }
    Ok(u)
}

/// The longest duration a setting may have (a year): timeouts, retry delays and budget,
/// rate-limit windows. Longer ones are refused by [`ClientBuilder::build`].
pub const MAX_DURATION: Duration = Duration::from_secs(365 * 24 * 3600);

/// The most attempts a [`RetryPolicy`] may make.
pub const MAX_ATTEMPTS: u32 = 100;

fn check_duration(what: &str, d: Duration, zero_ok: bool) -> Result<(), BuildError> {
    if d > MAX_DURATION {
        Err(BuildError(format!("{what} of {d:?} is over a year")))
    } else if d.is_zero() && !zero_ok {
        Err(BuildError(format!("{what} is zero")))
    } else {
        Ok(())
    }
}

impl ClientBuilder {
    fn check_settings(&self) -> Result<(), BuildError> {
        check_duration("the timeout", self.timeout, false)?;
        check_duration("the connect timeout", self.connect_timeout, false)?;
        if let Some(t) = self.total_timeout {
            check_duration("the total timeout", t, false)?;
        }
        if let Some(r) = &self.retry {
            check_duration("the retry base delay", r.base_delay, true)?;
            check_duration("the retry max delay", r.max_delay, true)?;
            check_duration("the retry budget (max_total)", r.max_total, true)?;
            if r.max_attempts > MAX_ATTEMPTS {
                return Err(BuildError(format!(
                    "{} retry attempts is over {MAX_ATTEMPTS}",
                    r.max_attempts
                )));
            }
        }
        check_duration("the minimum poll interval", self.min_poll_interval, true)?;
        if self.max_response_bytes == 0 {
            return Err(BuildError("a maximum response size of 0 bytes".into()));
        }
        if let Some(l) = &self.rate_limit {
            check_duration("the rate-limit window", l.window, false)?;
        }
        Ok(())
    }

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
    /// A header sent with every request to a trusted origin (the base URL's and those of
    /// [`ClientBuilder::trusted_origin`]) that does not set it itself; added by the runtime,
    /// so it works with [`ClientBuilder::reqwest_client`] too. An invalid name or value is
    /// refused by [`ClientBuilder::build`].
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
    /// Another origin (the scheme, host and port of `url`) that credentials may be sent to,
    /// besides the base URL's: one the definition itself names, such as an operation-level
    /// server. Links, `Location`s and redirects to any other origin are handled as
    /// [`ClientBuilder::cross_origin`] says.
    pub fn trusted_origin(mut self, url: impl Into<String>) -> Self {
        self.trusted.push(url.into());
        self
    }
    /// What to do with a URL a server names on an untrusted origin: refuse it with
    /// [`crate::Error::Refused`] (the default) or follow it without credentials.
    pub fn cross_origin(mut self, policy: CrossOrigin) -> Self {
        self.cross_origin = policy;
        self
    }
    /// Redirects followed per attempt (default 10; 0 returns 3xx responses as they are).
    /// Redirects are followed by the runtime under its origin policy: 301, 302 and 303 turn
    /// a POST into a GET without body; 307 and 308 repeat the method and body.
    pub fn max_redirects(mut self, n: u32) -> Self {
        self.max_redirects = n;
        self
    }
    /// The largest response body read into memory (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 32 MiB); a larger one fails with
    /// [`crate::Error::TooLarge`] as soon as its `Content-Length` or its bytes say so. Large
    /// downloads stream with [`crate::Request::download`] instead.
    pub fn max_response_bytes(mut self, n: u64) -> Self {
        self.max_response_bytes = n;
        self
    }
    /// The shortest wait of a polling trigger ([`crate::triggers::poll`]) after a poll that
    /// found nothing new (202, 204), whatever `Retry-After` or the caller's interval say
    /// (default [`DEFAULT_MIN_POLL_INTERVAL`], 1 s; at most a year).
    pub fn min_poll_interval(mut self, d: Duration) -> Self {
        self.min_poll_interval = d;
        self
    }
    /// Use this reqwest client (its own timeouts and TLS settings apply). Build it from
    /// [`reqwest_client_builder`] so that it does not follow redirects by itself.
    pub fn reqwest_client(mut self, c: reqwest::Client) -> Self {
        self.http = Some(c);
        self
    }
    /// Builds the client. Refused: an invalid base URL or trusted origin, an invalid
    /// default header, and absurd durations (see [`MAX_DURATION`]): a zero timeout, a
    /// timeout, retry delay, retry budget or rate-limit window over a year, more than
    /// [`MAX_ATTEMPTS`] attempts.
    pub fn build(self) -> Result<Client, BuildError> {
        self.check_settings()?;
        let base_url = parse_base(&self.base_url)?;
        let mut trusted = Vec::with_capacity(self.trusted.len());
        for t in &self.trusted {
            trusted.push(parse_http("trusted origin", t, "")?.origin());
        }
        // Default headers are added by the runtime (not reqwest), so they work with a client
        // of your own too, and only on trusted origins.
        let mut default_headers = HeaderMap::new();
        for (k, v) in &self.headers {
            let name = HeaderName::from_bytes(k.as_bytes())
                .map_err(|_| BuildError(format!("invalid header name `{k}`")))?;
            let value = HeaderValue::from_str(v)
                .map_err(|_| BuildError(format!("invalid value for header `{k}`")))?;
            default_headers.insert(name, value);
        }
        let http = match self.http {
            Some(h) => h,
            None => reqwest_client_builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent)
                .build()
                .map_err(|e| BuildError(format!("cannot build the HTTP client: {e}")))?,
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
                trusted,
                cross_origin: self.cross_origin,
                max_redirects: self.max_redirects,
                max_response_bytes: self.max_response_bytes,
                min_poll_interval: self.min_poll_interval,
                default_headers,
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
            trusted: Vec::new(),
            cross_origin: CrossOrigin::default(),
            max_redirects: 10,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            min_poll_interval: DEFAULT_MIN_POLL_INTERVAL,
        }
    }

    /// A clone with a credential added (or replaced) for `scheme`.
    pub fn with_credential(&self, scheme: impl Into<String>, c: Credential) -> Client {
        let mut credentials = self.inner.credentials.clone();
        credentials.insert(scheme.into(), c);
        Client {
            inner: Arc::new(Inner {
                authorization: authorization_values(&credentials),
                credentials,
                ..(*self.inner).clone()
            }),
        }
    }

    /// A clone pointed at another base URL (its origin is trusted with the credentials;
    /// the other trusted origins stay trusted).
    pub fn with_base_url(&self, url: &str) -> Result<Client, BuildError> {
        Ok(Client {
            inner: Arc::new(Inner {
                base_url: parse_base(url)?,
                ..(*self.inner).clone()
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
