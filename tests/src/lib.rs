//! Clients generated at build time for the end-to-end tests (see `build.rs`).

/// The example pet store (`examples/petstore/petstore.yaml`): every auth kind, every
/// parameter location, JSON/form/multipart/binary/text bodies, typed errors.
pub mod petstore {
    include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
}

/// Names that are Rust keywords, non-ASCII or empty, and duplicate operationIds
/// (`tests/definitions/hazards.yaml`): it must generate and compile.
pub mod hazards {
    include!(concat!(env!("OUT_DIR"), "/hazards.rs"));
}

/// The `allOf` shapes (`tests/definitions/allof.yaml`): references with annotations,
/// nullable references, merged objects, a primitive alias, conflicting members.
pub mod allof {
    include!(concat!(env!("OUT_DIR"), "/allof.rs"));
}

/// Responses without a documented JSON body (`tests/definitions/bodyless.yaml`): a bare
/// 200, a 204, binary and text bodies, no success response documented.
pub mod bodyless {
    include!(concat!(env!("OUT_DIR"), "/bodyless.rs"));
}

/// Every union shape (`tests/definitions/unions.yaml`): internally and adjacently tagged,
/// discriminated with and without mapping, primitives, untagged with a raw fallback.
pub mod unions {
    include!(concat!(env!("OUT_DIR"), "/unions.rs"));
}

/// Power Platform connector `certified-connectors/AzureAD` (from `../shared/corpus`): the
/// templated `oauth2generic` identity provider.
pub mod azure_ad {
    include!(concat!(env!("OUT_DIR"), "/azure_ad.rs"));
}

/// Power Platform connector `certified-connectors/Airmeet` (from `../shared/corpus`): basic auth whose credentials a `setheader` policy really sends as headers, a region choice in `dynamichosturl`, internal constants, a double-encoded path value, a webhook trigger.
pub mod airmeet {
    include!(concat!(env!("OUT_DIR"), "/airmeet.rs"));
}

/// Power Platform connector `certified-connectors/CognitiveServicesQuestionAnswering` (from `../shared/corpus`): connection parameter sets, the base URL from a connection parameter, the key sent by `setheader`.
pub mod question_answering {
    include!(concat!(env!("OUT_DIR"), "/question_answering.rs"));
}

/// Power Platform connector `independent-publisher-connectors/ExchangeRate` (from `../shared/corpus`): `routerequesttoendpoint` putting the API key into the path.
pub mod exchange_rate {
    include!(concat!(env!("OUT_DIR"), "/exchange_rate.rs"));
}

/// Power Platform connector `certified-connectors/iMIS` (from `../shared/corpus`): `x-ms-pageable` paging.
pub mod imis {
    include!(concat!(env!("OUT_DIR"), "/imis.rs"));
}

/// Power Platform connector `certified-connectors/AikiDocs` (from `../shared/corpus`): an API key in a header.
pub mod aikidocs {
    include!(concat!(env!("OUT_DIR"), "/aikidocs.rs"));
}

/// Power Platform connector `independent-publisher-connectors/Hunter` (from `../shared/corpus`): an API key in the query.
pub mod hunter {
    include!(concat!(env!("OUT_DIR"), "/hunter.rs"));
}

/// Power Platform connector `certified-connectors/FactSet` (from `../shared/corpus`): OAuth2 bearer tokens.
pub mod factset {
    include!(concat!(env!("OUT_DIR"), "/factset.rs"));
}

/// Power Platform connector `certified-connectors/Narvar` (from `../shared/corpus`): HTTP basic
/// auth from securestring connection parameters, a `$`-named path parameter.
pub mod narvar {
    include!(concat!(env!("OUT_DIR"), "/narvar.rs"));
}

/// Power Platform connector `certified-connectors/Impexium` (from `../shared/corpus`): the
/// `dynamichosturl` policy names `HostUrl`, the parameter is declared `hostUrl`.
pub mod impexium {
    include!(concat!(env!("OUT_DIR"), "/impexium.rs"));
}

/// Power Platform connector `certified-connectors/Easyvista_Service._Manager` (from
/// `../shared/corpus`): the `dynamichosturl` policy names `Host`, declared `host`.
pub mod easyvista {
    include!(concat!(env!("OUT_DIR"), "/easyvista.rs"));
}

/// Power Platform connector `certified-connectors/Almabase` (from `../shared/corpus`): four
/// `setQueryParameter` policies set `skip_pagination=True` on seven actions (one spelled
/// `Listforms`).
pub mod almabase {
    include!(concat!(env!("OUT_DIR"), "/almabase.rs"));
}

/// Postman collection `p2oa__users.json` (from `../shared/corpus`): a `:userId` path variable
/// and response types inferred from saved examples.
pub mod postman_users {
    include!(concat!(env!("OUT_DIR"), "/postman_users.rs"));
}

/// Postman collection `p2oa__postman-echo.json` (from `../shared/corpus`): a urlencoded body,
/// and requests that share a method and path kept as separate methods.
pub mod postman_echo {
    include!(concat!(env!("OUT_DIR"), "/postman_echo.rs"));
}

/// Postman collection `schemas__v21-formdata-contentType.json` (from `../shared/corpus`):
/// multipart bodies with file parts.
pub mod postman_formdata {
    include!(concat!(env!("OUT_DIR"), "/postman_formdata.rs"));
}

