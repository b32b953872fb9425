//! Generates the clients the end-to-end tests call, from the definitions in
//! `examples/` and `tests/definitions/`, into OUT_DIR.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let defs = [
        (
            "petstore",
            manifest.join("../examples/petstore/petstore.yaml"),
        ),
        ("hazards", manifest.join("definitions/hazards.yaml")),
        ("allof", manifest.join("definitions/allof.yaml")),
        ("bodyless", manifest.join("definitions/bodyless.yaml")),
        ("unions", manifest.join("definitions/unions.yaml")),
    ];
    let pp = manifest.join("../../shared/corpus/powerplatform");
    let connectors = [
        ("azure_ad", "certified-connectors/AzureAD"),
        ("airmeet", "certified-connectors/Airmeet"),
        (
            "question_answering",
            "certified-connectors/CognitiveServicesQuestionAnswering",
        ),
        (
            "exchange_rate",
            "independent-publisher-connectors/ExchangeRate",
        ),
        ("imis", "certified-connectors/iMIS"),
        ("aikidocs", "certified-connectors/AikiDocs"),
        ("hunter", "independent-publisher-connectors/Hunter"),
        ("factset", "certified-connectors/FactSet"),
        ("narvar", "certified-connectors/Narvar"),
        ("impexium", "certified-connectors/Impexium"),
        (
            "easyvista",
            "certified-connectors/Easyvista_Service._Manager",
        ),
        ("almabase", "certified-connectors/Almabase"),
    ];
    let postman = manifest.join("../../shared/corpus/postman");
    let collections = [
        ("postman_users", postman.join("p2oa__users.json")),
        ("postman_echo", postman.join("p2oa__postman-echo.json")),
        (
            "postman_formdata",
            postman.join("schemas__v21-formdata-contentType.json"),
        ),
        (
            "postman_autodesk",
            postman.join("autodesk__model-derivative-03.json"),
        ),
        ("postman_wise", postman.join("wise__cards-api.json")),
        (
            "postman_auth",
            manifest.join("definitions/postman-auth.postman_collection.json"),
        ),
    ];
    let defs: Vec<(&str, PathBuf)> = defs
        .into_iter()
        .chain(connectors.iter().map(|(n, d)| (*n, pp.join(d))))
        .chain(collections)
        .collect();
    for (name, path) in defs {
        generate(name, &path, &out);
    }
    // The hostile definitions that generate (tests/hostile/generates/misroute): one module
    // each, `hostile_<case>` (`-` → `_`, extensions dropped).
    let hostile = manifest.join("hostile/generates/misroute");
    println!("cargo:rerun-if-changed={}", hostile.display());
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&hostile)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    // Refused as a whole (an error for the requests it drops), but the rest of it still
    // generates: its safe requests are tested too.
    cases.push(
        manifest
            .join("hostile/refused/misroute/postman-unsafe-request-urls.postman_collection.json"),
    );
    cases.sort();
    for case in cases {
        let file = case
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = file
            .trim_end_matches(".json")
            .trim_end_matches(".postman_collection")
            .trim_end_matches(".yaml")
            .replace(['-', '.'], "_");
        generate(&format!("hostile_{stem}"), &case, &out);
    }
}

fn generate(name: &str, path: &Path, out: &Path) {
    println!("cargo:rerun-if-changed={}", path.display());
    match connectorkit_generator::generate_module(path) {
        Ok((code, prepared)) => {
            for input in &prepared.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
            let target = out.join(format!("{name}.rs"));
            if let Err(e) = std::fs::write(&target, code) {
                panic!("cannot write {}: {e}", target.display());
            }
        }
        Err(failure) => panic!("cannot generate {name}:\n{failure}"),
    }
}
