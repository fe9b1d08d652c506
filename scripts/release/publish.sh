#!/usr/bin/env bash
# Publishes release X.Y.Z of HEAD: a release commit on top of HEAD whose reusable workflows are
# stamped with HEAD's SHA (main itself is not changed), the annotated tag vX.Y.Z on it, and the major
# tag vX moved to it, both in one atomic push: users on @vX never see a half-made release, and an
# existing vX.Y.Z is never moved (its push is refused, and with it the move of vX).
# Usage: publish.sh X.Y.Z. The remote is `origin`; a token for it must be given to this step only.
set -euo pipefail
version=${1:?usage: publish.sh X.Y.Z}
here=$(cd "$(dirname "$0")" && pwd)
source_sha=$(git rev-parse HEAD)
major="v${version%%.*}"
notes=$(bash "$here/notes.sh" "$version")

git -c advice.detachedHead=false checkout --quiet --detach "$source_sha"
bash "$here/stamp.sh" "$source_sha" "$version"
git add .github/workflows
git -c user.name="${GIT_AUTHOR_NAME:-github-actions[bot]}" -c user.email="${GIT_AUTHOR_EMAIL:-41898282+github-actions[bot]@users.noreply.github.com}" \
  commit --quiet --allow-empty -m "Release v$version" -m "Reusable workflows stamped with $source_sha."
git -c user.name="${GIT_AUTHOR_NAME:-github-actions[bot]}" -c user.email="${GIT_AUTHOR_EMAIL:-41898282+github-actions[bot]@users.noreply.github.com}" \
  tag -a "v$version" -m "v$version" -m "$notes"
git -c user.name="${GIT_AUTHOR_NAME:-github-actions[bot]}" -c user.email="${GIT_AUTHOR_EMAIL:-41898282+github-actions[bot]@users.noreply.github.com}" \
  tag -fa "$major" -m "$major -> v$version"
git push --atomic origin "refs/tags/v$version:refs/tags/v$version" "+refs/tags/$major:refs/tags/$major"
echo "released v$version ($(git rev-parse HEAD), from $source_sha); $major moved"
