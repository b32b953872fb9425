#!/usr/bin/env bash
# Issue 16: connectorkit through a real Cargo registry, as a user outside this repository.
#
# 1. Installs Kellnr (a self-hosted Cargo registry with the sparse protocol and `cargo publish`;
#    from crates.io, built once into ${CONNECTORKIT_TOOLS:-~/.cache/connectorkit/tools}) and
#    starts it on 127.0.0.1 in the background (stopped on exit, every wait with a deadline).
#    It serves only our crates: their crates.io dependencies still come from crates.io.
# 2. Publishes connectorkit-generator, connectorkit-macros, connectorkit and connectorkit-cli
#    with `cargo publish --registry`.
# 3. Generates a crate from a corpus definition with the registry options and publishes it.
# 4. Fresh crates in a temporary folder, with their own CARGO_HOME config pointing at the
#    registry and no path dependency: one depends only on the generated crate and calls a local
#    server (python3), checking the answer; one uses `connector!`; one uses build.rs with
#    connectorkit-generator; `cargo install connectorkit-cli` and its `generate` run.
#
# Env: CORPUS (default ../shared/corpus), REGISTRY_PORT (default 38517), KEEP=1 keeps the
# temporary folder. Prints each stage's time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
corpus=${CORPUS:-../shared/corpus}
corpus=$(cd "$corpus" && pwd)
tools=${CONNECTORKIT_TOOLS:-$HOME/.cache/connectorkit/tools}
kellnr_version=6.13.0
port=${REGISTRY_PORT:-38517}
api_port=$((port + 1))
registry=internal
index="sparse+http://127.0.0.1:$port/api/v1/crates/"
# Kellnr's admin token (a throwaway: the registry lives as long as this script).
token=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)
work=$(mktemp -d "${TMPDIR:-/tmp}/connectorkit-registry.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
t0=$(date +%s)
stage() { echo "--> [$(( $(date +%s) - t0 ))s] $*"; }

# Waits until $1 answers (HTTP), at most $2 seconds.
wait_http() {
  local url=$1 limit=$2 i=0
  until curl -fsS -o /dev/null --max-time 2 "$url"; do
    i=$((i + 1))
    if [ "$i" -ge "$limit" ]; then
      echo "error: $url did not answer within ${limit}s" >&2
      return 1
    fi
    sleep 1
  done
}

stage "Kellnr $kellnr_version (installed into $tools when missing)"
if ! "$tools/bin/kellnr" --help >/dev/null 2>&1; then
  # Kellnr's own lock file pins webpki-roots 1.0.11, which the registry no longer serves:
  # build from the published source with that one pin moved to 1.0.10, everything else
  # --locked (a fresh resolution pulls crates that need a newer rustc).
  timeout 300 cargo info "kellnr@$kellnr_version" >/dev/null
  src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"kellnr-$kellnr_version" | head -1)
  cp -r "$src" "$work/kellnr-src"
  (cd "$work/kellnr-src" && timeout 300 cargo update -p webpki-roots@1.0.11 --precise 1.0.10 2>/dev/null || true)
  CARGO_TARGET_DIR="$work/kellnr-target" CARGO_PROFILE_RELEASE_DEBUG=0 timeout 3600 \
    cargo install --path "$work/kellnr-src" --locked --no-default-features --root "$tools"
  rm -rf "$work/kellnr-target" "$work/kellnr-src"
fi

stage "start Kellnr on 127.0.0.1:$port"
mkdir -p "$work/kellnr-data"
env KELLNR_REGISTRY__DATA_DIR="$work/kellnr-data" \
  KELLNR_REGISTRY__AUTH_REQUIRED=false \
  KELLNR_LOCAL__IP=127.0.0.1 KELLNR_LOCAL__PORT="$port" \
  KELLNR_ORIGIN__HOSTNAME=127.0.0.1 KELLNR_ORIGIN__PORT="$port" KELLNR_ORIGIN__PROTOCOL=http \
  KELLNR_SETUP__ADMIN_TOKEN="$token" KELLNR_SETUP__ADMIN_PWD="$token" \
  KELLNR_PROXY__ENABLED=false KELLNR_DOCS__ENABLED=false \
  timeout 3600 "$tools/bin/kellnr" start >"$work/kellnr.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$port/api/v1/health" 120 || { tail -20 "$work/kellnr.log"; exit 1; }

