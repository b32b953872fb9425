//! `.http` request files (the format of VS Code's REST Client and JetBrains' HTTP client) →
//! [`Sample`]s: requests separated by `###` lines, each a request line (`METHOD URL
//! [HTTP/x]`), header lines, a blank line and the body. `# @name x` or the text after `###`
//! names a request; other `#` and `//` lines before the request line are comments.

use super::Sample;

/// The requests of a `.http` file, with their names when given.
pub fn parse(text: &str) -> Result<Vec<(Option<String>, Sample)>, String> {
    let mut out = Vec::new();
    for (i, block) in blocks(text).into_iter().enumerate() {
        let (name, lines) = block;
        let mut lines = lines.into_iter().peekable();
        let mut name = name;
        // Comments and names before the request line.
        while let Some(l) = lines.peek() {
            let t = l.trim();
            if t.is_empty() {
                lines.next();
            } else if let Some(rest) = t.strip_prefix('#').or_else(|| t.strip_prefix("//")) {
                if let Some(n) = rest.trim().strip_prefix("@name") {
                    name = Some(n.trim().to_string());
                }
                lines.next();
            } else {
                break;
            }
        }
        let Some(request_line) = lines.next() else {
            continue;
        };
        let mut parts = request_line.split_whitespace();
        let (method, url) = match (parts.next(), parts.next()) {
            (Some(m), Some(u)) if m.chars().all(|c| c.is_ascii_alphabetic()) => {
                (m.to_uppercase(), u.to_string())
            }
            (Some(u), None) => ("GET".to_string(), u.to_string()),
            _ => {
                return Err(format!(
                    "request {}: `{request_line}` is not `METHOD URL`",
                    i + 1
                ))
            }
        };
        let mut s = Sample {
            method,
            url,
            ..Sample::default()
        };
        for l in lines.by_ref() {
            if l.trim().is_empty() {
                break;
            }
            match l.split_once(':') {
                Some((k, v)) => s.headers.push((k.trim().to_string(), v.trim().to_string())),
                None => return Err(format!("request {}: header `{l}` has no `:`", i + 1)),
            }
        }
        let body: Vec<String> = lines.collect();
        let body = body.join("\n").trim().to_string();
        if !body.is_empty() {
            let form = s.headers.iter().any(|(k, v)| {
                k.eq_ignore_ascii_case("content-type")
                    && v.starts_with("application/x-www-form-urlencoded")
            });
            if form {
                s.form = body
                    .split('&')
                    .map(|kv| {
                        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                        (k.trim().to_string(), v.trim().to_string())
                    })
                    .collect();
            } else {
                s.body = Some(body);
            }
        }
        out.push((name, s));
    }
    if out.is_empty() {
        return Err("no request in the file".into());
    }
    Ok(out)
}

/// The file split at `###` lines: (the name after `###`, the lines).
fn blocks(text: &str) -> Vec<(Option<String>, Vec<String>)> {
    let mut out: Vec<(Option<String>, Vec<String>)> = vec![(None, Vec::new())];
    for l in text.lines() {
        if let Some(rest) = l.trim_start().strip_prefix("###") {
            let n = rest.trim();
            out.push(((!n.is_empty()).then(|| n.to_string()), Vec::new()));
        } else if let Some(last) = out.last_mut() {
            last.1.push(l.trim_end_matches('\r').to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_headers_bodies_and_names() {
        let text = "\
### List pets
GET https://h/pets?limit=2
Accept: application/json

###
# @name create
POST https://h/pets HTTP/1.1
Content-Type: application/json

{\"name\": \"Rex\"}

### login
POST https://h/login
Content-Type: application/x-www-form-urlencoded

user=ann&pw=x
";
        let r = parse(text).unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].0.as_deref(), Some("List pets"));
        assert_eq!(r[0].1.method, "GET");
        assert_eq!(
            r[0].1.headers,
            [("Accept".into(), "application/json".into())]
        );
        assert_eq!(r[1].0.as_deref(), Some("create"));
        assert_eq!(r[1].1.body.as_deref(), Some("{\"name\": \"Rex\"}"));
        assert_eq!(
            r[2].1.form,
            [("user".into(), "ann".into()), ("pw".into(), "x".into())]
        );
        assert!(parse("# nothing\n").is_err());
    }
}
