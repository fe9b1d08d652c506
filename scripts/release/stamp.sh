#!/usr/bin/env bash
# Stamps the reusable workflows with the commit they are released from: every
# `uses: <owner>/deploy-actions/<action>@<ref>` becomes `@<sha> # vX.Y.Z`, so a caller who pins a
# workflow by tag or SHA runs exactly the actions of that release. Usage: stamp.sh SHA X.Y.Z [dir]
set -euo pipefail
sha=${1:?usage: stamp.sh SHA X.Y.Z [dir]}
version=${2:?usage: stamp.sh SHA X.Y.Z [dir]}
dir=${3:-.github/workflows}
[[ $sha =~ ^[0-9a-f]{40}$ ]] || { echo "::error::stamp: \"$sha\" is not a full commit SHA" >&2; exit 1; }
for file in "$dir"/*.yml "$dir"/*.yaml; do
  [[ -f $file ]] || continue
  sed -E -i "s|^([[:space:]-]*uses:[[:space:]]*[A-Za-z0-9_.-]+/deploy-actions/[A-Za-z0-9_-]+)@[^[:space:]#]+([[:space:]]*#.*)?$|\\1@$sha # v$version|" "$file"
done
