#!/usr/bin/env bash
# Postman corpus sweep: generates every collection of ../shared/corpus/postman into one
# workspace and runs clippy with warnings denied; converts each to OpenAPI 3.0 and validates
# the output with swagger-parser (an independent validator). Prints collections, requests,
# generated methods, every dropped request with its diagnostic, diagnostics per kind and
# timings. Fails if a collection does not generate, the workspace does not compile cleanly,
# or a converted document is invalid.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${CORPUS:-../shared/corpus}/postman"
out="${OUT:-target/corpus-postman}"
bin="${CONNECTORKIT:-./target/release/connectorkit}"
mapfile -d '' files < <(find "$corpus" -maxdepth 1 -name '*.json' -print0 | sort -z)
if [ -z "${CONNECTORKIT:-}" ]; then cargo build --release -q -p connectorkit-cli; fi
bash .ci/setup.sh
rm -rf "$out"
mkdir -p "$(dirname "$out")"
log="$(dirname "$out")/corpus-postman.log"
t0=$(date +%s)
status=0
"$bin" generate -v "${files[@]}" --out "$out" --runtime-path runtime 2>"$log" || status=$?
t1=$(date +%s)
crates=$(find "$out" -mindepth 2 -maxdepth 2 -name Cargo.toml | wc -l)
requests=$(node .ci/postman-requests.mjs "${files[@]}" | awk -F'\t' '{s += $1} END {print s}')
methods=$(find "$out" -path "$out/target" -prune -o -path "*/src/client*" -name "*.rs" -print0 | xargs -0 cat | grep -c 'pub async fn ' || true)
dropped=$(grep -c 'is dropped' "$log" || true)
echo "collections: ${#files[@]}; crates generated: $crates (exit $status) in $((t1 - t0))s"
echo "requests: $requests; generated methods: $methods; dropped requests: $dropped"
if [ "$dropped" -gt 0 ]; then
  echo "dropped requests and why:"
  grep -A1 'is dropped' "$log" | grep -v '^--$' | sed 's/^/  /'
fi
echo "diagnostics by kind (full log: $log):"
grep -oE "(warning|error)\[[^]]*\]" "$log" | sort | uniq -c | sort -rn || true
if [ "$crates" -ne "${#files[@]}" ]; then
  echo "error: $(( ${#files[@]} - crates )) collection(s) did not generate" >&2
  exit 1
fi
# convert → OpenAPI 3.0, validated independently.
conv="$(dirname "$out")/corpus-postman-openapi"
rm -rf "$conv"
mkdir -p "$conv"
# `convert` exits 1 when an error was reported (a dropped request) but still writes the
# document; a missing document is what fails here.
for f in "${files[@]}"; do
  "$bin" convert "$f" -o "$conv/$(basename "$f")" 2>/dev/null || [ -s "$conv/$(basename "$f")" ]
done
t2=$(date +%s)
node .ci/validate-openapi.mjs "$conv"/*.json >"$conv.validation.log" || {
  grep -A6 INVALID "$conv.validation.log" >&2
  tail -1 "$conv.validation.log" >&2
  exit 1
}
tail -1 "$conv.validation.log"
t3=$(date +%s)
echo "convert + validate: $((t3 - t1))s"
(cd "$out" && CARGO_TARGET_DIR="$PWD/target" cargo clippy --workspace -q -- -D warnings)
t4=$(date +%s)
echo "clippy (check + lints, -D warnings) of the generated collection crates: $((t4 - t3))s"
if grep -rl '#\[doc = ' "$out"/*/src; then
  echo "error: generated code above has macro bodies left unformatted" >&2
  exit 1
fi
echo "sweep total: $((t4 - t0))s"
