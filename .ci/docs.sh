#!/usr/bin/env bash
# Issue 16: the docs of generated crates. Generates a sample of the corpus into one workspace
# — OpenAPI/Swagger (every oai-examples definition plus the smallest others), Power Platform
# connectors and Postman collections, the smallest of each kind so the step stays short — and
# runs `RUSTDOCFLAGS=-D warnings cargo doc --no-deps` (no rustdoc warning: bare URLs, broken
# intra-doc links, unclosed HTML) and `cargo test --doc` (each crate's README example, a
# `no_run` doctest, compiles). Prints how many crates and the time of each part.
#
# Env: CORPUS (default ../shared/corpus), OUT (default target/docs-sample), PER_KIND (default
# 12 per kind).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${CORPUS:-../shared/corpus}"
out="${OUT:-target/docs-sample}"
per_kind=${PER_KIND:-12}

# The smallest files of a list (NUL-separated paths on stdin), at most $1.
smallest() { xargs -0 -r du -b | sort -n | head -n "$1" | cut -f2-; }

mapfile -t openapi < <(
  {
    find "$corpus/openapi/oai-examples" -type f \( -name '*.yaml' -o -name '*.json' \) \
      -not -path '*separate*' -print0
  } | smallest "$per_kind"
)
mapfile -t postman < <(find "$corpus/postman" -maxdepth 1 -type f -name '*.json' -print0 | smallest "$per_kind")
# A connector folder's size is its definition's.
mapfile -t powerplatform < <(
  find "$corpus/powerplatform" -mindepth 3 -maxdepth 3 -iname '*.swagger.json' -print0 |
    smallest "$per_kind" | xargs -r -d '\n' -n1 dirname
)
inputs=("${openapi[@]}" "${postman[@]}" "${powerplatform[@]}")

cargo build --release -q -p connectorkit-cli
rm -rf "$out"
t0=$(date +%s)
log="$(dirname "$out")/docs-sample.log"
status=0
./target/release/connectorkit generate "${inputs[@]}" --out "$out" --runtime-path runtime 2>"$log" || status=$?
crates=$(find "$out" -mindepth 2 -maxdepth 2 -name Cargo.toml | wc -l)
echo "generated $crates crates (${#openapi[@]} OpenAPI/Swagger, ${#postman[@]} Postman, ${#powerplatform[@]} Power Platform) in $(( $(date +%s) - t0 ))s (exit $status)"
if [ "$crates" -ne "${#inputs[@]}" ]; then
  echo "error: $(( ${#inputs[@]} - crates )) definition(s) did not generate (see $log)" >&2
  exit 1
fi
t1=$(date +%s)
(cd "$out" && CARGO_TARGET_DIR="$PWD/target" RUSTDOCFLAGS="-D warnings" cargo doc --workspace --all-features --no-deps -q)
t2=$(date +%s)
echo "RUSTDOCFLAGS=-D warnings cargo doc --no-deps: $crates crates clean in $((t2 - t1))s"
(cd "$out" && CARGO_TARGET_DIR="$PWD/target" cargo test --workspace --doc 2>&1) >"$out/doctests.log" || {
  grep -E "^(error|test .* FAILED|---- )" -A12 "$out/doctests.log" | head -80
  echo "error: a crate example does not compile (full log: $out/doctests.log)" >&2
  exit 1
}
passed=$(grep -oE "test result: ok\. [0-9]+ passed" "$out/doctests.log" | awk '{s += $4} END {print s + 0}')
t3=$(date +%s)
echo "cargo test --doc: $passed crate examples compiled (no_run) in $((t3 - t2))s"
if [ "$passed" -lt "$crates" ]; then
  echo "error: $crates crates but $passed doctests passed" >&2
  exit 1
fi
echo "$passed passed, 0 failed"
