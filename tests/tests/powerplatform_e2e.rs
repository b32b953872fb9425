//! End to end with real Power Platform connectors from the corpus: each generated client
//! (built from the connector folder, apiProperties.json included) calls an axum server on
//! 127.0.0.1, and the tests assert on exactly what the server received.

use futures_util::StreamExt;

mod common;
use common::{last, server, url_decode_pairs, Seen};

/// An iMIS client with an API key, pointed at the test server.
fn imis(url: &str) -> connectorkit_tests::imis::Client {
    use connectorkit_tests::imis::{Client, Connection};
    Client::new(Connection {
        api_key: "imis-key".into(),
    })
    .unwrap()
    .with_base_url(url)
    .unwrap()
}

#[tokio::test]
async fn api_key_in_a_header_aikidocs() {
    use connectorkit_tests::aikidocs::{Client, Connection, ModifySpreadSheetCellRequest2};
    let (url, log) = server().await;
    let client = Client::new(Connection {
        api_key: "key-1".into(),
    })
    .unwrap()
    .with_base_url(&url)
    .unwrap();
    client
        .excel_set_cell(&ModifySpreadSheetCellRequest2::default())
        .await
        .unwrap();
    let seen = last(&log);
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/api/ExcelModifyDocument/cell");
    assert_eq!(seen.header("ApiKey"), Some("key-1"));
    assert!(seen.query.is_empty());
}

#[tokio::test]
async fn basic_auth_narvar() {
    use connectorkit_tests::narvar::{Client, Connection, GetRetrieveOrderSuccess};
    let (url, log) = server().await;
    let connection = Connection {
        username: "acct-7".into(),
        password: "tok-secret".into(),
    };
    assert!(!format!("{connection:?}").contains("tok-secret"));
    let client = Client::new(connection)
        .unwrap()
        .with_base_url(&url)
        .unwrap();
    assert!(!format!("{client:?}").contains("tok-secret"));
    // The path parameter is named `$OrderNumber` in the definition; the value is one segment.
    let order = client.get_retrieve_order("A/1 x").await.unwrap();
    let GetRetrieveOrderSuccess::Ok(order) = order else {
        panic!("expected the 200 body, got {order:?}");
    };
    assert_eq!(order.status.as_deref(), Some("SUCCESS"));
    let info = order.order_info.unwrap();
    assert_eq!(info.order_number.as_deref(), Some("A/1 x"));
    let seen = last(&log);
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, "/orders/A%2F1%20x");
    // base64("acct-7:tok-secret")
    assert_eq!(
        seen.header("authorization"),
        Some("Basic YWNjdC03OnRvay1zZWNyZXQ=")
    );

    // Without a connection, `with_basic_auth` supplies the credential.
    let bare = Client::from_runtime(Client::builder().base_url(url.clone()).build().unwrap())
        .with_basic_auth("u", "p");
    bare.get_retrieve_order("other").await.unwrap();
    assert_eq!(last(&log).header("authorization"), Some("Basic dTpw"));
}

#[tokio::test]
async fn api_key_in_the_query_hunter() {
    use connectorkit_tests::hunter::{Client, Connection, DomainParams};
    let (url, log) = server().await;
    let client = Client::new(Connection {
        api_key: "key-2".into(),
    })
    .unwrap()
    .with_base_url(&url)
    .unwrap();
    let params = DomainParams {
        domain: Some("example.com".into()),
        ..Default::default()
    };
    client.domain(&params).await.unwrap();
    let seen = last(&log);
    assert_eq!(seen.path, "/domain-search");
    assert_eq!(seen.query("api_key"), Some("key-2"));
    assert_eq!(seen.query("domain"), Some("example.com"));
    assert_eq!(seen.header("authorization"), None);
}

