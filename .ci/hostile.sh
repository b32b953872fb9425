#!/usr/bin/env bash
# The hostile-definition suite (tests/hostile, see its README):
# - generates/*: one `generate` into one workspace, exit 0, then clippy -D warnings on it;
# - refused/*: each `generate` exits non-zero (not a panic or a signal) with a located
#   diagnostic;
# - bombs: written by tests/hostile/bombs/make.py, each run under a timeout with its time
#   and peak memory printed (generous limits here; the figures are what to read).
set -euo pipefail
cd "$(dirname "$0")/.."
suite=tests/hostile
out="${OUT:-target/hostile}"
cargo build --release -q -p connectorkit-cli
bin="$PWD/target/release/connectorkit"
rm -rf "$out"
mkdir -p "$out"

# A case is a file, or a folder (a connector folder, or a tree with a main.* entry).
entry() {
  local c="$1"
  if [ -d "$c" ]; then
    for m in main.yaml main.yml main.json; do
      if [ -f "$c/$m" ]; then echo "$c/$m"; return; fi
    done
  fi
  echo "$c"
}

fail=0
refused=0
while IFS= read -r case; do
  [ -z "$case" ] && continue
  refused=$((refused + 1))
  log="$out/refused.log"
  set +e
  timeout 60 "$bin" generate "$(entry "$case")" --out "$out/refused-out" >"$log.1" 2>&1
  rc=$?
  set -e
  rm -rf "$out/refused-out"
  if [ "$rc" -eq 0 ] || [ "$rc" -ge 100 ]; then
    echo "FAIL refused case exited $rc: $case" >&2
    sed 's/^/    /' "$log.1" >&2
    fail=1
  elif ! grep -Eq ':[0-9]+:[0-9]+' "$log.1"; then
    echo "FAIL refused case gave no located diagnostic: $case" >&2
    sed 's/^/    /' "$log.1" >&2
    fail=1
  fi
done < <(find "$suite/refused" -mindepth 2 -maxdepth 2 \( -type f -o -type d \) ! -name '*.md' | sort)
echo "refused: $refused case(s) checked"

mapfile -t gen < <(find "$suite/generates" -mindepth 2 -maxdepth 2 \( -type f -o -type d \) ! -name '*.md' | sort)
inputs=()
for c in "${gen[@]}"; do inputs+=("$(entry "$c")"); done
echo "generates: ${#inputs[@]} case(s)"
if [ "${#inputs[@]}" -gt 0 ]; then
  if ! timeout 600 "$bin" generate "${inputs[@]}" --out "$out/ws" --runtime-path runtime; then
    echo "FAIL: a generates/ case did not generate cleanly" >&2
    fail=1
  fi
  if [ -f "$out/ws/Cargo.toml" ]; then
    (cd "$out/ws" && CARGO_TARGET_DIR="$PWD/target" timeout 1800 cargo clippy --workspace --all-features -q -- -D warnings) || fail=1
  fi
fi

bombs="$out/bombs"
mkdir -p "$bombs"
python3 "$suite/bombs/make.py" "$bombs"
printf '%-40s %8s %10s %5s\n' bomb seconds "peak MB" exit
for b in $(find "$bombs" -mindepth 1 -maxdepth 1 | sort); do
  set +e
  /usr/bin/time -f '%e %M' -o "$out/time.txt" timeout 60 "$bin" generate "$(entry "$b")" --out "$out/bomb-out" >"$out/bomb.log" 2>&1
  rc=$?
  set -e
  rm -rf "$out/bomb-out"
  read -r secs kb < <(tail -1 "$out/time.txt")
  mb=$((kb / 1024))
  printf '%-40s %8s %10s %5s\n' "$(basename "$b")" "$secs" "$mb" "$rc"
  if [ "$rc" -ge 100 ] || [ "$mb" -gt 2048 ]; then
    echo "FAIL bomb $(basename "$b"): exit $rc, ${mb} MB" >&2
    sed 's/^/    /' "$out/bomb.log" | head -20 >&2
    fail=1
  fi
done

# Bombs named compile-* must also build a crate that passes clippy.
mapfile -t compile < <(find "$bombs" -mindepth 1 -maxdepth 1 -name 'compile-*' | sort)
if [ "${#compile[@]}" -gt 0 ]; then
  cin=()
  for c in "${compile[@]}"; do cin+=("$(entry "$c")"); done
  if timeout 600 "$bin" generate "${cin[@]}" --out "$out/ws-bombs" --runtime-path runtime; then
    (cd "$out/ws-bombs" && CARGO_TARGET_DIR="$PWD/../ws/target" timeout 1800 cargo clippy --workspace --all-features -q -- -D warnings) || fail=1
  else
    echo "FAIL: a compile-* bomb did not generate" >&2
    fail=1
  fi
fi
exit "$fail"
