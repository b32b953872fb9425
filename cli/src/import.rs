//! `import`: a request (a curl command line or `.http` requests) and a sample response →
//! OpenAPI 3.0 operations, printed as a new definition or merged into one (`--into`).

use std::path::{Path, PathBuf};

use connectorkit_generator::import::{self, Import, Response};

use crate::report;

/// What `import` was asked.
pub struct Args<'a> {
    pub request: &'a str,
    pub response: Option<&'a Path>,
    pub status: u16,
    pub name: Option<String>,
    pub into: Option<&'a Path>,
    pub replace: bool,
    pub output: Option<&'a Path>,
    pub yaml: bool,
    pub title: Option<String>,
}

fn read_request(spec: &str) -> Result<(String, bool), String> {
    if spec == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        let http = !s.trim_start().starts_with("curl");
        return Ok((s, http));
    }
    let path = Path::new(spec);
    if path.is_file() {
        let s = std::fs::read_to_string(path).map_err(|e| format!("cannot read {spec}: {e}"))?;
        let http = !s.trim_start().starts_with("curl");
        return Ok((s, http));
    }
    if spec.trim_start().starts_with("curl ") {
        return Ok((spec.to_string(), false));
    }
    Err(format!(
        "{spec}: neither a file nor a curl command (`curl …`); give a file with a curl command or .http requests, or `-` for stdin"
    ))
}

pub fn run(a: &Args) -> bool {
    match run_inner(a) {
        Ok(ok) => ok,
        Err(e) => {
            eprintln!("error: {e}");
            false
        }
    }
}

fn run_inner(a: &Args) -> Result<bool, String> {
    let (text, http) = read_request(a.request)?;
    let mut notes = Vec::new();
    let mut imports: Vec<Import> = if http {
        import::http_file::parse(&text)?
            .into_iter()
            .map(|(name, request)| Import {
                name,
                request,
                response: None,
            })
            .collect()
    } else {
        vec![Import {
            name: None,
            request: import::curl::parse(&text, &mut notes)?,
            response: None,
        }]
    };
    if let Some(n) = &a.name {
        if imports.len() > 1 {
            return Err(
                "--name names one request; the file has several (name them with `###` lines)"
                    .into(),
            );
        }
        imports[0].name = Some(n.clone());
    }
    if let Some(r) = a.response {
        if imports.len() > 1 {
            return Err("--response is the sample of one request; the file has several".into());
        }
        let body =
            std::fs::read_to_string(r).map_err(|e| format!("cannot read {}: {e}", r.display()))?;
        let json = serde_json::from_str::<serde_json::Value>(&body).is_ok();
        imports[0].response = Some(Response {
            status: a.status,
            content_type: if json {
                "application/json"
            } else {
                "text/plain"
            }
            .into(),
            body,
        });
    }
    for n in &notes {
        eprintln!("note: {n}");
    }
    let title = a.title.clone().unwrap_or_else(|| "Imported".into());
    let (new, diags) = import::to_openapi(&title, &imports).map_err(|f| {
        report::print(a.request, &f.diagnostics, true);
        "the request could not be read".to_string()
    })?;
    let (errors, _) = report::print(a.request, &diags, false);
    let (doc, path, yaml) = match a.into {
        Some(into) => {
            let text = std::fs::read_to_string(into)
                .map_err(|e| format!("cannot read {}: {e}", into.display()))?;
            let yaml = is_yaml(into, &text);
            let mut doc: serde_json::Value = if yaml {
                serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", into.display()))?
            } else {
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", into.display()))?
            };
            for n in import::merge(&mut doc, &new, a.replace)? {
                eprintln!("{}: {n}", into.display());
            }
            (doc, Some(into.to_path_buf()), yaml)
        }
        None => (new, a.output.map(PathBuf::from), a.yaml),
    };
    let mut out = if yaml {
        serde_yaml::to_string(&doc).map_err(|e| e.to_string())?
    } else {
        serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?
    };
    if !out.ends_with('\n') {
        out.push('\n');
    }
    match path {
        Some(p) => {
            std::fs::write(&p, out).map_err(|e| format!("cannot write {}: {e}", p.display()))?
        }
        None => print!("{out}"),
    }
    Ok(errors == 0)
}

fn is_yaml(path: &Path, text: &str) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some("yaml" | "yml") => true,
        Some("json") => false,
        _ => !text.trim_start().starts_with('{'),
    }
}
