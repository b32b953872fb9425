#!/usr/bin/env bash
# Issue 16: connectorkit through a real Cargo registry, as a user outside this repository.
#
# The registry server is cargo-http-registry 0.1.8 (crates.io, GPL-3.0-or-later; the binary
# only runs here, nothing of it is linked into our crates). Chosen because CI can afford it
# and it is a real server that `cargo publish` talks to: ~170 crates in its lock file, a cold
# `cargo install --locked` of a few minutes on 2 cores (Kellnr 6.13.0: ~780 crates, over 30
# minutes, a pinned lock file and deps that want a newer rustc). It implements the publish API
# (`PUT /api/v1/crates/new`), keeps the crates on disk and serves a git index over HTTP
# (cargo reads it with `net.git-fetch-with-cli`) and the downloads; no sparse index, no
# authentication (any token). Looked at and left: Kellnr (above), Alexandrie and Freighter
# (a database server and hundreds of crates), ktra (unmaintained since 2022); npm and PyPI
# hold no Cargo registry server.
#
# 1. Installs cargo-http-registry from crates.io into ${CONNECTORKIT_TOOLS:-~/.cache/connectorkit/tools}
#    when missing and starts it on 127.0.0.1 (an ephemeral port, read from the registry's
#    config.json) in the background, stopped on exit, every wait with a deadline.
#    It serves only our crates: their crates.io dependencies still come from crates.io.
# 2. Publishes connectorkit-generator, connectorkit-macros, connectorkit and connectorkit-cli
#    with `cargo publish --registry internal`.
# 3. Generates a crate from a corpus definition with the registry options and publishes it.
# 4. Fresh crates in a temporary folder, with their own CARGO_HOME (config: the registry, and
#    crates.io as usual) and no path dependency: one depends only on the generated crate and
#    calls a local server (python3), checking the answer; one uses `connector!`; one uses
#    build.rs with connectorkit-generator; `cargo install connectorkit-cli --registry internal`
#    and its `generate` run. They share one target folder (the install too, `--debug
#    --target-dir`: the dev profile of the fresh crates, so the crates they share build once).
#
# Env: CORPUS (default ../shared/corpus), REGISTRY_PORT (default 0: any free port), KEEP=1
# keeps the temporary folder. Prints each stage's time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
corpus=${CORPUS:-../shared/corpus}
corpus=$(cd "$corpus" && pwd)
tools=${CONNECTORKIT_TOOLS:-$HOME/.cache/connectorkit/tools}
server_version=0.1.8
registry=internal
work=$(mktemp -d "${TMPDIR:-/tmp}/connectorkit-registry.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
t0=$(date +%s)
last=$t0
# Prints the time so far and the previous stage's.
stage() {
  local now
  now=$(date +%s)
  echo "--> [${now:+$((now - t0))}s; previous stage $((now - last))s] $*"
  last=$now
}

# Waits until $1 answers (HTTP), at most $2 seconds.
wait_http() {
  local url=$1 limit=$2 i=0
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    i=$((i + 1))
    if [ "$i" -ge "$limit" ]; then
      echo "error: $url did not answer within ${limit}s" >&2
      return 1
    fi
    sleep 1
  done
}

stage "cargo-http-registry $server_version (installed into $tools when missing)"
# (Its --help and --version exit 1: whether the binary is there is the test.)
if [ ! -x "$tools/bin/cargo-http-registry" ]; then
  CARGO_TARGET_DIR="$work/server-target" CARGO_PROFILE_RELEASE_DEBUG=0 timeout 1800 \
    cargo install cargo-http-registry --version "$server_version" --locked --root "$tools"
  rm -rf "$work/server-target"
fi

stage "start cargo-http-registry on 127.0.0.1"
timeout 3600 "$tools/bin/cargo-http-registry" --addr "127.0.0.1:${REGISTRY_PORT:-0}" \
  "$work/registry" >"$work/registry.log" 2>&1 &
pids+=($!)
# The registry writes its addresses into config.json (`"api": "http://127.0.0.1:PORT"`).
api=
for _ in $(seq 60); do
  api=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["api"])' \
    "$work/registry/config.json" 2>/dev/null || true)
  [ -n "$api" ] && break
  sleep 1
