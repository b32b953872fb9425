//! A curl command line → [`Sample`]: the shell words split as a POSIX shell would (quotes,
//! backslashes, line continuations), then curl's options read: method, URL, headers, data
//! (raw, JSON, URL-encoded form, `-G` into the query), multipart fields, basic auth,
//! cookies and user agent. Options that only change how curl runs (`-s`, `-L`, `-k`…) are
//! ignored; unknown ones are reported, not fatal.

use super::{Part, Sample};

/// Splits a command line into words.
pub fn words(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated single quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => cur.push(ch),
                            Some('\n') => {}
                            Some(ch) => {
                                cur.push('\\');
                                cur.push(ch);
                            }
                            None => return Err("unterminated double quote".into()),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated double quote".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                // A line continuation.
                Some('\n') => {}
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some(ch) => {
                    in_word = true;
                    cur.push(ch);
                }
                None => {}
            },
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

/// Options that take a value and do not change the request.
const IGNORED_WITH_VALUE: &[&str] = &[
    "-o",
    "--output",
    "-m",
    "--max-time",
    "--connect-timeout",
    "--retry",
    "-w",
    "--write-out",
    "--cacert",
    "--cert",
    "--key",
    "-x",
    "--proxy",
    "--resolve",
    "-c",
    "--cookie-jar",
    "-D",
    "--dump-header",
];

/// Reads a curl command; `notes` gets what was ignored.
pub fn parse(text: &str, notes: &mut Vec<String>) -> Result<Sample, String> {
    let words = words(text)?;
    let mut it = words.into_iter().peekable();
    match it.next() {
        Some(w) if w == "curl" || w.ends_with("/curl") || w == "curl.exe" => {}
        _ => return Err("not a curl command (it does not start with `curl`)".into()),
    }
    let mut s = Sample::default();
    let mut method: Option<String> = None;
    let mut data: Vec<String> = Vec::new();
    let mut urlencoded: Vec<String> = Vec::new();
    let mut get = false;
    let mut json = false;
    while let Some(w) = it.next() {
        // `-XPOST`, `-HX: y`: a short option glued to its value.
        let (opt, glued) = if w.starts_with('-') && !w.starts_with("--") && w.len() > 2 {
            (w[..2].to_string(), Some(w[2..].to_string()))
        } else if let Some((o, v)) = w.strip_prefix("--").and_then(|r| r.split_once('=')) {
            (format!("--{o}"), Some(v.to_string()))
        } else {
            (w.clone(), None)
        };
        let mut value = |name: &str| -> Result<String, String> {
            glued
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("`{name}` needs a value"))
        };
        match opt.as_str() {
            "-X" | "--request" => method = Some(value(&opt)?.to_uppercase()),
            "-H" | "--header" => {
                let h = value(&opt)?;
                match h.split_once(':') {
                    Some((k, v)) => s.headers.push((k.trim().to_string(), v.trim().to_string())),
                    None => notes.push(format!("header `{h}` has no `:`; ignored")),
                }
            }
            "-d" | "--data" | "--data-raw" | "--data-ascii" | "--data-binary" => {
                data.push(value(&opt)?)
            }
            "--data-urlencode" => urlencoded.push(value(&opt)?),
            "--json" => {
                data.push(value(&opt)?);
                json = true;
            }
            "-F" | "--form" | "--form-string" => {
                let f = value(&opt)?;
                let (name, v) = f.split_once('=').unwrap_or((f.as_str(), ""));
                s.parts.push(Part {
                    name: name.to_string(),
                    value: v.trim_start_matches(['@', '<']).to_string(),
                    file: v.starts_with('@'),
                });
            }
            "-u" | "--user" => {
                let u = value(&opt)?;
                let (user, pass) = u.split_once(':').unwrap_or((u.as_str(), ""));
                s.basic = Some((user.to_string(), pass.to_string()));
            }
            "-A" | "--user-agent" => s.headers.push(("User-Agent".into(), value(&opt)?)),
            "-e" | "--referer" => s.headers.push(("Referer".into(), value(&opt)?)),
            "-b" | "--cookie" => s.headers.push(("Cookie".into(), value(&opt)?)),
            "-G" | "--get" => get = true,
            "-I" | "--head" => method = Some("HEAD".into()),
            "--url" => s.url = value(&opt)?,
            o if IGNORED_WITH_VALUE.contains(&o) => {
                value(o)?;
            }
            o if o.starts_with('-') && o.len() > 1 => {
                // Flags (`-s`, `-L`, `--compressed`…); unknown ones are noted.
                const FLAGS: &[&str] = &[
                    "-s",
                    "--silent",
                    "-S",
                    "--show-error",
                    "-L",
                    "--location",
                    "-k",
                    "--insecure",
                    "-v",
                    "--verbose",
                    "-i",
                    "--include",
                    "--compressed",
                    "-f",
                    "--fail",
                    "-g",
                    "--globoff",
                    "--http1.1",
                    "--http2",
                    "-#",
                    "--progress-bar",
                    "-N",
                    "--no-buffer",
                ];
                if !FLAGS.contains(&o) && glued.is_none() {
                    notes.push(format!("curl option `{o}` ignored"));
                }
            }
            _ => {
                if s.url.is_empty() {
                    s.url = w;
                } else {
                    notes.push(format!("extra argument `{w}` ignored"));
                }
            }
        }
    }
    if s.url.is_empty() {
        return Err("the curl command has no URL".into());
    }
    if json {
        if !s
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            s.headers
                .push(("Content-Type".into(), "application/json".into()));
        }
        if !s
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("accept"))
        {
            s.headers.push(("Accept".into(), "application/json".into()));
        }
    }
    if get {
        let mut q: Vec<String> = std::mem::take(&mut data);
        q.append(&mut urlencoded);
        if !q.is_empty() {
            let sep = if s.url.contains('?') { '&' } else { '?' };
            s.url = format!("{}{sep}{}", s.url, q.join("&"));
        }
    } else if !urlencoded.is_empty() {
        s.form = urlencoded
            .iter()
            .chain(data.iter())
            .flat_map(|d| d.split('&'))
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                (k.to_string(), v.to_string())
            })
            .collect();
    } else if !data.is_empty() {
        let joined = data.join("&");
        let form_type = s.headers.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("content-type")
                && v.starts_with("application/x-www-form-urlencoded")
        });
        let declared = s
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
        // curl's default content type for -d is a form.
        if form_type || (!declared && !looks_like_json(&joined)) {
            s.form = joined
                .split('&')
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                    (k.to_string(), v.to_string())
                })
                .collect();
        } else {
            if !declared {
                s.headers
                    .push(("Content-Type".into(), "application/json".into()));
            }
            s.body = Some(joined);
        }
    }
    s.method = method.unwrap_or_else(|| {
        if s.body.is_some() || !s.form.is_empty() || !s.parts.is_empty() {
            "POST".into()
        } else {
            "GET".into()
        }
    });
    Ok(s)
}