#[tokio::test]
async fn oauth2_bearer_from_a_refresh_token_factset() {
    use connectorkit::RefreshTokenProvider;
    use connectorkit_tests::factset::{Client, Connection, GetHeadlinesParams};
    let (url, log) = server().await;
    // The definition's OAuth settings are the defaults; the token URL points at the test server.
    let defaults = Connection::oauth_settings_token();
    assert!(defaults.token_url_value().starts_with("https://"));
    let settings = defaults
        .token_url(format!("{url}/token"))
        .refresh_url(format!("{url}/token"))
        .client_id("client-1")
        .client_secret("client-secret-1");
    let token = std::sync::Arc::new(RefreshTokenProvider::new(settings, "rt-1"));
    let client = Client::new(Connection { token })
        .unwrap()
        .with_base_url(&url)
        .unwrap();
    client
        .get_headlines(&GetHeadlinesParams::default())
        .await
        .unwrap();
    client
        .get_headlines(&GetHeadlinesParams::default())
        .await
        .unwrap();
    let seen = log.lock().unwrap().clone();
    let token_calls: Vec<&Seen> = seen.iter().filter(|s| s.path == "/token").collect();
    assert_eq!(token_calls.len(), 1, "the token is cached");
    let form = url_decode_pairs(std::str::from_utf8(&token_calls[0].body).unwrap());
    assert!(form.contains(&("grant_type".into(), "refresh_token".into())));
    assert!(form.contains(&("refresh_token".into(), "rt-1".into())));
    assert!(form.contains(&("client_id".into(), "client-1".into())));
    let calls: Vec<&Seen> = seen.iter().filter(|s| s.path != "/token").collect();
    assert_eq!(calls.len(), 2);
    for c in calls {
        assert_eq!(c.path, "/signals/v2/events/headlines");
        assert_eq!(c.header("authorization"), Some("Bearer at-1"));
    }
}

#[tokio::test]
async fn oauth2generic_templates_from_the_definition_azure_ad() {
    use connectorkit::{AuthorizationCodeFlow, RefreshTokenProvider, TokenProvider};
    use connectorkit_tests::azure_ad::Connection;
    let (url, log) = server().await;
    // The generated settings carry the connector's templates; the caller supplies the client.
    let defaults = Connection::oauth_settings_token()
        .client_id("client-1")
        .client_secret("secret&1")
        .redirect_url("https://global.consent.azure-apim.net/redirect");
    let pending = AuthorizationCodeFlow::new(defaults.clone())
        .authorize()
        .unwrap();
    assert_eq!(
        pending.url(),
        format!(
            "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=client-1&response_type=code&redirect_uri=https%3A%2F%2Fglobal.consent.azure-apim.net%2Fredirect&response_mode=query&scope=Directory.ReadWrite.All%20Group.ReadWrite.All%20User.ReadWrite.All%20offline_access&prompt=login&state={}",
            pending.state()
        )
    );
    // Refresh through the definition's refresh body template, at the test server.
    let templates = defaults
        .templates_value()
        .expect("oauth2generic templates")
        .clone()
        .parameter("refreshUrlTemplate", format!("{url}/token"));
    let provider = RefreshTokenProvider::new(defaults.templates(templates), "rt-1");
    assert_eq!(provider.token().await.unwrap().expose(), "at-1");
    assert_eq!(provider.refresh_token().unwrap().expose(), "rt-2");
    let seen = log.lock().unwrap().clone();
    let token_calls: Vec<&Seen> = seen.iter().filter(|s| s.path == "/token").collect();
    assert_eq!(token_calls.len(), 1);
    assert_eq!(
        std::str::from_utf8(&token_calls[0].body).unwrap(),
        "client_id=client-1&refresh_token=rt-1&redirect_uri=https%3A%2F%2Fglobal.consent.azure-apim.net%2Fredirect&grant_type=refresh_token&client_secret=secret%261"
    );
}

#[tokio::test]
async fn host_from_connection_and_key_by_setheader_question_answering() {
    use connectorkit_tests::question_answering::{
        AnswersFromTextOptions, Client, Connection, GenerateAnswerApiVersion,
    };
    let (url, log) = server().await;
    // dynamicHostUrl: the base URL is the `siteUrl` connection parameter.
    let client = Client::new(Connection::KeyBasedAuth {
        api_key: "cog-key".into(),
        site_url: url.clone(),
    })
    .unwrap();
    let body: AnswersFromTextOptions =
        serde_json::from_value(serde_json::json!({"question": "why?", "records": []})).unwrap();
    let _ = client
        .get_answers_from_text(&GenerateAnswerApiVersion::V20211001, &body)
        .await;
    let seen = last(&log);
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/language/:query-text");
    assert_eq!(seen.query("api-version"), Some("2021-10-01"));
    // setheader: Ocp-Apim-Subscription-Key: @connectionParameters('apiKey')
    assert_eq!(seen.header("Ocp-Apim-Subscription-Key"), Some("cog-key"));
    assert_eq!(seen.json()["question"], "why?");
}

