#!/usr/bin/env bash
# Conformance sweep against Prism (a validating mock server nobody here wrote): every OpenAPI
# and Swagger definition of the OpenAPI sweep (.ci/corpus-openapi.sh), the API-guru ones and
# the first $PP_COUNT (default 50) Power Platform connectors, sorted, are generated with
# `--conformance` into one workspace; each crate's `examples/conformance.rs` calls every
# action through the compiled `Client` methods with schema-valid sample arguments against
# `prism mock -d` started on the definition. Prints a table per definition (actions, called,
# request violations Prism reported, 2xx responses that failed to decode, skipped by reason)
# and the totals; fails when a violation or decode failure is not listed in
# .ci/conformance-prism.baseline (known failures, each with its reason).
#
# ONLY=<substring> limits the sweep to the definitions whose path contains it.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
corpus_root="${CORPUS:-../shared/corpus}"
corpus="$corpus_root/openapi"
out="${OUT:-target/conformance-prism}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
pp_count="${PP_COUNT:-50}"
prism="$root/.ci/node_modules/.bin/prism"
bash .ci/setup.sh
cargo build --release -q -p connectorkit-cli
t0=$(date +%s)

# The OpenAPI sweep's list, read from its script so that the two stay the same.
inputs=()
eval "$(sed -n '/^inputs=(/,/^)/p' .ci/corpus-openapi.sh)"
# The multi-file tree the OpenAPI sweep generates with --ref-root.
eval "$(grep '^separate=' .ci/corpus-openapi.sh)"
inputs+=("$separate/spec/swagger.yaml")
for f in "$corpus"/apisguru/*.json; do
  case " ${inputs[*]} " in *" $f "*) ;; *) inputs+=("$f") ;; esac
done
mapfile -t pp < <(find "$corpus_root"/powerplatform/certified-connectors "$corpus_root"/powerplatform/independent-publisher-connectors \
  -mindepth 1 -maxdepth 1 -type d | sort | head -n "$pp_count")
inputs+=("${pp[@]}")
if [ -n "${ONLY:-}" ]; then
  filtered=()
  for f in "${inputs[@]}"; do case "$f" in *"$ONLY"*) filtered+=("$f") ;; esac; done
  inputs=("${filtered[@]}")
fi

# Everything but the target dir (its compiled dependencies are reused by the next run).
mkdir -p "$out"
find "$out" -mindepth 1 -maxdepth 1 ! -name target -exec rm -rf {} +
mkdir -p "$out/results"
# One crate per definition, named after its position (c000, c001…) so results map back.
members=()
: >"$out/definitions.tsv"
i=0
for f in "${inputs[@]}"; do
  name=$(printf 'c%03d' "$i")
  i=$((i + 1))
  spec="$f"
  if [ -d "$f" ]; then
    spec=$(find "$f" -maxdepth 1 -type f -iname '*.swagger.json' | sort | head -n 1)
  fi
  rel="${f#"$corpus_root"/}"
  ref_root=()
  case "$f" in "$separate"/*) ref_root=(--ref-root "$separate") ;; esac
  printf '%s\t%s\t%s\n' "$name" "$rel" "$spec" >>"$out/definitions.tsv"
  if ./target/release/connectorkit generate "$f" --out "$out/$name" --name "$name" \
      --runtime-path runtime --conformance "${ref_root[@]}" >"$out/results/$name.generate.log" 2>&1 \
      || [ -f "$out/$name/examples/conformance.rs" ]; then
    members+=("$name")
  fi
done
{
  echo '[workspace]'
  echo 'resolver = "2"'
  echo 'members = ['
  for m in "${members[@]}"; do echo "    \"$m\","; done
  echo ']'
  echo
  echo '# Compile time over run time: the programs make one call per action.'
  echo '[profile.dev]'
  echo 'debug = 0'
  echo 'incremental = false'
  echo
  echo '[profile.dev.package."*"]'
  echo 'debug = 0'
} >"$out/Cargo.toml"
t1=$(date +%s)
echo "generated ${#members[@]} of ${#inputs[@]} definitions with --conformance in $((t1 - t0))s"

# Every program in one target dir; a crate that does not compile is reported, not fatal.
(cd "$out" && CARGO_TARGET_DIR="$PWD/target" cargo build --workspace --examples --keep-going -q \
  >"$out/results/build.log" 2>&1) || echo "some conformance programs did not compile (see $out/results/build.log)"
t2=$(date +%s)
echo "built the conformance programs in $((t2 - t1))s"

. .ci/prism-lib.sh

while IFS=$'\t' read -r name rel spec; do
  res="$out/results/$name"
  bin="$out/target/debug/examples/$name-conformance"
  if [ ! -x "$bin" ]; then
    if [ -f "$out/$name/examples/conformance.rs" ]; then
      echo "definition skipped: the conformance program did not compile" >"$res.skip"
    else
      echo "definition skipped: not generated: $(grep -m1 -E 'error' "$res.generate.log" || true)" >"$res.skip"
    fi
    continue
  fi
  run_with_prism "$spec" "$bin" "$res"
done <"$out/definitions.tsv"
t3=$(date +%s)
echo "ran the conformance programs against Prism in $((t3 - t2))s"

node .ci/conformance-report.mjs "$out" .ci/conformance-prism.baseline
echo "conformance sweep: $((t3 - t0))s in all"
