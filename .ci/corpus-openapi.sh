#!/usr/bin/env bash
# Generates every OpenAPI 3.x and Swagger 2.0 definition of the corpus into one workspace and runs clippy
# (which includes every rustc check) with warnings denied on the generated crates.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${CORPUS:-../shared/corpus}/openapi"
out="${OUT:-target/corpus-openapi}"
inputs=(
  "$corpus/github/api.github.com.json"
  "$corpus/stripe/spec3.json"
  "$corpus/oxide/nexus.json"
  "$corpus/oxide/buildomat.json"
  "$corpus/oxide/param-collision.json"
  "$corpus/discord/openapi.json"
  "$corpus/spotify/fixed-spotify-open-api.yml"
  "$corpus/twilio/twilio_messaging_v1.yaml"
  "$corpus/xero/xero_accounting.yaml"
  "$corpus/digitalocean/DigitalOcean-public.v2.yaml"
  "$corpus/apisguru/amazonaws-dynamodb.json"
  "$corpus/apisguru/amazonaws-lambda.json"
  "$corpus/apisguru/atlassian-jira.json"
  "$corpus/apisguru/box.json"
  "$corpus"/oai-examples/v3.0/*
  "$corpus"/oai-examples/v3.1/*
  "$corpus"/oai-examples/v3.2/*
  # Swagger 2.0 (converted to 3.0 by normalize)
  "$corpus/kubernetes/swagger.json"
  "$corpus"/autorest-testserver/*.json
  "$corpus/oai-examples/v2.0/petstore.yaml"
  "$corpus/oai-examples/v2.0/uber.json"
)
# A multi-file tree whose entry (spec/swagger.yaml) refers to ../common/Error.yaml: its
# `$ref`s may only read inside the tree, given as --ref-root. Generated on its own, then
# added to the workspace under the name it would have had as the last input above.
separate="$corpus/oai-examples/v2.0/petstore-separate"
cargo build --release -q -p connectorkit-cli
rm -rf "$out"
t0=$(date +%s)
./target/release/connectorkit generate "${inputs[@]}" --out "$out" --runtime-path runtime
./target/release/connectorkit generate "$separate/spec/swagger.yaml" --ref-root "$separate" \
  --out "$out/swagger-petstore-4" --name swagger-petstore-4 --runtime-path runtime
sed -i 's/^]$/    "swagger-petstore-4",\n]/' "$out/Cargo.toml"
t1=$(date +%s)
echo "generated $((${#inputs[@]} + 1)) definitions in $((t1 - t0))s"
find "$out" -path "$out/target" -prune -o -path "*/src/*.rs" -print0 | xargs -0 cat | wc -l | sed 's/$/ generated lines/'
(cd "$out" && CARGO_TARGET_DIR="$PWD/target" cargo clippy --workspace --all-features -q -- -D warnings)
t2=$(date +%s)
echo "clippy (check + lints, -D warnings) of all generated crates: $((t2 - t1))s"
# prettyplease renders doc attributes as `///`; a `#[doc = …]` left in the output means a
# macro body that was not laid out.
if grep -rl '#\[doc = ' "$out"/*/src; then
  echo "error: generated code above has macro bodies left unformatted" >&2
  exit 1
fi
