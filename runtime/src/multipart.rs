//! `multipart/form-data` bodies.

use bytes::Bytes;
use serde::Serialize;

enum Part {
    Text(String, String),
    File {
        name: String,
        file_name: Option<String>,
        content_type: Option<String>,
        bytes: Bytes,
    },
}

/// A multipart body, built part by part.
#[derive(Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

impl std::fmt::Debug for Multipart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Multipart({} parts)", self.parts.len())
    }
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Self::default()
    }

    /// A text part; `None` is skipped, strings are sent as-is, other values as JSON.
    pub fn text(mut self, name: &str, value: &(impl Serialize + ?Sized)) -> Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) | Err(_) => {}
            Ok(serde_json::Value::String(s)) => self.parts.push(Part::Text(name.into(), s)),
            Ok(v) => self.parts.push(Part::Text(name.into(), v.to_string())),
        }
        self
    }

    /// A JSON part (`application/json`).
    pub fn json(mut self, name: &str, value: &(impl Serialize + ?Sized)) -> Self {
        if let Ok(b) = serde_json::to_vec(value) {
            self.parts.push(Part::File {
                name: name.into(),
                file_name: None,
                content_type: Some("application/json".into()),
                bytes: b.into(),
            });
        }
        self
    }

    /// A file part.
    pub fn file(
        mut self,
        name: &str,
        file_name: Option<&str>,
        content_type: Option<&str>,
        bytes: impl Into<Bytes>,
    ) -> Self {
        self.parts.push(Part::File {
            name: name.into(),
            file_name: file_name.map(str::to_string),
            content_type: content_type.map(str::to_string),
            bytes: bytes.into(),
        });
        self
    }

    pub(crate) fn into_form(self) -> reqwest::multipart::Form {
        let mut form = reqwest::multipart::Form::new();
        for p in self.parts {
            match p {
                Part::Text(n, v) => form = form.text(n, v),
                Part::File {
                    name,
                    file_name,
                    content_type,
                    bytes,
                } => {
                    let mut part = reqwest::multipart::Part::stream(reqwest::Body::from(bytes));
                    if let Some(f) = file_name {
                        part = part.file_name(f);
                    }
                    if let Some(ct) = content_type {
                        // Only set a content type reqwest accepts; otherwise send without one.
                        if reqwest::multipart::Part::text("").mime_str(&ct).is_ok() {
                            if let Ok(p) = part.mime_str(&ct) {
                                part = p;
                            } else {
                                continue;
                            }
                        }
                    }
                    form = form.part(name, part);
                }
            }
        }
        form
    }
}
