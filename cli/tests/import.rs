//! `connectorkit import` (issue 18): five requests of a visible Postman collection
//! (`p2oa__pdfco.json`), turned into curl commands, imported with their saved responses
//! into one definition (the first with `-o`, the others `--into` it); the generated crate's
//! conformance program calls every imported method against a server on 127.0.0.1, which
//! checks that each request is the original one (method, path, query, JSON body, the API
//! key header)
//! and answers with the saved response, which must decode. `--into` a visible OpenAPI file
//! (JSON and YAML) keeps everything else: the documents without the new operation are
//! equal, in order.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("connectorkit-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn connectorkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_connectorkit"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A Postman item, found by name anywhere in the collection.
fn item<'v>(items: &'v [Value], name: &str) -> Option<&'v Value> {
    items
        .iter()
        .find_map(|it| match it.get("item").and_then(Value::as_array) {
            Some(children) => item(children, name),
            None => (it["name"] == name).then_some(it),
        })
}

/// A shell word in single quotes.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The curl command of a Postman request (its `{{x-api-key}}` variable given a value, as a
/// user's command would have).
fn curl(request: &Value) -> String {
    let mut cmd = format!(
        "curl -X {} {}",
        request["method"].as_str().unwrap(),
        quote(request["url"]["raw"].as_str().unwrap())
    );
    for h in request["header"].as_array().into_iter().flatten() {
        if h["disabled"] == true {
            continue;
        }
        let v = h["value"]
            .as_str()
            .unwrap()
            .replace("{{x-api-key}}", "sample-key");
        cmd.push_str(&format!(
            " -H {}",
            quote(&format!("{}: {v}", h["key"].as_str().unwrap()))
        ));
    }
    if request["body"]["mode"] == "raw" {
        let raw = request["body"]["raw"].as_str().unwrap();
        if !raw.trim().is_empty() {
            cmd.push_str(&format!(" --data-raw {}", quote(raw)));
        }
    }
    cmd
}

/// What the server read of one request.
#[derive(Debug)]
struct Received {
    method: String,
    path: String,
    query: BTreeMap<String, String>,
    headers: Vec<(String, String)>,
    body: String,
}

/// Answers each request with the saved response of its path and reports what it read.
fn serve(responses: BTreeMap<String, String>, count: usize) -> (String, Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for _ in 0..count {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut headers = Vec::new();
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                let (n, v) = h.split_once(':').unwrap();
                headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
            let len: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .map(|(_, v)| v.parse().unwrap())
                .unwrap_or(0);
            let mut buf = vec![0; len];
            reader.read_exact(&mut buf).unwrap();
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap_or_default().to_string();
            let target = parts.next().unwrap_or_default().to_string();
            let (path, query) = target.split_once('?').unwrap_or((&target, ""));
            let query = url_pairs(query);
            let body = responses.get(path).cloned().unwrap_or_else(|| "{}".into());
            let mut out = stream;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = out.write_all(head.as_bytes());
            let _ = out.write_all(body.as_bytes());
            let _ = tx.send(Received {
                method,
                path: path.to_string(),
                query,
                headers,
                body: String::from_utf8_lossy(&buf).into_owned(),
            });
        }
    });
    (format!("http://{addr}"), rx)
}