#[tokio::test]
async fn route_request_to_endpoint_exchange_rate() {
    use connectorkit_tests::exchange_rate::{Client, Connection};
    let (url, log) = server().await;
    let client = Client::new(Connection {
        api_key: "xr-key".into(),
    })
    .unwrap()
    .with_base_url(&format!("{url}/v6"))
    .unwrap();
    let _ = client.get_exchange_rates("USD").await;
    let seen = last(&log);
    // Definition path `/latest/{basecurrency}`; wire path `/@connectionParameters('apiKey')/latest/{basecurrency}`.
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, "/v6/xr-key/latest/USD");
}

#[tokio::test]
async fn airmeet_policies_constants_double_encoding_and_webhook() {
    use connectorkit_tests::airmeet::{Client, Connection, Region, Triggers};
    let (url, log) = server().await;
    let connection = Connection {
        username: "access-1".into(),
        password: "secret-1".into(),
        region: Region::UnitedStates,
    };
    assert!(!format!("{connection:?}").contains("secret-1"));
    let client = Client::new(connection)
        .unwrap()
        .with_base_url(&url)
        .unwrap();

    // Internal constants are sent but not exposed: `get_airmeets` takes no arguments.
    let list = client.get_airmeets().await.unwrap();
    assert_eq!(list.data.as_ref().map(Vec::len), Some(1));
    let seen = last(&log);
    assert_eq!(seen.path, "/airmeets");
    assert_eq!(seen.query("allAirmeets"), Some("true"));
    assert_eq!(seen.query("crmName"), Some("MICROSOFT_DYNAMICS"));
    // setheader policies: the basic-auth parameters really go in custom headers…
    assert_eq!(seen.header("x-access-key"), Some("access-1"));
    assert_eq!(seen.header("x-secret-key"), Some("secret-1"));
    assert_eq!(
        seen.header("region"),
        Some("api-gateway-prod.us.airmeet.com")
    );
    assert_eq!(seen.header("accept"), Some("application/json"));
    // …and the basic scheme is filled from them too.
    assert_eq!(
        seen.header("authorization"),
        Some("Basic YWNjZXNzLTE6c2VjcmV0LTE=")
    );

    // x-ms-dynamic-values: the helper calls the listing action (its internal constants
    // included) and reads `data[*].uid` / `name`.
    let choices = client.create_speaker_airmeet_id_choices().await.unwrap();
    let seen = last(&log);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/airmeets")
    );
    assert_eq!(seen.query("allAirmeets"), Some("true"));
    assert_eq!(choices.len(), 1);
    assert_eq!(choices[0].value, "a1");
    assert_eq!(choices[0].title, "Launch");
    // A listing that depends on another parameter takes it as an argument; an item without a
    // title is titled by its value.
    let sessions = client
        .airmeet_triggers_session_id_choices("a1")
        .await
        .unwrap();
    assert_eq!(last(&log).path, "/airmeet/a1/info");
    let got: Vec<(String, String)> = sessions
        .iter()
        .map(|c| (c.value.to_string(), c.title.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("\"s1\"".to_string(), "Keynote".to_string()),
            ("\"s2\"".to_string(), "s2".to_string())
        ]
    );

    // x-ms-url-encoding: double.
    client
        .remove_attendee("a1", "ann@example.com/x")
        .await
        .unwrap();
    let seen = last(&log);
    assert_eq!(seen.method, "DELETE");
    assert_eq!(seen.path, "/airmeet/a1/attendee/ann%2540example.com%252Fx");

    // Webhook trigger: subscribe with the callback URL, then parse a notification.
    let triggers: Triggers<'_> = client.triggers();
    let body =
        serde_json::from_value(serde_json::json!({"triggerMetaInfoId": "registration"})).unwrap();
    let sub = triggers
        .subscribe_airmeet_triggers("https://hooks.example/cb", &Default::default(), &body)
        .await
        .unwrap();
    let seen = last(&log);
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/platform-integration/v1/webhook-register");
    let sent = seen.json();
    assert_eq!(sent["url"], "https://hooks.example/cb");
    assert_eq!(sent["triggerMetaInfoId"], "registration");
    assert_eq!(sub.id(), Some("sub-9"));
    // The gateway's response-side setheader supplies the unsubscribe Location.
    assert_eq!(
        sub.location(),
        Some("https://api-gateway-prod.us.airmeet.com/prod/platform-integration/v1/webhook-deregister")
    );
    let headers = connectorkit::http::HeaderMap::new();
    let n = Triggers::parse_airmeet_triggers_notification(
        &headers,
        br#"{"airmeetName": "Launch", "email": "ann@example.com", "recordings": [{"link": "https://r", "sessionId": "s1"}]}"#,
    )
    .unwrap();
    assert_eq!(n.airmeet_name.as_deref(), Some("Launch"));
    assert_eq!(
        n.recordings.as_ref().unwrap()[0].session_id.as_deref(),
        Some("s1")
    );
    assert!(
        Triggers::parse_airmeet_triggers_notification(&headers, br#"{"recordings": 3}"#).is_err()
    );

    // Unsubscribe: DELETE at the Location, with the connection's credentials.
    let local = connectorkit::triggers::Subscription::new(
        Some(format!("{url}/platform-integration/v1/webhook-deregister")),
        None,
        serde_json::Value::Null,
    );
    triggers.unsubscribe(&local).await.unwrap();
    let seen = last(&log);
    assert_eq!(seen.method, "DELETE");
    assert_eq!(seen.path, "/platform-integration/v1/webhook-deregister");
    assert_eq!(seen.header("x-access-key"), Some("access-1"));
}

