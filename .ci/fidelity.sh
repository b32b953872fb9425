#!/usr/bin/env bash
# Type fidelity (issue 15) in one step: the round trip of every named type and the
# conformance sweep against Prism, sharing one generation and one build.
#
# 1. generate: every visible definition (the OpenAPI sweep's list, the multi-file petstore
#    tree with --ref-root, the API-guru definitions, every Power Platform connector and every
#    Postman collection) is generated ONCE with `--roundtrip-harness` (and `--conformance`
#    where Prism runs, see 5) into one workspace ($OUT), one crate per definition, named as
#    `generate` names it.
# 2. sample: json-schema-faker makes instances of every named type (.ci/roundtrip.mjs sample),
#    in the background while
# 3. build: ONE `cargo build --workspace --all-features --examples` (debug = 0, incremental off), so each
#    generated crate is compiled once for both programs (examples/roundtrip_<crate>.rs and
#    examples/conformance.rs).
# 4. round trip: every crate's round-trip program decodes and re-encodes its instances;
#    .ci/roundtrip.mjs compare checks them against .ci/roundtrip-baseline.tsv.
# 5. Prism: for every OpenAPI/Swagger definition and the first $PP_COUNT (default 50, sorted)
#    Power Platform connectors, `prism mock -d` is started on the definition and the crate's
#    conformance program calls every action through the compiled client;
#    .ci/conformance-report.mjs checks the results against .ci/conformance-prism.baseline.
# Each phase's time is printed. Fails when either comparison finds a failure not listed in
# its baseline. ONLY=<substring> limits the run to the definitions whose path contains it;
# FIDELITY_PRISM=0 stops after the round trip.
#
# FIDELITY_SCOPE=ci (what .ci/run uses) keeps the run within CI's time: only the
# definitions Prism runs on (every OpenAPI/Swagger definition and the first $PP_COUNT Power
# Platform connectors), and of those only the ones whose generated source is at most
# $MAX_LINES (default 20000) lines. The definitions left out are printed, every run: the
# debug build of both programs of a 20k–180k-line crate (GitHub, Stripe, DigitalOcean,
# Kubernetes, Jira, Box, Discord, Xero, Azure ML, Impexium) takes minutes each, and the
# whole corpus did not build within an hour on CI's 2 cores. The limit was 15000 while
# structs derived their serde impls; written out through connectorkit::de/ser they take
# more lines (Easyvista from under 15k to 18.5k) and less compile time, and 20000 keeps the same
# definitions in. FIDELITY_SCOPE=all (the default by hand) runs every visible definition.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
corpus_root="${CORPUS:-../shared/corpus}"
corpus="$corpus_root/openapi"
out="${OUT:-target/fidelity}"
pp_count="${PP_COUNT:-50}"
scope="${FIDELITY_SCOPE:-all}"
max_lines="${MAX_LINES:-20000}"
left_out=()
prism="$root/.ci/node_modules/.bin/prism"
bash .ci/setup.sh >/dev/null
cargo build --release -q -p connectorkit-cli
cli="$root/target/release/connectorkit"
t0=$(date +%s)

