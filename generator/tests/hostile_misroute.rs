//! The misroute cases of the hostile suite (`tests/hostile/*/misroute`): every refused case
//! fails with the expected located `route/…` error; the generated ones carry the expected
//! warnings and drop exactly the unsafe requests. (What reaches a server is asserted by
//! `tests/tests/hostile_e2e.rs`.)

use std::path::{Path, PathBuf};

use connectorkit_generator::{prepare_file, Severity};

fn suite(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/hostile")
        .join(kind)
        .join("misroute")
}

#[test]
fn refused_cases_fail_with_a_located_route_error() {
    let expected: &[(&str, &str)] = &[
        ("oas3-operation-server-userinfo.yaml", "route/userinfo"),
        ("oas3-path-dot-segments.yaml", "route/dot-segment"),
        ("oas3-path-encoded-dot-segments.yaml", "route/dot-segment"),
        ("oas3-path-server-query.yaml", "route/query-in-base-url"),
        ("oas3-server-backslash.json", "route/invalid-url"),
        ("oas3-server-dot-segments.yaml", "route/dot-segment"),
        ("oas3-server-fragment.yaml", "route/fragment"),
        ("oas3-server-newline.json", "route/invalid-url"),
        ("oas3-server-protocol-relative.yaml", "route/scheme"),
        ("oas3-server-query.yaml", "route/query-in-base-url"),
        ("oas3-server-scheme-file.yaml", "route/scheme"),
        ("oas3-server-scheme-javascript.yaml", "route/scheme"),
        ("oas3-server-userinfo.yaml", "route/userinfo"),
        ("oas3-server-variable-fragment.yaml", "route/fragment"),
        ("oas3-server-variable-userinfo.yaml", "route/userinfo"),
        (
            "postman-baseurl-file-scheme.postman_collection.json",
            "route/scheme",
        ),
        (
            "postman-baseurl-fragment.postman_collection.json",
            "route/fragment",
        ),
        (
            "postman-baseurl-newline.postman_collection.json",
            "route/invalid-url",
        ),
        (
            "postman-baseurl-query.postman_collection.json",
            "route/query-in-base-url",
        ),
        (
            "postman-host-variable-userinfo.postman_collection.json",
            "route/userinfo",
        ),
        ("pp-host-template-query", "route/query-in-base-url"),
        ("pp-host-template-userinfo", "route/userinfo"),
        (
            "pp-host-unknown-parameter",
            "route/unknown-connection-parameter",
        ),
        ("pp-route-dot-segments", "route/dot-segment"),
        ("pp-route-invalid-method", "route/invalid-method"),
        ("pp-route-unknown-method", "route/invalid-method"),
        ("pp-setheader-bad-name", "route/invalid-header"),
        ("pp-setheader-crlf", "route/invalid-header"),
        ("pp-swagger-host-userinfo", "route/userinfo"),
        ("swagger2-basepath-dot-segments.json", "route/dot-segment"),
        ("swagger2-basepath-query.json", "route/query-in-base-url"),
        ("swagger2-host-userinfo.json", "route/userinfo"),
        ("swagger2-host-with-fragment.json", "route/host"),
        ("swagger2-host-with-path.json", "route/host"),
        ("swagger2-host-with-scheme.json", "route/host"),
        ("swagger2-schemes-ws-only.json", "route/scheme"),
    ];
    let mut on_disk: Vec<String> = std::fs::read_dir(suite("refused"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // Refused for the requests it drops, but the rest generates: checked below.
        .filter(|n| n != "postman-unsafe-request-urls.postman_collection.json")
        .collect();
    on_disk.sort();
    let listed: Vec<String> = expected.iter().map(|(c, _)| c.to_string()).collect();
    assert_eq!(on_disk, listed, "every refused case is listed here");
    for (case, code) in expected {
        let failure = match prepare_file(&suite("refused").join(case)) {
            Ok(_) => panic!("{case}: generated"),
            Err(f) => f,
        };
        let errors: Vec<_> = failure
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(
            errors.iter().any(|d| d.code == *code),
            "{case}: expected {code}, got {errors:#?}"
        );
        for d in errors {
            assert!(d.location.line > 0, "{case}: unlocated {d}");
            assert!(d.hint.is_some(), "{case}: no hint {d}");
        }
    }
}

#[test]
fn generated_cases_warn_and_drop_exactly_the_unsafe_requests() {
    let warned = |case: &str, code: &str| {
        // A case whose errors drop only part of it lives under refused/ (the exit code
        // says so) but still prepares.
        let path = ["generates", "refused"]
            .iter()
            .map(|d| suite(d).join(case))
            .find(|p| p.exists())
            .unwrap_or_else(|| suite("generates").join(case));
        let p = prepare_file(&path).unwrap_or_else(|f| panic!("{case}: {f}"));
        assert!(
            p.diagnostics
                .iter()
                .any(|d| d.code == code && d.location.line > 0),
            "{case}: no located {code}: {:#?}",
            p.diagnostics
        );
        p
    };
    for case in [
        "oas3-undefined-host-variable.yaml",
        "oas3-empty-variable-default.yaml",
        "swagger2-placeholder-host.json",
        "postman-undefined-tenant.postman_collection.json",
        "postman-undefined-base-url.postman_collection.json",
    ] {
        let p = warned(case, "route/undefined-server-variable");
        assert!(p.connector.servers[0].required, "{case}");
    }
    warned("swagger2-mixed-schemes.json", "route/scheme");
    warned(
        "postman-protocol-relative.postman_collection.json",
        "postman/url-no-scheme",
    );
    warned(
        "pp-connection-parameter-case",
        "policy/connection-parameter-case",
    );
    warned(
        "pp-connection-sets-host",
        "policy/connection-parameter-case",
    );
    warned("pp-operation-name-case", "policy/operation-case");
    let p = warned(
        "postman-unsafe-request-urls.postman_collection.json",
        "postman/unsafe-url",
    );
    let dropped = p
        .diagnostics
        .iter()
        .filter(|d| d.code == "postman/unsafe-url" && d.severity == Severity::Error)
        .count();
    assert_eq!(dropped, 4);
    let names: Vec<&str> = p
        .connector
        .actions
        .iter()
        .map(|a| a.ident.as_str())
        .collect();
    assert_eq!(names, ["list_users"]);
}