/// A hand-made Postman collection (`tests/definitions/postman-auth.postman_collection.json`):
/// collection-level API key auth inherited by a folder, a folder overriding it with a bearer
/// token (inherited by its sub-folder), a request-level basic override, and `noauth`.
pub mod postman_auth {
    include!(concat!(env!("OUT_DIR"), "/postman_auth.rs"));
}

/// Postman collection `autodesk__model-derivative-03.json` (from `../shared/corpus`): a URL
/// that is one variable (a signed upload URL) taken as an argument, a binary body, and bearer
/// auth inferred from `Authorization: Bearer {{access_token}}` headers.
pub mod postman_autodesk {
    include!(concat!(env!("OUT_DIR"), "/postman_autodesk.rs"));
}

/// Postman collection `wise__cards-api.json` (from `../shared/corpus`): two base-URL
/// variables (`{{host}}` and `{{pci-host}}`), each settable on the client.
pub mod postman_wise {
    include!(concat!(env!("OUT_DIR"), "/postman_wise.rs"));
}

/// The hostile definitions that generate (`tests/hostile/generates/misroute`): each client
/// sends its requests exactly where the definition says (`tests/hostile_e2e.rs`).
pub mod hostile {
    /// `tests/hostile/generates/misroute`: `oas3_empty_variable_default`.
    pub mod oas3_empty_variable_default {
        include!(concat!(
            env!("OUT_DIR"),
            "/hostile_oas3_empty_variable_default.rs"
        ));
    }
    /// `tests/hostile/generates/misroute`: `oas3_operation_server_without_host`.
    pub mod oas3_operation_server_without_host {
        include!(concat!(
            env!("OUT_DIR"),
            "/hostile_oas3_operation_server_without_host.rs"
        ));
    }
    /// `tests/hostile/generates/misroute`: `oas3_undefined_host_variable`.
    pub mod oas3_undefined_host_variable {
        include!(concat!(
            env!("OUT_DIR"),
            "/hostile_oas3_undefined_host_variable.rs"
        ));
    }
    /// `tests/hostile/generates/misroute`: `postman_base_url_trailing_newline`.
    pub mod postman_base_url_trailing_newline {
        include!(concat!(
            env!("OUT_DIR"),
            "/hostile_postman_base_url_trailing_newline.rs"
        ));
    }
    /// `tests/hostile/generates/misroute`: `postman_protocol_relative`.
    pub mod postman_protocol_relative {
        include!(concat!(
            env!("OUT_DIR"),
            "/hostile_postman_protocol_relative.rs"
        ));
    }
    /// `tests/hostile/generates/misroute`: `postman_undefined_base_url`.
    pub mod postman_undefined_base_url {
        include!(concat!(
            env!("OUT_DIR"),
            "/hostile_postman_undefined_base_url.rs"
        ));
    }
    /// `tests/hostile/generates/misroute`: `postman_undefined_tenant`.
    pub mod postman_undefined_tenant {
        include!(concat!(
            env!("OUT_DIR"),
            "/hostile_postman_undefined_tenant.rs"
        ));
    }
    /// `tests/hostile/generates/misroute`: `postman_unsafe_request_urls`.
    pub mod postman_unsafe_request_urls {
        include!(concat!(
            env!("OUT_DIR"),
            "/hostile_postman_unsafe_request_urls.rs"
        ));
    }
    /// `tests/hostile/generates/misroute`: `pp_connection_parameter_case`.
    pub mod pp_connection_parameter_case {
        include!(concat!(
            env!("OUT_DIR"),
            "/hostile_pp_connection_parameter_case.rs"
        ));
    }
    /// `tests/hostile/generates/misroute`: `pp_connection_sets_host`.
    pub mod pp_connection_sets_host {
        include!(concat!(
            env!("OUT_DIR"),
            "/hostile_pp_connection_sets_host.rs"
        ));
    }
    /// `tests/hostile/generates/misroute`: `pp_host_twice`.
    pub mod pp_host_twice {
        include!(concat!(env!("OUT_DIR"), "/hostile_pp_host_twice.rs"));
    }
    /// `tests/hostile/generates/misroute`: `pp_operation_name_case`.
    pub mod pp_operation_name_case {
        include!(concat!(
            env!("OUT_DIR"),
            "/hostile_pp_operation_name_case.rs"
        ));
    }
    /// `tests/hostile/generates/misroute`: `pp_route_lowercase_method`.
    pub mod pp_route_lowercase_method {
        include!(concat!(
            env!("OUT_DIR"),
            "/hostile_pp_route_lowercase_method.rs"
        ));
    }
    /// `tests/hostile/generates/misroute`: `pp_setheader_twice`.
    pub mod pp_setheader_twice {
        include!(concat!(env!("OUT_DIR"), "/hostile_pp_setheader_twice.rs"));
    }
    /// `tests/hostile/generates/misroute`: `pp_setqueryparameter_twice`.
    pub mod pp_setqueryparameter_twice {
        include!(concat!(
            env!("OUT_DIR"),
            "/hostile_pp_setqueryparameter_twice.rs"
        ));
    }
    /// `tests/hostile/generates/misroute`: `swagger2_mixed_schemes`.
    pub mod swagger2_mixed_schemes {
        include!(concat!(
            env!("OUT_DIR"),
            "/hostile_swagger2_mixed_schemes.rs"
        ));
    }
    /// `tests/hostile/generates/misroute`: `swagger2_placeholder_host`.
    pub mod swagger2_placeholder_host {
        include!(concat!(
            env!("OUT_DIR"),
            "/hostile_swagger2_placeholder_host.rs"
        ));
    }
}
