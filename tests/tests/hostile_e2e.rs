//! The hostile definitions that generate (`tests/hostile/generates/misroute`), end to end:
//! each client calls the test server, and the tests assert the exact URL, method and headers
//! that arrive. The refused ones are checked by `.ci/hostile.sh` and
//! `generator/tests/hostile_misroute.rs`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use connectorkit_tests::hostile;

mod common;
use common::{last, server, Log, Redirect, Seen};

/// Runs `f` with a deadline.
async fn within<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .expect("no answer in time")
}

fn all(log: &Log) -> Vec<Seen> {
    log.lock().unwrap().clone()
}

#[tokio::test]
async fn undefined_host_variable_makes_the_base_url_an_argument() {
    use hostile::oas3_undefined_host_variable::Client;
    let (url, log) = server().await;
    // `https://{tenant}.example.com/v1` with no `tenant` variable: `Client::new` takes the
    // base URL; the bearer token goes there and nowhere else.
    let client = Client::new(&format!("{url}/v1"))
        .unwrap()
        .with_bearer("tok-1");
    let _ = within(client.get_item("a b")).await;
    let seen = last(&log);
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, "/v1/items/a%20b");
    assert_eq!(seen.header("authorization"), Some("Bearer tok-1"));
    assert_eq!(all(&log).len(), 1);
}

#[tokio::test]
async fn empty_variable_default_makes_the_base_url_an_argument() {
    use hostile::oas3_empty_variable_default::{Client, CreateItemBody};
    let (url, log) = server().await;
    let client = Client::new(&format!("{url}/v2")).unwrap();
    let body: CreateItemBody = serde_json::from_value(serde_json::json!({"name": "n"})).unwrap();
    let _ = within(client.create_item(&body)).await;
    let seen = last(&log);
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/v2/items");
    assert_eq!(seen.json(), serde_json::json!({"name": "n"}));
}

#[tokio::test]
async fn swagger_placeholder_host_makes_the_base_url_an_argument() {
    use hostile::swagger2_placeholder_host::Client;
    let (url, log) = server().await;
    let client = Client::new(&format!("{url}/api")).unwrap().with_key("k-9");
    let _ = within(client.list_items()).await;
    let seen = last(&log);
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, "/api/items");
    assert_eq!(seen.header("x-api-key"), Some("k-9"));
}

#[tokio::test]
async fn swagger_mixed_schemes_keep_https_and_the_port() {
    use hostile::swagger2_mixed_schemes::{Client, DEFAULT_BASE_URL};
    assert_eq!(DEFAULT_BASE_URL, "https://api.example.com:8443/v2");
    let (url, log) = server().await;
    let client = Client::new()
        .unwrap()
        .with_base_url(&format!("{url}/v2"))
        .unwrap();
    let _ = within(client.delete_items()).await;
    let seen = last(&log);
    assert_eq!(seen.method, "DELETE");
    assert_eq!(seen.path, "/v2/items");
}

#[tokio::test]
async fn postman_undefined_tenant_never_sends_the_token_to_localhost() {
    use hostile::postman_undefined_tenant::Client;
    let (url, log) = server().await;
    // `https://{{tenant}}.com/api/users`, `tenant` undefined: the base URL is an argument.
    let client = Client::new(&url).unwrap().with_bearer("pm-token");
    let _ = within(client.list_users()).await;
    let seen = last(&log);
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, "/api/users");
    assert_eq!(seen.header("authorization"), Some("Bearer pm-token"));
}

#[tokio::test]
async fn postman_undefined_base_url_is_an_argument() {
    use hostile::postman_undefined_base_url::Client;
    let (url, log) = server().await;
    let client = Client::new(&format!("{url}/shop"))
        .unwrap()
        .with_bearer("pm-2");
    let _ = within(client.create_order()).await;
    let seen = last(&log);
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/shop/orders");
    assert_eq!(seen.header("authorization"), Some("Bearer pm-2"));
}

#[tokio::test]
async fn postman_protocol_relative_url_is_https() {
    use hostile::postman_protocol_relative::{Client, DEFAULT_BASE_URL};
    assert_eq!(DEFAULT_BASE_URL, "https://api.example.com");
    let (url, log) = server().await;
    let client = Client::new().unwrap().with_base_url(&url).unwrap();
    let _ = within(client.list_items(5)).await;
    let seen = last(&log);
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, "/v1/items");
    assert_eq!(seen.query, [("limit".to_string(), "5".to_string())]);
}

