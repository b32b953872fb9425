#!/usr/bin/env bash
# Round trip of every named type (issue 15). Every visible definition is generated with its
# round-trip harness into one workspace; json-schema-faker makes instances of every named
# type from the normalized document (.ci/roundtrip.mjs sample, Ajv-checked); one build
# compiles every crate's `roundtrip_<crate>` example (debug = 0); each decodes and
# re-encodes its instances; .ci/roundtrip.mjs compare prints a per-definition table and
# totals and fails on a failure not listed in .ci/roundtrip-baseline.tsv.
# ROUNDTRIP_INPUTS="a.json b.yaml" limits the run to those definitions, CONNECTORKIT names
# the CLI binary to use and ROUNDTRIP_TARGET the cargo target dir (cli/tests/roundtrip.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${CORPUS:-../shared/corpus}"
out="${OUT:-target/roundtrip}"
baseline="${BASELINE:-.ci/roundtrip-baseline.tsv}"
if [ -n "${ROUNDTRIP_INPUTS:-}" ]; then
  read -r -a inputs <<< "$ROUNDTRIP_INPUTS"
else
  o="$corpus/openapi"
  inputs=(
    "$o/github/api.github.com.json" "$o/stripe/spec3.json" "$o/oxide/nexus.json"
    "$o/oxide/buildomat.json" "$o/oxide/param-collision.json" "$o/discord/openapi.json"
    "$o/spotify/fixed-spotify-open-api.yml" "$o/twilio/twilio_messaging_v1.yaml"
    "$o/xero/xero_accounting.yaml" "$o/digitalocean/DigitalOcean-public.v2.yaml"
    "$o"/oai-examples/v3.0/* "$o"/oai-examples/v3.1/* "$o"/oai-examples/v3.2/*
    "$o/kubernetes/swagger.json" "$o"/autorest-testserver/*.json
    "$o/oai-examples/v2.0/petstore.yaml" "$o/oai-examples/v2.0/uber.json"
    "$o"/apisguru/*
    "$corpus"/powerplatform/*/*
    "$corpus"/postman/*.json
  )
fi
bash .ci/setup.sh >/dev/null
cli="${CONNECTORKIT:-}"
if [ -z "$cli" ]; then
  cargo build --release -q -p connectorkit-cli
  cli=./target/release/connectorkit
fi
target="${ROUNDTRIP_TARGET:-$out/target}"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
t0=$(date +%s)
# Errors in parts of a definition are the corpus sweeps' business: the crates are written
# without the parts at fault, and those are tested here.
if [ ${#inputs[@]} -eq 1 ]; then
  # One input makes a crate, not a workspace: make the workspace around it.
  one=$(basename "${inputs[0]}" | sed 's/\..*//; s/[^A-Za-z0-9]/-/g' | tr 'A-Z' 'a-z')
  "$cli" generate "${inputs[0]}" --out "$out/$one" --name "$one" --runtime-path runtime \
    --roundtrip-harness 2>"$out.generate.log" || true
  printf '[workspace]\nresolver = "2"\nmembers = [\n    "%s",\n]\n' "$one" > "$out/Cargo.toml"
else
  "$cli" generate "${inputs[@]}" --out "$out" --runtime-path runtime \
    --roundtrip-harness 2>"$out.generate.log" || true
fi
mapfile -t crates < <(sed -n 's/^    "\(.*\)",$/\1/p' "$out/Cargo.toml")
printf '[profile.dev]\ndebug = 0\n' >> "$out/Cargo.toml"
t1=$(date +%s)
echo "generated ${#crates[@]} of ${#inputs[@]} definitions in $((t1 - t0))s"
node .ci/roundtrip.mjs sample "${crates[@]/#/$out/}"
t2=$(date +%s)
echo "sampled instances in $((t2 - t1))s"
CARGO_TARGET_DIR="$target" cargo build -q --manifest-path "$out/Cargo.toml" --workspace --all-features --examples
t3=$(date +%s)
echo "built ${#crates[@]} round-trip programs in $((t3 - t2))s"
for c in "${crates[@]}"; do
  "$target/debug/examples/roundtrip_${c//-/_}" < "$out/$c/roundtrip/instances.json" \
    > "$out/$c/roundtrip/results.json" || echo "error: the round-trip program of $c failed" >&2
done
t4=$(date +%s)
echo "ran them in $((t4 - t3))s"
node .ci/roundtrip.mjs compare "$out/report.json" "$baseline" "${crates[@]/#/$out/}"
echo "round trip: $(( $(date +%s) - t0 ))s in all"
