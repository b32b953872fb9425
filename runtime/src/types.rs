//! Types generated code maps formats to.

use base64::Engine;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `format: date-time`.
pub type DateTime = chrono::DateTime<chrono::FixedOffset>;
/// `format: date`.
pub type Date = chrono::NaiveDate;
/// `format: uuid`.
pub use uuid::Uuid;

/// `format: byte`: bytes carried as base64 text. Decoding accepts the standard and URL-safe
/// alphabets, with or without padding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64(pub Vec<u8>);

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let trimmed = s.trim().trim_end_matches('=');
        let cfg = base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone);
        let std = base64::engine::GeneralPurpose::new(&base64::alphabet::STANDARD, cfg);
        let url = base64::engine::GeneralPurpose::new(&base64::alphabet::URL_SAFE, cfg);
        std.decode(trimmed)
            .or_else(|_| url.decode(trimmed))
            .map(Base64)
            .map_err(serde::de::Error::custom)
    }
}

/// Substitutes `{variables}` in a server URL template.
pub fn server_url(template: &str, vars: &[(&str, &str)]) -> String {
    let mut url = template.to_string();
    for (k, v) in vars {
        url = url.replace(&format!("{{{k}}}"), v);
    }
    url
}

/// Decodes a property that is required but nullable: `null` gives `None`, and a missing
/// property is an error (serde's default for an `Option` field is `None` when it is missing).
///
/// Generated code uses it in the structs of an untagged union, where the presence of such a
/// property is what tells one variant from another.
pub fn required_nullable<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d)
}