#[tokio::test]
async fn postman_base_url_with_a_trailing_newline_is_trimmed() {
    use hostile::postman_base_url_trailing_newline::{Client, DEFAULT_BASE_URL};
    assert_eq!(DEFAULT_BASE_URL, "https://api.example.com/v1");
    let (url, log) = server().await;
    let client = Client::new()
        .unwrap()
        .with_base_url(&format!("{url}/v1"))
        .unwrap();
    let _ = within(client.list_items()).await;
    assert_eq!(last(&log).path, "/v1/items");
}

#[tokio::test]
async fn postman_unsafe_request_urls_are_dropped_the_rest_routes() {
    use hostile::postman_unsafe_request_urls::{Client, DEFAULT_BASE_URL};
    // `Steal users` (userinfo), `Credentials in the URL`, `Delete admin` (`..`) and
    // `Encoded climb` (`%2e%2e`) have no method (generator/tests/hostile_misroute.rs).
    assert_eq!(DEFAULT_BASE_URL, "https://api.example.com/v1");
    let (url, log) = server().await;
    let client = Client::new()
        .unwrap()
        .with_base_url(&format!("{url}/v1"))
        .unwrap()
        .with_bearer("t");
    let _ = within(client.list_users()).await;
    let seen = last(&log);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/v1/users")
    );
}

#[tokio::test]
async fn setheader_twice_on_different_operations_both_apply() {
    use hostile::pp_setheader_twice::{Client, Connection, CreateItemBody};
    let (url, log) = server().await;
    let client = Client::new(Connection {
        api_key: "pp-key".into(),
    })
    .unwrap()
    .with_base_url(&format!("{url}/v1"))
    .unwrap();
    within(async {
        let _ = client.list_items().await;
        let _ = client.get_item("7").await;
        let _ = client.create_item(&CreateItemBody::default()).await;
        let _ = client.list_orders().await;
    })
    .await;
    let got: Vec<(String, String, Option<String>, Option<String>)> = all(&log)
        .iter()
        .map(|s| {
            (
                s.method.clone(),
                s.path.clone(),
                s.header("X-Tenant").map(str::to_string),
                s.header("X-Api-Key").map(str::to_string),
            )
        })
        .collect();
    let row = |m: &str, p: &str, t: Option<&str>| {
        (
            m.to_string(),
            p.to_string(),
            t.map(str::to_string),
            Some("pp-key".to_string()),
        )
    };
    assert_eq!(
        got,
        vec![
            row("GET", "/v1/items", Some("alpha")),
            row("GET", "/v1/items/7", Some("alpha")),
            row("POST", "/v1/items", Some("beta")),
            row("GET", "/v1/orders", None),
        ]
    );
    // One value each, never both.
    assert!(all(&log)
        .iter()
        .all(|s| s.headers.get_all("x-tenant").iter().count() <= 1));
}

#[tokio::test]
async fn setqueryparameter_twice_applies_every_instance() {
    use hostile::pp_setqueryparameter_twice::{Client, Connection, CreateItemBody};
    let (url, log) = server().await;
    let client = Client::new(Connection {
        api_key: "pp-key".into(),
    })
    .unwrap()
    .with_base_url(&format!("{url}/v1"))
    .unwrap();
    within(async {
        let _ = client.list_items().await;
        let _ = client.get_item("7").await;
        let _ = client.create_item(&CreateItemBody::default()).await;
        let _ = client.list_orders().await;
    })
    .await;
    let got: Vec<(String, Vec<(String, String)>)> = all(&log)
        .iter()
        .map(|s| (s.path.clone(), s.query.clone()))
        .collect();
    let skip = vec![("skip_pagination".to_string(), "True".to_string())];
    assert_eq!(
        got,
        vec![
            ("/v1/items".to_string(), skip.clone()),
            ("/v1/items/7".to_string(), skip.clone()),
            ("/v1/items".to_string(), vec![]),
            ("/v1/orders".to_string(), skip),
        ]
    );
}

#[tokio::test]
async fn connection_parameter_spelling_is_resolved_in_the_model() {
    use hostile::pp_connection_parameter_case::{Client, Connection};
    let (url, log) = server().await;
    // `@connectionParameters('HostUrl')/` and `@connectionParameters('TENANTID')`; declared
    // `hostUrl` and `tenantId`.
    let client = Client::new(Connection {
        host_url: url.clone(),
        api_key: "pp-key".into(),
        tenant_id: "t-42".into(),
    })
    .unwrap();
    let _ = within(client.list_orders()).await;
    let seen = last(&log);
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, "/v1/orders");
    assert_eq!(seen.header("X-Tenant"), Some("t-42"));
    assert_eq!(seen.header("X-Api-Key"), Some("pp-key"));
}

