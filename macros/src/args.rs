//! The arguments of `connector!`: a path literal, then `key = value` options.

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitBool, LitStr, Token};

const OPTIONS: &str = "module, client, tags, exclude_tags, actions, internal, ref_root";

/// Parsed arguments, each kept with its span for error reporting.
pub struct Args {
    /// The definition path as written.
    pub path: LitStr,
    /// `module = name`.
    pub module: Option<Ident>,
    /// `client = PetStore`: a second name for `Client`.
    pub client: Option<Ident>,
    /// `tags = ["a", "b"]`.
    pub tags: Vec<LitStr>,
    /// `exclude_tags = ["a"]`.
    pub exclude_tags: Vec<LitStr>,
    /// `actions = ["x"]`.
    pub actions: Vec<LitStr>,
    /// `internal = false`.
    pub internal: Option<LitBool>,
    /// `ref_root = "api"`: the folder `$ref`s may read from (relative to the manifest).
    pub ref_root: Option<LitStr>,
}

fn strings(input: ParseStream) -> syn::Result<Vec<LitStr>> {
    let content;
    syn::bracketed!(content in input);
    let list = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
    Ok(list.into_iter().collect())
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let path: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the definition's path as a string literal, e.g. `connector!(\"api/petstore.yaml\")`",
            )
        })?;
        let mut args = Args {
            path,
            module: None,
            client: None,
            tags: Vec::new(),
            exclude_tags: Vec::new(),
            actions: Vec::new(),
            internal: None,
            ref_root: None,
        };
        let mut seen: Vec<String> = Vec::new();
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            let name = key.to_string();
            if seen.contains(&name) {
                return Err(syn::Error::new(
                    key.span(),
                    format!("option `{name}` given twice"),
                ));
            }
            input.parse::<Token![=]>()?;
            match name.as_str() {
                "module" => args.module = Some(input.parse()?),
                "client" => args.client = Some(input.parse()?),
                "tags" => args.tags = strings(input)?,
                "exclude_tags" => args.exclude_tags = strings(input)?,
                "actions" => args.actions = strings(input)?,
                "internal" => args.internal = Some(input.parse()?),
                "ref_root" => args.ref_root = Some(input.parse()?),
                _ => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown option `{name}`; expected one of: {OPTIONS}"),
                    ))
                }
            }
            seen.push(name);
        }
        Ok(args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_root_is_an_option() {
        let args: Args = syn::parse_str(r#""api/spec/main.yaml", ref_root = "api""#).unwrap();
        assert_eq!(args.ref_root.map(|r| r.value()).as_deref(), Some("api"));
        let err = syn::parse_str::<Args>(r#""x.yaml", ref_root = "a", ref_root = "b""#)
            .err()
            .map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("option `ref_root` given twice"));
    }
}
