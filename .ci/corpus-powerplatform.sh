#!/usr/bin/env bash
# Generates every Power Platform connector folder of the corpus into one workspace and runs
# clippy with warnings denied. Connectors that cannot be read are reported (located) and
# counted; the step fails only if a generated crate does not compile cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${CORPUS:-../shared/corpus}/powerplatform"
out="${OUT:-target/corpus-powerplatform}"
mapfile -d '' dirs < <(find "$corpus" -mindepth 2 -maxdepth 2 -type d -print0 | sort -z)
cargo build --release -q -p connectorkit-cli
rm -rf "$out"
t0=$(date +%s)
log="$(dirname "$out")/corpus-powerplatform.log"
status=0
./target/release/connectorkit generate -v "${dirs[@]}" --out "$out" --runtime-path runtime 2>"$log" || status=$?
t1=$(date +%s)
crates=$(find "$out" -mindepth 2 -maxdepth 2 -name Cargo.toml | wc -l)
echo "generated $crates crates from ${#dirs[@]} connector folders in $((t1 - t0))s (exit $status)"
echo "diagnostics by kind (full log: $log):"
grep -oE "(warning|error)\[[^]]*\]" "$log" | sort | uniq -c | sort -rn || true
if [ "$crates" -ne "${#dirs[@]}" ]; then
  echo "error: $(( ${#dirs[@]} - crates )) connector(s) did not generate" >&2
  exit 1
fi
(cd "$out" && CARGO_TARGET_DIR="$PWD/target" cargo clippy --workspace -q -- -D warnings)
t2=$(date +%s)
echo "clippy (check + lints, -D warnings) of the generated connector crates: $((t2 - t1))s"
# prettyplease renders doc attributes as `///`; a `#[doc = …]` left in the output means a
# macro body that was not laid out.
if grep -rl '#\[doc = ' "$out"/*/src; then
  echo "error: generated code above has macro bodies left unformatted" >&2
  exit 1
fi