#[tokio::test]
async fn connection_sets_spelling_the_host_differently_both_route() {
    use hostile::pp_connection_sets_host::{Client, Connection};
    for (connection, host) in [
        (
            Connection::Cloud {
                host: "cloud.example.test".into(),
                api_key: "k".into(),
            },
            "cloud.example.test",
        ),
        (
            Connection::Onprem {
                host: "onprem.example.test".into(),
                username: "u".into(),
                password: "p".into(),
            },
            "onprem.example.test",
        ),
    ] {
        let (url, log) = server().await;
        let urls = Arc::new(Mutex::new(Vec::new()));
        let builder = Client::builder().hook(Redirect {
            seen: urls.clone(),
            to: url.clone(),
        });
        let client = Client::connect(builder, connection).unwrap();
        let _ = within(client.get_item("9")).await;
        assert_eq!(
            urls.lock().unwrap().clone(),
            [format!("https://{host}/v1/items/9")]
        );
        assert_eq!(last(&log).path, "/v1/items/9");
    }
}

#[tokio::test]
async fn policy_operation_names_match_case_insensitively() {
    use hostile::pp_operation_name_case::{Client, Connection};
    let (url, log) = server().await;
    let client = Client::new(Connection {
        api_key: "pp-key".into(),
    })
    .unwrap()
    .with_base_url(&format!("{url}/v1"))
    .unwrap();
    within(async {
        let _ = client.list_items().await;
        let _ = client.get_item("1").await;
        let _ = client.list_orders().await;
    })
    .await;
    let got: Vec<(String, Option<String>)> = all(&log)
        .iter()
        .map(|s| {
            (
                s.path.clone(),
                s.query("skip_pagination").map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("/v1/items".to_string(), Some("True".to_string())),
            ("/v1/items/1".to_string(), None),
            ("/v1/orders".to_string(), Some("True".to_string())),
        ]
    );
}

#[tokio::test]
async fn route_with_a_lower_case_method_keeps_the_method() {
    use hostile::pp_route_lowercase_method::{Client, Connection};
    let (url, log) = server().await;
    let client = Client::new(Connection {
        api_key: "pp-key".into(),
    })
    .unwrap()
    .with_base_url(&format!("{url}/v1"))
    .unwrap();
    let _ = within(client.list_items()).await;
    let seen = last(&log);
    // `"httpMethod": "post"`, `"newPath": "/v2/items/search"` on the `/v1` base.
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/v1/v2/items/search");
    assert_eq!(seen.header("X-Api-Key"), Some("pp-key"));
}

#[tokio::test]
async fn a_later_dynamichosturl_replaces_an_earlier_one() {
    use hostile::pp_host_twice::{Client, Connection};
    let (url, log) = server().await;
    let urls = Arc::new(Mutex::new(Vec::new()));
    let builder = Client::builder().hook(Redirect {
        seen: urls.clone(),
        to: url.clone(),
    });
    let client = Client::connect(
        builder,
        Connection {
            api_key: "pp-key".into(),
            site: "site.example.test".into(),
        },
    )
    .unwrap();
    within(async {
        let _ = client.list_items().await;
        let _ = client.list_orders().await;
    })
    .await;
    // Every action: `https://@connectionParameters('site')/v1`; then `listOrders`:
    // `https://orders.example.test/v9`.
    assert_eq!(
        urls.lock().unwrap().clone(),
        [
            "https://site.example.test/v1/items",
            "https://orders.example.test/v9/orders"
        ]
    );
    assert!(all(&log)
        .iter()
        .all(|s| s.header("X-Api-Key") == Some("pp-key")));
}

#[tokio::test]
async fn an_operation_server_without_a_host_does_not_stop_the_client() {
    use hostile::oas3_operation_server_without_host::Client;
    let (url, log) = server().await;
    // `Client::new` builds (it failed with "invalid trusted origin `https://`"); the other
    // operation routes with the credential.
    let client = Client::new()
        .unwrap()
        .with_base_url(&url)
        .unwrap()
        .with_bearer("tok");
    within(client.list_items()).await.unwrap();
    let seen = last(&log);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/items")
    );
    assert_eq!(seen.header("authorization"), Some("Bearer tok"));
    // The upload has no URL until one is given: an error, nothing sent.
    assert!(within(client.upload()).await.is_err());
    assert_eq!(all(&log).len(), 1);
}
