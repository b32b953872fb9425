#!/usr/bin/env bash
# Compile-time benchmark (issue 17), side by side in one run on this machine.
#
# For GitHub, Stripe and Nexus of the corpus it measures, for connectorkit and for
# openapi-generator's `rust` generator (PyPI `openapi-generator-cli`, pinned below), and for
# Nexus also cargo-progenitor (crates.io, pinned below):
#   - generation: wall time and peak RSS of the generator process;
#   - `cargo check` of the generated crate alone: its dependencies are checked first, then the
#     crate's sources are touched and it is checked again with incremental compilation off;
#     wall time and peak RSS (the largest process, i.e. rustc on the crate);
#   - generated lines (`.rs` files of the crate) per operation.
# With connectorkit's module features (when the generated crate has them), one module is also
# checked alone with `--no-default-features --features <it>`: `FEATURE_<API>`, or the largest.
#
# Prints a table and writes target/bench-compile/results.tsv. Not part of CI: a full run takes
# about half an hour (GitHub's crates are the largest). Figures, never assertions.
#
#   bash bench/compile.sh                 # all three APIs
#   ONLY=nexus bash bench/compile.sh      # one of github, stripe, nexus
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
corpus="${CORPUS:-../shared/corpus}/openapi"
out="${OUT:-target/bench-compile}"
ogc_version="7.26.0"
progenitor_version="0.15.1"
mkdir -p "$out/tools"
out="$(cd "$out" && pwd)"
export CARGO_INCREMENTAL=0

# --- tools, installed here from the package registries ---------------------------------
if [ ! -x "$out/tools/venv/bin/openapi-generator-cli" ]; then
  timeout 600 python3 -m venv "$out/tools/venv"
  timeout 600 "$out/tools/venv/bin/pip" install -q "openapi-generator-cli==$ogc_version"
fi
ogc="$out/tools/venv/bin/openapi-generator-cli"
if [ ! -x "$out/tools/bin/cargo-progenitor" ]; then
  timeout 3600 cargo install -q --locked --root "$out/tools" cargo-progenitor --version "$progenitor_version"
fi
progenitor="$out/tools/bin/cargo-progenitor"
timeout 300 cargo build --release -q -p connectorkit-cli
ck="$root/target/release/connectorkit"

declare -A spec=(
  [github]="$corpus/github/api.github.com.json"
  [stripe]="$corpus/stripe/spec3.json"
  [nexus]="$corpus/oxide/nexus.json"
)
apis=(github stripe nexus)
[ -n "${ONLY:-}" ] && read -r -a apis <<<"$ONLY"

results="$out/results.tsv"
printf 'api\tgenerator\tstep\tseconds\tpeak_mb\tlines\toperations\n' >"$results"

# measure <log-name> <cmd...>: runs cmd under GNU time; sets secs and mb.
measure() {
  local name=$1
  shift
  /usr/bin/time -f '%e %M' -o "$out/$name.time" "$@" >"$out/$name.log" 2>&1 || {
    echo "error: $* failed (see $out/$name.log)" >&2
    tail -n 20 "$out/$name.log" >&2
    return 1
  }
  read -r secs kb <"$out/$name.time"
  mb=$((kb / 1024))
}

operations() {
  node -e '
    const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    let n = 0;
    for (const p of Object.values(d.paths || {}))
      for (const m of ["get","put","post","delete","options","head","patch","trace"]) if (p[m]) n++;
    console.log(n);' "$1"
}

# The crate's own .rs files (its build folder, if any, left out; the bench itself lives under target/).
lines() { find "$1" -path "$1/target" -prune -o -name '*.rs' -print0 | xargs -0 cat | wc -l; }

row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$results"; }

# check_crate <api> <generator> <dir> [cargo args…]: deps first, then the crate alone.
check_crate() {
  local api=$1 gen=$2 dir=$3
  shift 3
  local target="$out/target-$gen"
  (cd "$dir" && CARGO_TARGET_DIR="$target" timeout 3600 cargo check -q "$@" >/dev/null 2>&1) || true
  find "$dir/src" -name '*.rs' -exec touch {} +
  local tag="check${1:+-features}" step="cargo check${*:+ $*}"
  # A crate that does not compile (openapi-generator's Stripe crate has 535 errors) is
  # recorded as failed, with the time rustc took to give up, and the run goes on.
  (cd "$dir" && measure "$api-$gen-$tag" env CARGO_TARGET_DIR="$target" timeout 3600 cargo check "$@") \
    || step="$step (FAILED: $(grep -c '^error' "$out/$api-$gen-$tag.log") errors)"
  read -r secs kb < <(tail -n 1 "$out/$api-$gen-$tag.time")
  mb=$((kb / 1024))
  row "$api" "$gen" "$step" "$secs" "$mb" "" ""
}

