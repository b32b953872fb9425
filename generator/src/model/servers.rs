//! Servers and their variables.

use super::{Server, ServerVariable};

/// The definition's servers; a relative or missing server keeps its path.
pub fn servers(openapi: &openapiv3::OpenAPI) -> Vec<Server> {
    openapi
        .servers
        .iter()
        .map(|s| {
            let variables: Vec<ServerVariable> = s
                .variables
                .iter()
                .flat_map(|m| m.iter())
                .map(|(name, v)| ServerVariable {
                    name: name.clone(),
                    default: v.default.clone(),
                    allowed: v.enumeration.clone(),
                    description: v.description.clone(),
                })
                .collect();
            let mut default_url = s.url.clone();
            for v in &variables {
                default_url = default_url.replace(&format!("{{{}}}", v.name), &v.default);
            }
            Server {
                url: s.url.clone(),
                default_url,
                description: s.description.clone(),
                variables,
            }
        })
        .collect()
}
