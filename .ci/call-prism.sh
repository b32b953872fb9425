#!/usr/bin/env bash
# `connectorkit call` against Prism (issue 18): for each definition below, `prism mock -d`
# is started on it and EVERY action is called with `connectorkit call --sample --report`
# (arguments made from the schemas, sent through the runtime as a generated client sends
# them; nothing compiled). Each call prints one JSON line in the conformance program's
# format, so .ci/conformance-report.mjs reports them: per definition the actions called,
# the request violations Prism reported (`sl-violations`, target 0), the 2xx bodies that do
# not match their schema, the error statuses; every failure must be listed in
# .ci/call-prism.baseline with its reason.
#
# The definitions: the small and medium OpenAPI and Swagger examples of the corpus (their
# Prism conformance is clean) and Power Platform connectors of several shapes. A call is
# one process that reads its definition, so large definitions (GitHub: 1,223 actions) are
# the conformance sweep's (.ci/fidelity.sh), not this one's.
#
#   bash .ci/call-prism.sh              # OUT=target/call-prism
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
corpus_root="${CORPUS:-../shared/corpus}"
corpus_root="$(cd "$corpus_root" && pwd)"
out="${OUT:-$root/target/call-prism}"
prism="$root/.ci/node_modules/.bin/prism"
bash .ci/setup.sh >/dev/null
timeout 900 cargo build --release -q -p connectorkit-cli
cli="$root/target/release/connectorkit"
t0=$(date +%s)

defs=(
  "$corpus_root/openapi/oai-examples/v3.0/petstore.yaml"
  "$corpus_root/openapi/oai-examples/v3.0/petstore-expanded.json"
  "$corpus_root/openapi/oai-examples/v3.0/uspto.yaml"
  "$corpus_root/openapi/oai-examples/v3.0/link-example.yaml"
  "$corpus_root/openapi/oai-examples/v3.0/callback-example.yaml"
  "$corpus_root/openapi/oai-examples/v3.1/tictactoe.yaml"
  "$corpus_root/openapi/oai-examples/v2.0/petstore.yaml"
  "$corpus_root/openapi/oai-examples/v2.0/uber.json"
  "$corpus_root/openapi/oxide/buildomat.json"
  "$corpus_root/openapi/oxide/param-collision.json"
  "$corpus_root/openapi/spotify/fixed-spotify-open-api.yml"
  "$corpus_root/openapi/autorest-testserver/paging.json"
  "$corpus_root/powerplatform/certified-connectors/AlisQI"
  "$corpus_root/powerplatform/certified-connectors/Airmeet"
  "$corpus_root/powerplatform/certified-connectors/Dime.Scheduler"
  "$corpus_root/powerplatform/certified-connectors/Blueink"
)

rm -rf "$out"
mkdir -p "$out/results"
: >"$out/definitions.tsv"
. .ci/prism-lib.sh
for f in "${defs[@]}"; do
  rel="${f#"$corpus_root"/}"
  name=$(printf '%s' "$rel" | tr -c 'A-Za-z0-9.\n-' '_')
  spec="$f"
  [ ! -d "$f" ] || spec=$(find "$f" -maxdepth 1 -type f -iname '*.swagger.json' | sort | head -n 1)
  printf '%s\t%s\t%s\n' "$name" "$rel" "$spec" >>"$out/definitions.tsv"
  # The program run_with_prism starts with Prism's URL: one `call` per action, each with
  # its deadline (a call that times out is reported as an error line, not lost), with a
  # credential for every kind of scheme (Prism answers 401 when the definition's security
  # is not met).
  wrapper="$out/$name.sh"
  cat >"$wrapper" <<EOF
#!/usr/bin/env bash
set -u
"$cli" actions "$f" --json 2>/dev/null \\
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const a of JSON.parse(s).actions)console.log(a.name)})' \\
  | while IFS= read -r action; do
      timeout 60 "$cli" call "$f" "\$action" --sample --report --base-url "\$1" --timeout 30 \
        --api-key sample-key --bearer sample-token --basic sample-user:sample-password \
        2>>"$out/results/$name.calls.log" </dev/null
      code=\$?
      if [ "\$code" = 124 ]; then
        printf '{"action":"%s","status":null,"outcome":"error","message":"timed out after 60 s","violations":[]}\n' "\$action"
      fi
    done
EOF
  chmod +x "$wrapper"
  run_with_prism "$spec" "$wrapper" "$out/results/$name"
done
status=0
node .ci/conformance-report.mjs "$out" .ci/call-prism.baseline || status=1
echo "call against Prism: ${#defs[@]} definitions in $(($(date +%s) - t0))s"
exit "$status"