for api in "${apis[@]}"; do
  s="${spec[$api]}"
  ops=$(operations "$s")
  echo "== $api ($ops operations)"

  # connectorkit
  d="$out/$api-connectorkit"
  rm -rf "$d"
  measure "$api-connectorkit-generate" "$ck" generate "$s" --out "$d" --name "$api-ck" --runtime-path "$root/runtime"
  n=$(lines "$d")
  row "$api" connectorkit generate "$secs" "$mb" "$n" "$ops"
  # A workspace of its own: the crate is not a member of connectorkit's workspace.
  grep -q '^\[workspace\]' "$d/Cargo.toml" || printf '\n[workspace]\n' >>"$d/Cargo.toml"
  check_crate "$api" connectorkit "$d"
  # One module's feature alone: `FEATURE_<API>` (e.g. FEATURE_GITHUB=repos), or the largest
  # module (the largest `src/client/<module>.rs`).
  feature_var="FEATURE_${api^^}"
  feature="${!feature_var:-}"
  if [ -z "$feature" ] && [ -d "$d/src/client" ]; then
    feature=$(ls -S "$d/src/client" | head -n 1 | sed 's/\.rs$//')
  fi
  if [ -n "$feature" ]; then
    check_crate "$api" connectorkit "$d" --no-default-features --features "$feature"
  fi

  # openapi-generator (rust, reqwest). Its crate version is set: it copies the API's version,
  # and Stripe's `2020-08-27` is no semver.
  d="$out/$api-openapi-generator"
  rm -rf "$d"
  measure "$api-openapi-generator-generate" timeout 1800 "$ogc" generate -g rust -i "$s" -o "$d" \
    --package-name "${api}_ogc" --additional-properties=packageVersion=0.1.0 --skip-validate-spec
  n=$(lines "$d")
  row "$api" openapi-generator generate "$secs" "$mb" "$n" "$ops"
  grep -q '^\[workspace\]' "$d/Cargo.toml" || printf '\n[workspace]\n' >>"$d/Cargo.toml"
  check_crate "$api" openapi-generator "$d"

  # progenitor (Nexus: its own sample)
  if [ "$api" = nexus ]; then
    d="$out/$api-progenitor"
    rm -rf "$d"
    measure "$api-progenitor-generate" timeout 600 "$progenitor" progenitor -i "$s" -o "$d" -n nexus-progenitor -v 0.1.0
    n=$(lines "$d")
    row "$api" progenitor generate "$secs" "$mb" "$n" "$ops"
    grep -q '^\[workspace\]' "$d/Cargo.toml" || printf '\n[workspace]\n' >>"$d/Cargo.toml"
    check_crate "$api" progenitor "$d"
  fi
done

echo
column -t -s $'\t' "$results"
echo
# Ratios: connectorkit over each peer, per API and step.
node -e '
  const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").slice(1)
    .map(l => l.split("\t"));
  const get = (a, g, s) => rows.find(r => r[0] === a && r[1] === g && r[2] === s);
  for (const a of [...new Set(rows.map(r => r[0]))]) {
    const gen = get(a, "connectorkit", "generate");
    if (gen) console.log(`${a}: ${(gen[5] / gen[6]).toFixed(1)} generated lines per operation (connectorkit)`);
    for (const peer of ["openapi-generator", "progenitor"]) {
      for (const step of ["generate", "cargo check"]) {
        const ours = get(a, "connectorkit", step), theirs = get(a, peer, step);
        if (!ours || !theirs) continue;
        console.log(`${a} ${step}: connectorkit/${peer} = ${(ours[3] / theirs[3]).toFixed(2)}x time, ${(ours[4] / theirs[4]).toFixed(2)}x peak memory`);
      }
    }
  }' "$results"
