//! connectorkit runtime: everything generated clients share, compiled once.
//!
//! Generated methods describe a request ([`Client::request`] → [`Request`]) and decode the
//! [`Response`]; this crate does the HTTP (reqwest + rustls), auth ([`Credential`]), parameter
//! serialization ([`ParamStyle`]), and typed errors ([`Error`]).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth;
mod client;
pub mod de;
pub mod dynamic;
mod error;
mod hook;
mod multipart;
pub mod oauth;
mod origin;
pub mod pagination;
mod params;
mod rate_limit;
mod request;
mod response;
mod retry;
pub mod ser;
mod string_enum;
pub mod triggers;
mod types;

#[cfg(test)]
mod fuzz;

pub use auth::{ApiKeyLocation, Credential, Secret};
pub use client::{
    reqwest_client_builder, BuildError, Client, ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MIN_POLL_INTERVAL, MAX_ATTEMPTS, MAX_DURATION,
};
pub use error::{ApiError, Error};
pub use hook::{Answer, Hook, RequestParts, ResponseParts};
pub use multipart::Multipart;
pub use oauth::{
    AuthorizationCodeFlow, ClientCredentialsProvider, MemoryTokenStore, OAuthSettings,
    OAuthTemplates, RefreshTokenProvider, StaticToken, StoredToken, TokenError, TokenProvider,
    TokenStore,
};
pub use origin::{CrossOrigin, Refusal};
pub use params::ParamStyle;
pub use rate_limit::RateLimit;
pub use request::Request;
pub use response::{Download, Response};
pub use retry::RetryPolicy;
pub use types::{server_url, Base64, Date, DateTime, Uuid};

#[cfg(feature = "macros")]
pub use connectorkit_macros::{connector, include_connector};

pub use bytes::Bytes;
pub use futures_core::Stream;
pub use http;
pub use reqwest::Method;
pub use serde;
pub use serde_json;