done
[ -n "$api" ] || { echo "error: the registry wrote no config.json within 60s" >&2; cat "$work/registry.log"; exit 1; }
wait_http "$api/git/HEAD" 30 || { cat "$work/registry.log"; exit 1; }
index="$api/git"
echo "registry index $index"
api_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# Every cargo below runs with a CARGO_HOME of its own: the registry's config (crates.io as
# usual); crates.io's index and downloads shared with the machine's CARGO_HOME to spare the
# network and the disk; the registry's own index and downloads in the temporary folder.
home=$work/cargo-home
mkdir -p "$home"
cat >"$home/config.toml" <<EOF
[registries.$registry]
index = "$index"

# cargo-http-registry serves its git index over "dumb" HTTP, which the git CLI reads.
[net]
git-fetch-with-cli = true
EOF
user_home=${CARGO_HOME:-$HOME/.cargo}
for sub in index cache src; do
  mkdir -p "$home/registry/$sub" "$user_home/registry/$sub"
  for d in "$user_home/registry/$sub"/index.crates.io-*; do
    if [ -e "$d" ]; then ln -s "$d" "$home/registry/$sub/"; fi
  done
done
# The registry checks no token; cargo wants one to publish.
fresh() { env CARGO_HOME="$home" CARGO_REGISTRIES_INTERNAL_TOKEN=unused "$@"; }

# The generator (the workspace's release build, shared with the other CI steps).
timeout 1800 cargo build --release -q -p connectorkit-cli
cli=$root/target/release/connectorkit
# One target folder for everything built below.
export CARGO_TARGET_DIR=$work/target

# cargo publishes a path dependency that names no registry as a crates.io one: publish from a
# copy of this checkout whose three path dependencies between our crates (in
# `[workspace.dependencies]`) say `registry = "internal"`, as the README tells users to.
mkdir "$work/src"
git ls-files -co --exclude-standard -z | tar --null --ignore-failed-read -T - -cf - | tar -xf - -C "$work/src"
sed -i -E "/^connectorkit(-generator|-macros)? = \{ path = /s/ \}\$/, registry = \"$registry\" }/" "$work/src/Cargo.toml"
if [ "$(grep -c "^connectorkit.*registry = \"$registry\" }$" "$work/src/Cargo.toml")" != 3 ]; then
  echo "error: expected 3 path dependencies between our crates in Cargo.toml's [workspace.dependencies]" >&2
  exit 1
fi

# `--no-verify`: the fresh crates below build every published crate from the registry.
stage "cargo publish --registry $registry: connectorkit-generator, connectorkit-macros, connectorkit, connectorkit-cli"
for p in connectorkit-generator connectorkit-macros connectorkit connectorkit-cli; do
  (cd "$work/src" && fresh timeout 600 cargo publish --registry "$registry" -p "$p" --no-verify --allow-dirty)
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
(cd "$work/petstore" && fresh timeout 600 cargo publish --registry "$registry" --no-verify --allow-dirty)
ls "$work/registry"/*.crate 2>/dev/null | sed 's|.*/|published: |' || true

# Fresh crates: no workspace above them, no path dependency.
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
# `--debug` with the fresh crates' target folder: the crates they share with the CLI (the
# generator and its dependencies) are built already.
(cd "$work" && fresh timeout 1200 cargo install -q connectorkit-cli --registry "$registry" \
  --version "$version" --root "$work/cli" --debug --target-dir "$CARGO_TARGET_DIR")
"$work/cli/bin/connectorkit" --version
timeout 120 "$work/cli/bin/connectorkit" generate "$corpus/openapi/oai-examples/v3.0/petstore.yaml" \
  --out "$work/installed-cli-out" --registry "$registry"
grep -q "registry = \"$registry\"" "$work/installed-cli-out/Cargo.toml"
(cd "$work/installed-cli-out" && fresh timeout 900 cargo check -q)

stage "registry: 5 crates published, 3 fresh crates built, the installed CLI generated a crate that builds"
