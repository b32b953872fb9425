# Sourced by .ci/conformance-prism.sh and .ci/fidelity.sh: one conformance program against
# `prism mock -d` started on its definition, each wait with its deadline.
# Deterministic: `--seed` makes Prism reseed json-schema-faker before every body it draws
# (prism-http's mocker/generator/JSONSchema.js: `option('random', seedrandom(seed))` per
# generate call), so a response body depends only on its schema and the seed, not on the
# order or number of earlier calls; two runs send the same bodies. PRISM_SEED overrides it.
# Needs $prism (the Prism binary). run_with_prism SPEC BIN RES writes RES.prism.log,
# RES.jsonl and RES.stderr, RES.skip when Prism refused the definition, RES.exit when the
# program failed.

# A free loopback port.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
prism_pid=""
stop_prism() {
  if [ -n "$prism_pid" ]; then
    kill "$prism_pid" 2>/dev/null || true
    wait "$prism_pid" 2>/dev/null || true
    prism_pid=""
  fi
}
trap stop_prism EXIT

run_with_prism() {
  local spec=$1 bin=$2 res=$3 port up=""
  port=$(free_port)
  # Node's default heap (about 2 GiB here) is raised to 8 GiB (PRISM_HEAP_MB) for large
  # definitions. Even 8 GiB is not enough for Prism to read Stripe's definition or to answer
  # Xero's `GET /CreditNotes` (2026-12-08): those are Prism's limits, named in the notes.
  NODE_OPTIONS="--max-old-space-size=${PRISM_HEAP_MB:-8192}" \
    "$prism" mock -d --seed "${PRISM_SEED:-connectorkit}" -h 127.0.0.1 -p "$port" "$spec" >"$res.prism.log" 2>&1 &
  prism_pid=$!
  # Startup deadline: 120 s (a 1,000-operation definition takes a while to read).
  for _ in $(seq 1 240); do
    if ! kill -0 "$prism_pid" 2>/dev/null; then break; fi
    if grep -qs "Prism is listening" "$res.prism.log"; then up=1; break; fi
    sleep 0.5
  done
  if [ -z "$up" ]; then
    local msg
    # Without Prism's clock ("[2:56:35 PM] › "), so that two runs report the same line.
    msg=$(grep -m1 -iE 'error|✖' "$res.prism.log" | sed -E 's/^\[[0-9:]+ [AP]M\] › +//' | cut -c1-300 || true)
    [ -n "$msg" ] || msg=$(tail -n 1 "$res.prism.log" | cut -c1-300)
    echo "definition skipped: Prism refused: ${msg:-no output within 120s}" >"$res.skip"
    stop_prism
    return 0
  fi
  timeout 900 "$bin" "http://127.0.0.1:$port" >"$res.jsonl" 2>"$res.stderr" \
    || echo "conformance program exited with $?: $(tail -n 1 "$res.stderr" | cut -c1-300)" >"$res.exit"
  stop_prism
}