fn looks_like_json(s: &str) -> bool {
    let t = s.trim_start();
    (t.starts_with('{') || t.starts_with('['))
        && serde_json::from_str::<serde_json::Value>(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_the_shell() {
        let w = words("curl -H 'A: b c' \"x\\\"y\" a\\ b \\\n  --data '{\"k\": 1}'").unwrap();
        assert_eq!(
            w,
            [
                "curl",
                "-H",
                "A: b c",
                "x\"y",
                "a b",
                "--data",
                "{\"k\": 1}"
            ]
        );
        assert!(words("curl 'open").is_err());
    }

    #[test]
    fn a_post_with_json_headers_and_basic_auth() {
        let mut notes = Vec::new();
        let s = parse(
            "curl -sS -X POST 'https://api.example.com/v1/pets?x=1' -H 'Authorization: Bearer t' \\\n -H 'Content-Type: application/json' -u ann:pw --data-raw '{\"name\": \"Rex\"}' --frobnicate",
            &mut notes,
        )
        .unwrap();
        assert_eq!(s.method, "POST");
        assert_eq!(s.url, "https://api.example.com/v1/pets?x=1");
        assert_eq!(s.body.as_deref(), Some("{\"name\": \"Rex\"}"));
        assert_eq!(s.basic, Some(("ann".into(), "pw".into())));
        assert_eq!(s.headers.len(), 2);
        assert_eq!(notes, ["curl option `--frobnicate` ignored"]);
    }

    #[test]
    fn data_is_a_form_by_default_and_a_query_with_get() {
        let mut notes = Vec::new();
        let s = parse("curl https://h/login -d user=ann -d 'pw=a b'", &mut notes).unwrap();
        assert_eq!(s.method, "POST");
        assert_eq!(
            s.form,
            [("user".into(), "ann".into()), ("pw".into(), "a b".into())]
        );
        let s = parse(
            "curl -G https://h/search -d q=rust --data-urlencode 'n=2'",
            &mut notes,
        )
        .unwrap();
        assert_eq!(s.method, "GET");
        assert_eq!(s.url, "https://h/search?q=rust&n=2");
        assert!(parse("wget https://h", &mut notes).is_err());
    }
}
