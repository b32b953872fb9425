#!/usr/bin/env bash
# Installs the third-party test peers (npm: oauth2-mock-server, @apidevtools/swagger-parser)
# into .ci/node_modules. Idempotent; run by .ci/run and by tests that need the peers.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/oauth2-mock-server ] || [ ! -d node_modules/@apidevtools/swagger-parser ] \
   || [ package.json -nt node_modules ]; then
  npm install --no-audit --no-fund --loglevel=error
  touch node_modules
fi
