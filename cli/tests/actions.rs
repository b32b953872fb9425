//! `connectorkit actions`: the table and the JSON of every input kind (OpenAPI, a Power
//! Platform connector folder, a Postman collection), and a missing input.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn actions(args: &[&str]) -> (bool, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_connectorkit"))
        .arg("actions")
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

fn json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    let (ok, out, err) = actions(&a);
    assert!(ok, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn action<'v>(doc: &'v Value, name: &str) -> &'v Value {
    doc["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no action {name}"))
}

#[test]
fn the_petstore_table_lists_every_action_with_its_module_and_auth() {
    let (ok, out, err) = actions(&["examples/petstore/petstore.yaml"]);
    assert!(ok, "{err}");
    // Not a terminal: nothing is cut.
    let expected = "\
ACTION            KIND    METHOD  PATH                     MODULE  AUTH            SUMMARY
list_pets         action  GET     /pets                    pets    api_key         List pets
create_pet        action  POST    /pets                    pets    api_key         Create a pet
get_pet           action  GET     /pets/{petId}            pets    bearer          Get one pet
delete_pet        action  DELETE  /pets/{petId}            pets    basic           Delete a pet
upload_photo      action  PUT     /pets/{petId}/photo      pets    api_key_query   Upload a photo (raw bytes)
upload_documents  action  POST    /pets/{petId}/documents  pets    session_cookie  Upload documents (multipart)
login             action  POST    /login                   login   -               Log in with a form

Connectorkit Petstore: 7 action(s) (0 trigger(s)) in 2 module(s); auth: api_key (apiKey, `with_api_key`), api_key_query (apiKey, `with_api_key_query`), basic (http basic, `with_basic`), bearer (http bearer, `with_bearer`), session_cookie (apiKey, `with_session_cookie`)
";
    assert_eq!(out, expected);
}

#[test]
fn the_petstore_json_has_parameters_statuses_and_auth() {
    let doc = json(&["examples/petstore/petstore.yaml"]);
    assert_eq!(doc["title"], "Connectorkit Petstore");
    assert_eq!(doc["actions"].as_array().unwrap().len(), 7);
    assert_eq!(doc["modules"].as_array().unwrap().len(), 2);
    let list = action(&doc, "list_pets");
    assert_eq!(list["method"], "GET");
    assert_eq!(list["path"], "/pets");
    assert_eq!(list["module"], "pets");
    assert_eq!(list["auth"], serde_json::json!([["api_key"]]));
    let limit = list["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .expect("the limit parameter");
    assert_eq!(limit["in"], "query");
    assert_eq!(limit["required"], false);
    let get = action(&doc, "get_pet");
    assert_eq!(get["auth"], serde_json::json!([["bearer"]]));
    assert!(
        get["success"].as_array().unwrap().contains(&"200".into()),
        "{get}"
    );
    let login = action(&doc, "login");
    assert_eq!(login["module"], "login");
    assert_eq!(login["auth"], serde_json::json!([]));
}

#[test]
fn a_connector_folder_lists_its_trigger_and_policy_headers() {
    let doc = json(&["../shared/corpus/powerplatform/certified-connectors/Airmeet"]);
    let trigger = action(&doc, "airmeet_triggers");
    assert_eq!(trigger["kind"], "webhook");
    assert_eq!(
        trigger["module"],
        Value::Null,
        "a webhook is in every build"
    );
    assert_eq!(trigger["auth"], serde_json::json!([["basic_auth"]]));
    let headers: Vec<&str> = trigger["policy_values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(headers.contains(&"x-access-key"), "{headers:?}");
    let (ok, table, err) =
        actions(&["../shared/corpus/powerplatform/certified-connectors/Airmeet"]);
    assert!(ok, "{err}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("airmeet_triggers ") && l.contains(" webhook ")),
        "{table}"
    );
    assert!(table.contains("(1 trigger(s))"), "{table}");
}

#[test]
fn a_postman_collections_nested_folders_are_in_their_top_folders_module() {
    let doc = json(&["../shared/corpus/postman/adyen__balance-platform-v2.json"]);
    let modules = doc["modules"].as_array().unwrap();
    // 23 top folders; their 62 nested folders are not modules of their own.
    assert_eq!(modules.len(), 23, "{modules:?}");
    let payouts = modules
        .iter()
        .find(|m| m["name"] == "managed_payout_schedules")
        .expect("the top folder's module");
    assert_eq!(payouts["label"], "Managed payout schedules");
    assert_eq!(payouts["actions"], 8);
    let total: u64 = modules.iter().map(|m| m["actions"].as_u64().unwrap()).sum();
    assert_eq!(total, doc["actions"].as_array().unwrap().len() as u64);
}

#[test]
fn a_missing_input_is_a_located_error_and_exit_1() {
    let (ok, out, err) = actions(&["no/such/definition.yaml"]);
    assert!(!ok);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("error[load/io]"), "{err}");
    assert!(err.contains("no/such/definition.yaml"), "{err}");
}