# The generator (the workspace's release build, shared with the other CI steps).
timeout 1800 cargo build --release -q -p connectorkit-cli
cli=$root/target/release/connectorkit

# The registry for every cargo below (the fresh crates get the same in their own CARGO_HOME).
export CARGO_REGISTRIES_INTERNAL_INDEX=$index
export CARGO_REGISTRIES_INTERNAL_TOKEN=$token
export CARGO_REGISTRIES_INTERNAL_CREDENTIAL_PROVIDER=cargo:token
export CARGO_TARGET_DIR=$work/target

# `--no-verify`: the fresh crates below build every published crate from the registry.
stage "cargo publish --registry $registry: connectorkit-generator, connectorkit-macros, connectorkit, connectorkit-cli"
for p in connectorkit-generator connectorkit-macros connectorkit connectorkit-cli; do
  timeout 600 cargo publish --registry "$registry" -p "$p" --no-verify --allow-dirty
done
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

stage "generate a crate from the corpus (oai-examples v3.0 petstore.yaml) with the registry options, publish it"
timeout 600 "$cli" generate \
  "$corpus/openapi/oai-examples/v3.0/petstore.yaml" --out "$work/petstore" \
  --registry "$registry" --crate-version 1.0.0 --license "MIT OR Apache-2.0" \
  --repository https://git.example.com/clients/petstore --description "Pet store client" \
  --authors "connectorkit CI"
grep -q "^name = \"petstore\"" "$work/petstore/Cargo.toml"
grep -q "^publish = \[\"$registry\"\]" "$work/petstore/Cargo.toml"
(cd "$work/petstore" && timeout 600 cargo publish --registry "$registry" --no-verify --allow-dirty)

# Fresh crates: a CARGO_HOME of their own (the registry's config only; crates.io as usual),
# no workspace above them, no path dependency.
fresh_home=$work/cargo-home
mkdir -p "$fresh_home"
cat >"$fresh_home/config.toml" <<EOF
[registries.$registry]
index = "$index"
EOF
# Share the downloaded crates.io crates to spare the network and the disk.
for d in registry git; do
  [ -d "${CARGO_HOME:-$HOME/.cargo}/$d" ] && ln -s "${CARGO_HOME:-$HOME/.cargo}/$d" "$fresh_home/$d"
done
fresh() { env -u CARGO_REGISTRIES_INTERNAL_INDEX -u CARGO_REGISTRIES_INTERNAL_TOKEN \
  -u CARGO_REGISTRIES_INTERNAL_CREDENTIAL_PROVIDER CARGO_HOME="$fresh_home" "$@"; }
mkdir -p "$work/fresh"
manifest() { # name, dependencies...
  local name=$1
  shift
  mkdir -p "$work/fresh/$name/src"
  {
    printf '[package]\nname = "%s"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n[workspace]\n\n[dependencies]\n' "$name"
    printf '%s\n' "$@"
  } >"$work/fresh/$name/Cargo.toml"
}

stage "fresh crate 1: depends only on the generated crate (and tokio), calls a local server"
manifest uses-generated "petstore = { version = \"1.0.0\", registry = \"$registry\" }" \
  'tokio = { version = "1", features = ["macros", "rt"] }'
cat >"$work/fresh/uses-generated/src/main.rs" <<'EOF'
use petstore::{Client, ListPetsParams};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = std::env::args().nth(1).ok_or("usage: uses-generated <BASE_URL>")?;
    // The runtime comes re-exported: no second dependency to keep in step.
    let policy = petstore::connectorkit::RetryPolicy::default();
    let client = Client::from_runtime(Client::builder().retry(policy).build()?).with_base_url(&base)?;
    let pets = client
        .list_pets(&ListPetsParams { limit: Some(2), ..Default::default() })
        .await?;
    for pet in &pets {
        println!("{} {}", pet.id, pet.name);
    }
    match client.show_pet_by_id("404").await {
        Err(petstore::connectorkit::Error::Api(e)) => {
            println!("typed error {}: {:?}", e.status, e.body.map(|b| b.message));
        }
        other => return Err(format!("expected a 404, got {other:?}").into()),
    }
    Ok(())
}
EOF
cat >"$work/api.py" <<'EOF'
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

