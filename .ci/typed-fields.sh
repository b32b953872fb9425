#!/usr/bin/env bash
# Prints, per definition, how many struct fields and parameters the model types, and how
# many are serde_json::Value because the schema is free-form or as a fallback (figures from
# the model, through `connectorkit validate`). Arguments: definitions (default: the large
# OpenAPI definitions of the corpus).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${CORPUS:-../shared/corpus}/openapi"
if [ $# -eq 0 ]; then
  set -- \
    "$corpus/apisguru/amazonaws-dynamodb.json" \
    "$corpus/apisguru/amazonaws-lambda.json" \
    "$corpus/apisguru/atlassian-jira.json" \
    "$corpus/apisguru/box.json" \
    "$corpus/stripe/spec3.json" \
    "$corpus/oxide/nexus.json" \
    "$corpus/github/api.github.com.json"
fi
cargo build --release -q -p connectorkit-cli
for def in "$@"; do
  # validate exits 1 when a definition has errors; the figures are printed all the same.
  ./target/release/connectorkit validate "$def" 2>&1 | grep -F ": fields " || true
done
