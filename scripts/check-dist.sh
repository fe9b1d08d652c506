#!/usr/bin/env bash
# Rebuilds every bundle and fails if dist/ differs from what was there: dist must always be the build of
# the source beside it. In CI (a clean clone) that is the committed dist. Then checks each licenses.txt
# against the module list (ncc's stats) of that build.
set -euo pipefail
cd "$(dirname "$0")/.."
before=$(mktemp -d)
trap 'rm -rf "$before"' EXIT
[[ -d dist ]] && cp -a dist/. "$before/"
npx tsx scripts/build.ts
if ! diff -rq "$before" dist >/tmp/dist-diff.txt; then
  echo "::error::dist/ is stale: it differs from a fresh build of the source. Run 'npm run build' and commit dist/."
  cat /tmp/dist-diff.txt
  if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
    { echo '### dist/ is stale'; echo '```'; cat /tmp/dist-diff.txt; echo '```'; } >>"$GITHUB_STEP_SUMMARY"
  fi
  exit 1
fi
echo "check-dist: dist/ matches the source"
# Every package of every chunk (lazy ones included) in licenses.txt, from the stats of the build just made.
npx tsx scripts/bundle-licenses.ts
