#!/usr/bin/env bash
# Module features of the OpenAPI corpus (issue 17), on the workspace .ci/corpus-openapi.sh
# wrote (which clippy checked with --all-features): clippy (warnings denied) on every crate
# with its default features, then on every crate that has module features with
# `--no-default-features` and one module's feature, twice: its largest module and its
# smallest (by the size of `src/client/<module>.rs`). A partial build must compile without
# a warning: no type missing from a module's closure, no `Serialize` a request needs left to
# `serialize-all`, no helper left unused.
#
#   bash .ci/corpus-openapi.sh && bash .ci/corpus-features.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-target/corpus-openapi}"
if [ ! -f "$out/Cargo.toml" ]; then
  echo "error: $out has no generated workspace: run .ci/corpus-openapi.sh first" >&2
  exit 1
fi
t0=$(date +%s)
# The default build (every module, no `serialize-all`, no `all-schemas`): what most users
# compile. corpus-openapi.sh checked --all-features.
(cd "$out" && CARGO_TARGET_DIR="$PWD/target" timeout 3000 cargo clippy --workspace -q -- -D warnings)
echo "default features: every crate clean in $(($(date +%s) - t0))s"
crates=0
builds=0
failed=0
for dir in "$out"/*/; do
  [ -d "$dir/src/client" ] || continue
  name=$(sed -n 's/^name = "\(.*\)"$/\1/p' "$dir/Cargo.toml" | head -n 1)
  # Module files by size, largest first.
  mapfile -t modules < <(ls -S "$dir/src/client" | sed 's/\.rs$//')
  [ "${#modules[@]}" -gt 1 ] || continue
  crates=$((crates + 1))
  picks=("${modules[0]}" "${modules[${#modules[@]}-1]}")
  for feature in "${picks[@]}"; do
    t=$(date +%s)
    if (cd "$out" && CARGO_TARGET_DIR="$PWD/target" timeout 1800 cargo clippy -q -p "$name" \
      --no-default-features --features "$feature" -- -D warnings); then
      echo "  $name --features $feature: ok in $(($(date +%s) - t))s (of ${#modules[@]} modules)"
    else
      echo "error: $name --no-default-features --features $feature does not build cleanly" >&2
      failed=$((failed + 1))
    fi
    builds=$((builds + 1))
  done
done
echo "module features: $crates crates, $builds single-feature clippy builds, $failed failed, in $(($(date +%s) - t0))s"
[ "$failed" -eq 0 ]