#[tokio::test]
async fn pageable_follows_next_links_imis() {
    use connectorkit_tests::imis::PanelFindPanelRecordsParams;
    let (url, log) = server().await;
    let client = imis(&url);
    let params = PanelFindPanelRecordsParams::default();
    let pages: Vec<_> = client
        .panel_find_panel_records_pages(&params, &serde_json::Map::new())
        .unwrap()
        .collect()
        .await;
    assert_eq!(pages.len(), 3);
    let ns: Vec<i64> = pages
        .iter()
        .map(|p| p.as_ref().unwrap()["value"][0]["n"].as_i64().unwrap())
        .collect();
    assert_eq!(ns, vec![1, 2, 3]);
    let seen = log.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].method, "POST");
    assert_eq!(
        (seen[1].method.as_str(), seen[1].query("page")),
        ("GET", Some("2"))
    );
    assert_eq!(
        (seen[2].method.as_str(), seen[2].query("page")),
        ("GET", Some("3"))
    );
    // Every page goes out with the connection's key.
    for s in &seen {
        assert_eq!(s.header("X-API-Key"), Some("imis-key"));
    }
}

#[tokio::test]
async fn polling_trigger_carries_state_in_the_location_imis() {
    use connectorkit_tests::imis::ActivityTriggerPollSuccess;
    let (url, log) = server().await;
    let client = imis(&url);
    let stream = client
        .activity_trigger_poll_stream(std::time::Duration::from_millis(1))
        .unwrap();
    let mut stream = std::pin::pin!(stream);
    let first = stream.next().await.unwrap().unwrap();
    let ActivityTriggerPollSuccess::Ok(list) = first else {
        panic!("expected new activities, got {first:?}");
    };
    let value = list.value.unwrap_or_default();
    assert_eq!(value.len(), 1);
    assert_eq!(
        (value[0].id.as_str(), value[0].activity_type.as_str()),
        ("act-41", "EVENT")
    );
    let seen = log.lock().unwrap().clone();
    // The first poll carries the internal constant; the next goes to the Location.
    assert_eq!(seen[0].query("sequence"), Some("0"));
    assert_eq!(seen[1].query("sequence"), Some("41"));
    for s in &seen {
        assert_eq!(
            (s.method.as_str(), s.path.as_str()),
            ("GET", "/trigger/Activity")
        );
        assert_eq!(s.header("X-API-Key"), Some("imis-key"));
    }
    // The stream goes on from the state the last response gave.
    let _ = tokio::time::timeout(std::time::Duration::from_millis(200), stream.next()).await;
    let seen = log.lock().unwrap().clone();
    assert_eq!(seen[2].query("sequence"), Some("42"));
}

#[tokio::test]
async fn dynamic_values_of_a_body_property_imis() {
    let (url, log) = server().await;
    let client = imis(&url);
    // `activityType` is a property of `activity_create`'s body; its choices come from
    // `ActivityMetadata_TypeList`, whose body is the array of values itself.
    let choices = client
        .activity_create_activity_type_choices()
        .await
        .unwrap();
    let got: Vec<(&str, &str)> = choices
        .iter()
        .map(|c| (c.value.as_str().unwrap(), c.title.as_str()))
        .collect();
    assert_eq!(got, [("EVENT", "EVENT"), ("GIFT", "GIFT")]);
    let seen = last(&log);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/_metadata/activity/typeList")
    );
    assert_eq!(seen.header("X-API-Key"), Some("imis-key"));
}

