//! The CLI-generated client against a local server (the shared usage file).

use generated_crate_user::petstore as api;

include!("../../petstore/usage.rs");