class Api(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/v1/pets?") or self.path == "/v1/pets":
            status, body = 200, [{"id": 1, "name": "Rex", "tag": "dog"}, {"id": 2, "name": "Tom"}]
        else:
            status, body = 404, {"code": 404, "message": "no pet " + self.path.rsplit("/", 1)[-1]}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass

HTTPServer(("127.0.0.1", int(sys.argv[1])), Api).serve_forever()
EOF
timeout 600 python3 "$work/api.py" "$api_port" &
pids+=($!)
wait_http "http://127.0.0.1:$api_port/v1/pets" 30
(cd "$work/fresh/uses-generated" && fresh timeout 900 cargo build -q)
out=$(timeout 60 "$CARGO_TARGET_DIR/debug/uses-generated" "http://127.0.0.1:$api_port/v1")
echo "$out"
grep -q "^1 Rex$" <<<"$out"
grep -q "^2 Tom$" <<<"$out"
grep -q 'typed error 404: Some("no pet 404")' <<<"$out"

stage "fresh crate 2: connector! from the registry"
manifest uses-macro "connectorkit = { version = \"$version\", registry = \"$registry\" }" \
  'serde = { version = "1", features = ["derive"] }' 'serde_json = "1"'
cp "$corpus/openapi/oai-examples/v3.0/petstore.yaml" "$work/fresh/uses-macro/petstore.yaml"
cat >"$work/fresh/uses-macro/src/lib.rs" <<'EOF'
connectorkit::connector!("petstore.yaml", module = petstore);

pub fn client() -> Result<petstore::Client, connectorkit::BuildError> {
    petstore::Client::new()
}
EOF
(cd "$work/fresh/uses-macro" && fresh timeout 900 cargo build -q)

stage "fresh crate 3: build.rs with connectorkit-generator from the registry"
manifest uses-build-rs "connectorkit = { version = \"$version\", registry = \"$registry\", default-features = false }" \
  'serde = { version = "1", features = ["derive"] }' 'serde_json = "1"' '' '[build-dependencies]' \
  "connectorkit-generator = { version = \"$version\", registry = \"$registry\" }"
cp "$corpus/openapi/oai-examples/v3.0/petstore.yaml" "$work/fresh/uses-build-rs/petstore.yaml"
cat >"$work/fresh/uses-build-rs/build.rs" <<'EOF'
fn main() -> Result<(), connectorkit_generator::build::Error> {
    connectorkit_generator::compile("petstore.yaml")?;
    Ok(())
}
EOF
cat >"$work/fresh/uses-build-rs/src/lib.rs" <<'EOF'
pub mod petstore {
    include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
}

pub fn client() -> Result<petstore::Client, connectorkit::BuildError> {
    petstore::Client::new()
}
EOF
(cd "$work/fresh/uses-build-rs" && fresh timeout 900 cargo build -q)

stage "cargo install connectorkit-cli --registry $registry, then its generate"
(cd "$work" && fresh timeout 1200 cargo install -q connectorkit-cli --registry "$registry" --version "$version" --root "$work/cli")
"$work/cli/bin/connectorkit" --version
timeout 120 "$work/cli/bin/connectorkit" generate "$corpus/openapi/oai-examples/v3.0/petstore.yaml" \
  --out "$work/installed-cli-out" --registry "$registry"
grep -q "registry = \"$registry\"" "$work/installed-cli-out/Cargo.toml"
(cd "$work/installed-cli-out" && fresh timeout 900 cargo check -q)

stage "registry: 5 crates published, 3 fresh crates built, the installed CLI generated a crate that builds"