#[tokio::test]
async fn impexium_host_from_the_connection_despite_the_policy_spelling() {
    use connectorkit_tests::impexium::{Client, Connection, ListOfExamsParams};
    let (url, log) = server().await;
    // The policy reads `@connectionParameters('HostUrl')/`; the parameter is `hostUrl`.
    let client = Client::new(Connection {
        host_url: url.clone(),
        api_key: "imp-key".into(),
    })
    .unwrap();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        client.list_of_exams(2, &ListOfExamsParams::default()),
    )
    .await
    .expect("no answer in time");
    let seen = last(&log);
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, "/api/v1/Products/Exams/2");
    assert_eq!(seen.header("x-api-key"), Some("imp-key"));
    assert_eq!(log.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn easyvista_host_from_the_connection_despite_the_policy_spelling() {
    use connectorkit_tests::easyvista::{Client, Connection, ViewAssetsListParams};
    let (url, log) = server().await;
    let urls = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    // The policy is `https://@connectionParameters('Host')`, the parameter `host`: the client
    // builds `https://ev.example.test/…`; the hook records that URL and sends the request to
    // the test server.
    let builder = Client::builder().hook(common::Redirect {
        seen: urls.clone(),
        to: url.clone(),
    });
    let client = Client::connect(
        builder,
        Connection {
            host: "ev.example.test".into(),
            username: "ev-user".into(),
            password: "ev-pass".into(),
        },
    )
    .unwrap();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        client.view_assets_list("50004", &ViewAssetsListParams::default()),
    )
    .await
    .expect("no answer in time");
    let urls = urls.lock().unwrap().clone();
    assert_eq!(urls, ["https://ev.example.test/api/v1/50004/assets"]);
    let seen = last(&log);
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, "/api/v1/50004/assets");
    // Basic auth from the username and password parameters.
    assert_eq!(
        seen.header("authorization"),
        Some("Basic ZXYtdXNlcjpldi1wYXNz")
    );
}

#[tokio::test]
async fn almabase_skip_pagination_on_exactly_the_actions_its_policies_name() {
    use connectorkit_tests::almabase::*;
    let (url, log) = server().await;
    let client = Client::new(Connection {
        domain_url: "https://alumni.example.org".into(),
        api_key: "alma-key".into(),
    })
    .unwrap()
    .with_base_url(&format!("{url}/api"))
    .unwrap();
    let deadline = std::time::Duration::from_secs(30);
    tokio::time::timeout(deadline, async {
        let _ = client.list_forms(&ListFormsParams::default()).await;
        let _ = client
            .list_giving_pages(&ListGivingPagesParams::default())
            .await;
        let _ = client.list_funds(&ListFundsParams::default()).await;
        let _ = client
            .list_touchpoint_types(&ListTouchpointTypesParams::default())
            .await;
        let _ = client
            .list_touchpoint_programs(&ListTouchpointProgramsParams::default())
            .await;
        let _ = client.list_events(&ListEventsParams::default()).await;
        let _ = client.list_event_contact_persons(7).await;
        // Not named by any skip_pagination policy.
        let _ = client
            .list_gifts("success", &ListGiftsParams::default())
            .await;
        let _ = client.get_fund(3, &GetFundParams::default()).await;
    })
    .await
    .expect("no answer in time");
    let seen = log.lock().unwrap().clone();
    let got: Vec<(String, Option<String>, Option<String>)> = seen
        .iter()
        .map(|s| {
            (
                s.path.clone(),
                s.query("skip_pagination").map(str::to_string),
                s.header("X-API-ACCESS-TOKEN").map(str::to_string),
            )
        })
        .collect();
    let t = |p: &str| {
        (
            p.to_string(),
            Some("True".to_string()),
            Some("alma-key".to_string()),
        )
    };
    let f = |p: &str| (p.to_string(), None, Some("alma-key".to_string()));
    assert_eq!(
        got,
        vec![
            t("/api/v1/custom_forms/"),
            t("/api/v1/givingx/pages/"),
            t("/api/v1/givingx/funds/"),
            t("/api/v1/almasights/types/"),
            t("/api/v1/almasights/programs/"),
            t("/api/v1/eventsx/"),
            t("/api/v1/eventsx/7/contact_persons/"),
            f("/api/v1/givingx/gifts/"),
            f("/api/v1/givingx/funds/3/"),
        ]
    );
    // Sent once each, not twice.
    assert!(seen.iter().all(|s| s
        .query
        .iter()
        .filter(|(k, _)| k == "skip_pagination")
        .count()
        <= 1));
}
