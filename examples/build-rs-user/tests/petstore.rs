//! The build.rs client against a local server (the shared usage file).

use build_rs_user::petstore as api;

include!("../../petstore/usage.rs");
