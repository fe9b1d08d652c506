#!/usr/bin/env bash
# The whole test suite, as CI runs it: lint (types, biome, action.yml soundness, README tables, actionlint),
# a dist/ freshness check, then every jest test. Jest's global setup installs and starts the local
# services (scripts/services.sh). Extra arguments go to jest, e.g. `npm test -- test/render`.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent lint
bash scripts/check-dist.sh
NODE_OPTIONS=--experimental-vm-modules npx jest "$@"