/// Decoded `a=b&c=d`.
fn url_pairs(q: &str) -> BTreeMap<String, String> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' && i + 2 < b.len() {
                if let Ok(x) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                    out.push(x);
                    i += 3;
                    continue;
                }
            }
            out.push(b[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    q.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Waits for `child` at most `limit`; returns its status and output.
fn finish(mut child: Child, limit: Duration, what: &str) -> (ExitStatus, String) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            if let Some(mut o) = child.stdout.take() {
                o.read_to_string(&mut out).unwrap();
            }
            if let Some(mut e) = child.stderr.take() {
                e.read_to_string(&mut out).unwrap();
            }
            return (status, out);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

const NAMES: [&str; 5] = [
    "JSON /file/hash",
    "GET /pdf/documentparser/results",
    "JSON /pdf/info",
    "GET /pdf/info/fields",
    "JSON /pdf/edit/replace-text (mutliple replacements)",
];

#[test]
fn five_postman_requests_imported_as_curl_call_and_decode_like_the_originals() {
    let collection: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("../shared/corpus/postman/p2oa__pdfco.json")).unwrap(),
    )
    .unwrap();
    let items = collection["item"].as_array().unwrap();
    let dir = scratch("pdfco");
    let def = dir.join("pdfco.json");
    let mut originals = Vec::new();
    let mut responses = BTreeMap::new();
    for (i, name) in NAMES.iter().enumerate() {
        let it = item(items, name).unwrap_or_else(|| panic!("no request {name}"));
        let saved = &it["response"][0];
        let sample = dir.join(format!("response-{i}.json"));
        std::fs::write(&sample, saved["body"].as_str().unwrap()).unwrap();
        let cmd = curl(&it["request"]);
        let target = ["-o", def.to_str().unwrap()];
        let into = ["--into", def.to_str().unwrap()];
        let mut args = vec![
            "import",
            &cmd,
            "--response",
            sample.to_str().unwrap(),
            "--name",
            name,
        ];
        args.extend(if i == 0 { target } else { into });
        let o = connectorkit(&args);
        assert!(o.status.success(), "{cmd}\n{}", text(&o.stderr));
        originals.push(it["request"].clone());
    }
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&def).unwrap()).unwrap();
    let ops: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|p| p.as_object().unwrap().len())
        .sum();
    assert_eq!(ops, 5, "{doc}");
    for (path, path_item) in doc["paths"].as_object().unwrap() {
        for op in path_item.as_object().unwrap().values() {
            let schema = &op["responses"]["200"]["content"]["application/json"]["schema"];
            assert!(
                schema.get("$ref").is_some(),
                "{path}: a typed response, not {schema}"
            );
        }
        // The saved responses, by the path the client sends.
        let i = NAMES
            .iter()
            .position(|n| {
                path_item
                    .as_object()
                    .unwrap()
                    .values()
                    .any(|op| op["summary"] == *n)
            })
            .unwrap();
        let it = item(items, NAMES[i]).unwrap();
        responses.insert(
            path.clone(),
            it["response"][0]["body"].as_str().unwrap().to_string(),
        );
    }

    let krate = dir.join("crate");
    let o = connectorkit(&[
        "generate",
        def.to_str().unwrap(),
        "--out",
        krate.to_str().unwrap(),
        "--name",
        "imported-pdfco",
        "--runtime-path",
        root().join("runtime").to_str().unwrap(),
        "--conformance",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let (base, rx) = serve(responses, 5);
    let child = Command::new(env!("CARGO"))
        .args([
            "run",
            "-q",
            "--example",
            "imported-pdfco-conformance",
            "--",
            &base,
        ])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", root().join("target/modules-test"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (status, out) = finish(child, Duration::from_secs(900), "the conformance program");
    assert!(status.success(), "{out}");
    let lines: Vec<Value> = out
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(lines.len(), 5, "{out}");
    for l in &lines {
        assert_eq!(l["outcome"], "ok", "the saved response decodes: {l}");
    }
    let got: Vec<Received> = (0..5)
        .map(|_| rx.recv_timeout(Duration::from_secs(30)).expect("a request"))
        .collect();
    for original in &originals {
        let raw = original["url"]["raw"].as_str().unwrap();
        let rest = raw.strip_prefix("https://api.pdf.co").unwrap();
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let method = original["method"].as_str().unwrap();
        let r = got
            .iter()
            .find(|r| r.method == method && r.path == path)
            .unwrap_or_else(|| panic!("no {method} {path} in {got:?}"));
        assert_eq!(r.query, url_pairs(query), "{method} {path}");
        // The API key header is a parameter of the operation; its value (a secret in the
        // curl command) is not copied into the definition, so the sample value is sent.
        assert!(
            r.headers.iter().any(|(n, _)| n == "x-api-key"),
            "{method} {path}: {:?}",
            r.headers
        );
        let raw_body = original["body"]["raw"].as_str().unwrap_or("");
        if original["body"]["mode"] == "raw" && !raw_body.trim().is_empty() {
            let want: Value = serde_json::from_str(raw_body).unwrap();
            let sent: Value = serde_json::from_str(&r.body).unwrap();
            assert_eq!(sent, want, "{method} {path}");
        }
    }
}

/// Removes the operation `method path` (and the path when it is left empty).
fn without(mut doc: Value, path: &str, method: &str) -> Value {
    let paths = doc["paths"].as_object_mut().unwrap();
    let item = paths.get_mut(path).unwrap().as_object_mut().unwrap();
    item.remove(method);
    if item.is_empty() {
        paths.remove(path);
    }
    doc
}

fn import_into(file: &Path, yaml: bool, base: &str) -> (Value, Value) {
    let read = |p: &Path| -> Value {
        let t = std::fs::read_to_string(p).unwrap();
        if yaml {
            serde_yaml::from_str(&t).unwrap()
        } else {
            serde_json::from_str(&t).unwrap()
        }
    };
    let before = read(file);
    let cmd = format!(
        "curl -X POST '{base}/pets/adopt?notify=true' -H 'Content-Type: application/json' -d '{{\"petId\": 7, \"owner\": \"ann\"}}'"
    );
    let o = connectorkit(&[
        "import",
        &cmd,
        "--into",
        file.to_str().unwrap(),
        "--name",
        "Adopt a pet",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    (before, read(file))
}

#[test]
fn into_a_json_definition_keeps_everything_else_in_order() {
    let dir = scratch("into-json");
    let file = dir.join("petstore-expanded.json");
    let original = std::fs::read_to_string(
        root().join("../shared/corpus/openapi/oai-examples/v3.0/petstore-expanded.json"),
    )
    .unwrap();
    std::fs::write(&file, &original).unwrap();
    let (before, after) = import_into(&file, false, "https://petstore.swagger.io/v2");
    // The server of the definition has `/v2`: the operation's path is under it.
    let op = &after["paths"]["/pets/adopt"]["post"];
    assert_eq!(op["summary"], "Adopt a pet", "{after}");
    assert!(op["requestBody"]["content"]["application/json"]["schema"]["$ref"].is_string());
    let rest = without(after.clone(), "/pets/adopt", "post");
    // Everything else is as it was, keys in their order (the new schemas aside).
    let mut rest_no_new = rest.clone();
    let before_schemas: Vec<String> = before["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    rest_no_new["components"]["schemas"]
        .as_object_mut()
        .unwrap()
        .retain(|k, _| before_schemas.contains(k));
    assert_eq!(
        serde_json::to_string(&rest_no_new).unwrap(),
        serde_json::to_string(&before).unwrap()
    );
    // Written as it was formatted: the original's lines are all still there, in order.
    let written = std::fs::read_to_string(&file).unwrap();
    if serde_json::to_string_pretty(&before).unwrap().trim_end() == original.trim_end() {
        let kept: Vec<&str> = written.lines().collect();
        let mut at = 0;
        for l in original.lines() {
            let found = kept[at..].iter().position(|k| *k == l);
            assert!(found.is_some(), "line `{l}` is gone");
            at += found.unwrap() + 1;
        }
    }
}

#[test]
fn into_a_yaml_definition_keeps_everything_else() {
    let dir = scratch("into-yaml");
    let file = dir.join("petstore.yaml");
    std::fs::copy(
        root().join("../shared/corpus/openapi/oai-examples/v3.0/petstore.yaml"),
        &file,
    )
    .unwrap();
    let (before, after) = import_into(&file, true, "http://petstore.swagger.io/v1");
    assert!(after["paths"]["/pets/adopt"]["post"].is_object(), "{after}");
    let mut rest = without(after, "/pets/adopt", "post");
    let before_schemas: Vec<String> = before["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    rest["components"]["schemas"]
        .as_object_mut()
        .unwrap()
        .retain(|k, _| before_schemas.contains(k));
    assert_eq!(rest, before);
    // A second import of the same operation is refused, and --replace replaces it.
    let o = connectorkit(&[
        "import",
        "curl -X POST 'http://petstore.swagger.io/v1/pets/adopt' -d '{\"petId\": 1}'",
        "--into",
        file.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("already in the definition (use --replace"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn curl_and_http_requests_become_operations() {
    let o = connectorkit(&[
        "import",
        "curl -u ann:pw 'https://api.example.com/v2/users/{id}/notes?limit=5' -H 'Accept: application/json'",
        "--name",
        "List notes",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let doc: Value = serde_json::from_str(&text(&o.stdout)).unwrap();
    let op = &doc["paths"]["/v2/users/{id}/notes"]["get"];
    assert_eq!(op["operationId"], "list_notes", "{doc}");
    let params: Vec<(&str, &str)> = op["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["in"].as_str().unwrap()))
        .collect();
    assert!(params.contains(&("id", "path")), "{params:?}");
    assert!(params.contains(&("limit", "query")), "{params:?}");
    assert_eq!(
        doc["components"]["securitySchemes"]["basic"]["scheme"], "basic",
        "{doc}"
    );
    assert!(
        !text(&o.stdout).contains("x-postman"),
        "no trace of the synthetic collection"
    );

    let dir = scratch("http");
    let file = dir.join("requests.http");
    std::fs::write(
        &file,
        "### Create item\nPOST https://api.example.com/items\nContent-Type: application/json\n\n{\"name\": \"a\", \"size\": 2}\n\n### Delete item\nDELETE https://api.example.com/items/{itemId}\n",
    )
    .unwrap();
    let o = connectorkit(&["import", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let doc: Value = serde_json::from_str(&text(&o.stdout)).unwrap();
    assert_eq!(
        doc["paths"]["/items"]["post"]["summary"], "Create item",
        "{doc}"
    );
    assert!(
        doc["paths"]["/items/{itemId}"]["delete"].is_object(),
        "{doc}"
    );
    let o = connectorkit(&["import", "not a request"]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("neither a file nor a curl command"));
}
