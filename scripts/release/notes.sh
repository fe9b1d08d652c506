#!/usr/bin/env bash
# Prints the release notes of X.Y.Z: the body of CHANGELOG.md's `## X.Y.Z` (or `## vX.Y.Z`) section.
# Fails when the section is missing or empty: move the Unreleased lines under the version first.
set -euo pipefail
version=${1:?usage: notes.sh X.Y.Z}
file=${CHANGELOG:-CHANGELOG.md}
notes=$(awk -v v="$version" '
  /^## / { if (inside) exit; h = $2; sub(/^v/, "", h); inside = (h == v); next }
  inside { print }
' "$file" | sed -e '/./,$!d')
if [[ -z ${notes//[[:space:]]/} ]]; then
  echo "::error::release refused: $file has no \"## $version\" section; move the Unreleased lines under it" >&2
  exit 1
fi
printf '%s\n' "$notes"