# The OpenAPI sweep's list, read from its script so that the two stay the same.
inputs=()
eval "$(sed -n '/^inputs=(/,/^)/p' .ci/corpus-openapi.sh)"
eval "$(grep '^separate=' .ci/corpus-openapi.sh)"
inputs+=("$separate/spec/swagger.yaml")
for f in "$corpus"/apisguru/*.json; do
  case " ${inputs[*]} " in *" $f "*) ;; *) inputs+=("$f") ;; esac
done
mapfile -t pp < <(find "$corpus_root"/powerplatform -mindepth 2 -maxdepth 2 -type d | sort)
mapfile -t pp_prism < <(find "$corpus_root"/powerplatform/certified-connectors "$corpus_root"/powerplatform/independent-publisher-connectors \
  -mindepth 1 -maxdepth 1 -type d | sort | head -n "$pp_count")
inputs+=("${pp[@]}")
inputs+=("$corpus_root"/postman/*.json)
if [ -n "${ONLY:-}" ]; then
  filtered=()
  for f in "${inputs[@]}"; do case "$f" in *"$ONLY"*) filtered+=("$f") ;; esac; done
  inputs=("${filtered[@]}")
fi

# Everything but the target dir (its compiled dependencies are reused by a later run).
mkdir -p "$out"
find "$out" -mindepth 1 -maxdepth 1 ! -name target -exec rm -rf {} +
mkdir -p "$out/results"
# definitions.tsv (read by conformance-report.mjs): crate, definition relative to the
# corpus, the file Prism is started on; only the definitions Prism runs on.
: >"$out/definitions.tsv"
members=()
declare -A taken=()
for f in "${inputs[@]}"; do
  spec="$f"
  [ ! -d "$f" ] || spec=$(find "$f" -maxdepth 1 -type f -iname '*.swagger.json' | sort | head -n 1)
  rel="${f#"$corpus_root"/}"
  ref_root=()
  case "$f" in "$separate"/*) ref_root=(--ref-root "$separate") ;; esac
  # The conformance program only where Prism runs it (an example nobody runs is a link
  # of its own for nothing).
  prism_it=""
  case "$rel" in openapi/*) prism_it=1 ;; esac
  for p in "${pp_prism[@]}"; do if [ "$p" = "$f" ]; then prism_it=1; fi; done
  conformance=()
  if [ -n "$prism_it" ]; then conformance=(--conformance); fi
  rm -rf "$out/.one"
  log="$out/results/generate.$(printf '%s' "$rel" | tr '/' '_').log"
  # Errors in parts of a definition are the corpus sweeps' business: the crate is written
  # without the parts at fault, and those are tested here.
  "$cli" generate "$f" --out "$out/.one" --runtime-path runtime "${conformance[@]}" --roundtrip-harness \
    "${ref_root[@]}" >"$log" 2>&1 || true
  if [ ! -f "$out/.one/Cargo.toml" ]; then
    why="not generated: $(grep -m1 error "$log" | cut -c1-200 || true)"
    echo "$rel: $why"
    if [ -n "$prism_it" ]; then
      skipped=$((${skipped:-0} + 1))
      printf 'not-generated-%s\t%s\t%s\n' "$skipped" "$rel" "$spec" >>"$out/definitions.tsv"
      echo "definition skipped: $why" >"$out/results/not-generated-$skipped.skip"
    fi
    continue
  fi
  name=$(sed -n 's/^name = "\(.*\)"$/\1/p' "$out/.one/Cargo.toml" | head -n 1)
  if [ -n "${taken[$name]:-}" ]; then
    # Two definitions with one title: the second is generated again under another name
    # (the crate name is also the name of its programs).
    n=2
    while [ -n "${taken[$name-$n]:-}" ]; do n=$((n + 1)); done
    name="$name-$n"
    rm -rf "$out/.one"
    "$cli" generate "$f" --out "$out/.one" --name "$name" --runtime-path runtime \
      "${conformance[@]}" --roundtrip-harness "${ref_root[@]}" >"$log" 2>&1 || true
  fi
  if [ "$scope" = ci ]; then
    lines=$( (find "$out/.one/src" -name '*.rs' -exec cat {} + 2>/dev/null || true) | wc -l)
    if [ -z "$prism_it" ] || [ "$lines" -gt "$max_lines" ]; then
      [ -z "$prism_it" ] || left_out+=("$rel ($lines lines)")
      rm -rf "$out/.one"
      continue
    fi
  fi
  taken[$name]=1
  mv "$out/.one" "$out/$name"
  members+=("$name")
  if [ -n "$prism_it" ]; then printf '%s\t%s\t%s\n' "$name" "$rel" "$spec" >>"$out/definitions.tsv"; fi
done
{
  echo '[workspace]'
  echo 'resolver = "2"'
  echo 'members = ['
  for m in "${members[@]}"; do echo "    \"$m\","; done
  echo ']'
  echo
  echo '# Compile time over run time: the programs make one call per action and decode a few'
  echo '# instances per type.'
  echo '[profile.dev]'
  echo 'debug = 0'
  echo 'incremental = false'
  echo
  echo '[profile.dev.package."*"]'
  echo 'debug = 0'
} >"$out/Cargo.toml"
t1=$(date +%s)
echo "generated ${#members[@]} of ${#inputs[@]} definitions in $((t1 - t0))s ($(wc -l <"$out/definitions.tsv") for Prism; scope: $scope)"
if [ "$scope" = ci ]; then
  echo "scope ci: only the definitions Prism runs on; left out for time (generated source over $max_lines lines):"
  for l in "${left_out[@]}"; do echo "  $l"; done
fi

# Sampling (node, one core) runs beside the build (cargo): neither needs the other.
(
  node .ci/roundtrip.mjs sample "${members[@]/#/$out/}"
  echo "sampled instances in $(($(date +%s) - t1))s (beside the build)"
) >"$out/results/sample.log" 2>&1 &
sample_pid=$!
t2=$(date +%s)

# Every program in one target dir; a crate that does not compile is reported, not fatal.
# FIDELITY_TIMINGS=1 adds cargo's --timings report (target/cargo-timings/).
timings=()
if [ -n "${FIDELITY_TIMINGS:-}" ]; then timings=(--timings); fi
(cd "$out" && CARGO_TARGET_DIR="$PWD/target" cargo build --workspace --all-features --examples --keep-going -q "${timings[@]}" \
  >"$root/$out/results/build.log" 2>&1) || echo "some programs did not compile (see $out/results/build.log)"
t3=$(date +%s)
echo "built the round-trip and conformance programs of ${#members[@]} crates in $((t3 - t2))s"
wait "$sample_pid" || { cat "$out/results/sample.log"; echo "error: sampling failed" >&2; exit 1; }
cat "$out/results/sample.log"
t3=$(date +%s)

status=0
for c in "${members[@]}"; do
  bin="$out/target/debug/examples/roundtrip_${c//-/_}"
  if [ -x "$bin" ]; then
    timeout 300 "$bin" <"$out/$c/roundtrip/instances.json" >"$out/$c/roundtrip/results.json" \
      || echo "error: the round-trip program of $c failed" >&2
  fi
done
node .ci/roundtrip.mjs compare "$out/report.json" .ci/roundtrip-baseline.tsv "${members[@]/#/$out/}" || status=1
t4=$(date +%s)
echo "ran the round trips in $((t4 - t3))s"

if [ "${FIDELITY_PRISM:-1}" = 0 ]; then
  echo "fidelity: generate $((t1 - t0))s, build (with sampling beside it) $((t3 - t2))s, round trip $((t4 - t3))s; Prism not run (FIDELITY_PRISM=0)"
  exit "$status"
fi
. .ci/prism-lib.sh
while IFS=$'\t' read -r name rel spec; do
  res="$out/results/$name"
  bin="$out/target/debug/examples/$name-conformance"
  if [ ! -x "$bin" ]; then
    echo "definition skipped: the conformance program did not compile" >"$res.skip"
    continue
  fi
  run_with_prism "$spec" "$bin" "$res"
done <"$out/definitions.tsv"
node .ci/conformance-report.mjs "$out" .ci/conformance-prism.baseline || status=1
t5=$(date +%s)
echo "ran the conformance programs against Prism in $((t5 - t4))s"
echo "fidelity: generate $((t1 - t0))s, build (with sampling beside it) $((t3 - t2))s, round trip $((t4 - t3))s, Prism $((t5 - t4))s; $((t5 - t0))s in all"
exit "$status"
