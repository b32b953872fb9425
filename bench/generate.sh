#!/usr/bin/env bash
# Generation cost on a large definition (issue 17, part 4): time and peak memory of
# `connectorkit generate` on a ~20 MB OpenAPI document, against a bare `serde_json` parse of the
# same file (cli/examples/parse_json.rs) and the file's size. Targets: generation at most 10x
# the parse's time, peak memory a small multiple of the file size. Figures, never assertions.
#
# The document is GitHub's from the corpus with its paths repeated under `/copy<N>` prefixes
# (operationIds suffixed) until it is at least $SIZE_MB MB (default 20).
#
#   bash bench/generate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
corpus="${CORPUS:-../shared/corpus}/openapi"
out="${OUT:-target/bench-generate}"
size_mb="${SIZE_MB:-20}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

timeout 900 cargo build --release -q -p connectorkit-cli --bin connectorkit --example parse_json
ck="$root/target/release/connectorkit"
parse="$root/target/release/examples/parse_json"

big="$out/big.json"
timeout 300 node -e '
  const fs = require("fs");
  const [src, dst, mb] = process.argv.slice(1);
  const doc = JSON.parse(fs.readFileSync(src, "utf8"));
  const base = doc.paths;
  const out = { ...base };
  const size = () => Buffer.byteLength(JSON.stringify({ ...doc, paths: out }));
  for (let n = 2; size() < mb * 1024 * 1024; n++) {
    for (const [p, item] of Object.entries(base)) {
      const copy = JSON.parse(JSON.stringify(item));
      for (const op of Object.values(copy))
        if (op && typeof op === "object" && op.operationId) op.operationId += `-copy${n}`;
      out[`/copy${n}${p}`] = copy;
    }
  }
  doc.paths = out;
  fs.writeFileSync(dst, JSON.stringify(doc));
' "$corpus/github/api.github.com.json" "$big" "$size_mb"
bytes=$(stat -c %s "$big")
ops=$(node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  let n = 0;
  for (const p of Object.values(d.paths)) for (const m of ["get","put","post","delete","options","head","patch","trace"]) if (p[m]) n++;
  console.log(n);' "$big")

# Best of three for the parse (it is short); one run of the generator.
best=""
for _ in 1 2 3; do
  t=$("$parse" "$big")
  best=$(printf '%s\n%s\n' "$t" "${best:-$t}" | sort -g | head -n 1)
done
/usr/bin/time -f '%M' -o "$out/parse.mem" "$parse" "$big" >/dev/null
parse_kb=$(tail -n 1 "$out/parse.mem")

rm -rf "$out/crate"
/usr/bin/time -f '%e %M' -o "$out/generate.time" timeout 900 "$ck" generate "$big" --out "$out/crate" \
  --name big --runtime-path "$root/runtime" >"$out/generate.log" 2>&1 || {
  echo "error: generate failed (see $out/generate.log)" >&2
  exit 1
}
read -r gen_s gen_kb <"$out/generate.time"
lines=$(find "$out/crate/src" -name '*.rs' -print0 | xargs -0 cat | wc -l)

node -e '
  const [bytes, ops, parse, parseKb, gen, genKb, lines] = process.argv.slice(1).map(Number);
  const mb = bytes / 1048576;
  console.log(`definition: ${mb.toFixed(1)} MB, ${ops} operations; generated ${lines} lines`);
  console.log(`serde_json parse: ${parse.toFixed(3)} s (process peak ${(parseKb / 1024).toFixed(0)} MB)`);
  console.log(`connectorkit generate: ${gen.toFixed(2)} s, peak ${(genKb / 1024).toFixed(0)} MB`);
  console.log(`ratios: generate/parse time = ${(gen / parse).toFixed(1)}x (target <= 10x); peak memory/file size = ${(genKb / 1024 / mb).toFixed(1)}x`);
' "$bytes" "$ops" "$best" "$parse_kb" "$gen_s" "$gen_kb" "$lines"
