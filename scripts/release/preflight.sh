#!/usr/bin/env bash
# Release preflight: refuses a release unless every condition holds. Usage: preflight.sh X.Y.Z
#   - HEAD is the head of origin's main (not a branch, not an older commit of main);
#   - main's CI workflow (ci.yml) finished green for that commit, read through the GitHub API with a
#     read-only token (GH_TOKEN; GITHUB_API_URL and GITHUB_REPOSITORY as the runner sets them);
#   - X.Y.Z is a version, vX.Y.Z does not exist yet (here or on origin), and it is above every
#     released version;
#   - CHANGELOG.md has a section for it (the release notes).
set -euo pipefail
version=${1:-}
fail() { echo "::error::release refused: $*" >&2; exit 1; }

[[ $version =~ ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$ ]] || fail "version \"$version\" is not X.Y.Z (e.g. 1.4.0)"

git fetch --quiet --tags origin main
head=$(git rev-parse HEAD)
main=$(git rev-parse FETCH_HEAD)
[[ $head == "$main" ]] || fail "HEAD $head is not the head of main ($main); run the release from main's head"

api=${GITHUB_API_URL:-https://api.github.com}
[[ -n ${GH_TOKEN:-} && -n ${GITHUB_REPOSITORY:-} ]] || fail "GH_TOKEN and GITHUB_REPOSITORY are needed to read main's CI status"
runs=$(curl --silent --show-error --fail --max-time 30 \
  -H "Authorization: Bearer $GH_TOKEN" -H "Accept: application/vnd.github+json" \
  "$api/repos/$GITHUB_REPOSITORY/actions/workflows/ci.yml/runs?branch=main&event=push&head_sha=$head&per_page=20") ||
  fail "could not read main's CI runs for $head"
green=$(node -e '
  const runs = JSON.parse(process.argv[1]).workflow_runs ?? [];
  const ours = runs.filter((r) => r.head_sha === process.argv[2] && r.status === "completed");
  console.log(ours.some((r) => r.conclusion === "success") ? "yes" : "no");
' "$runs" "$head")
[[ $green == yes ]] || fail "main's CI is not green for $head; wait for it, or fix main"

tag="v$version"
if git rev-parse -q --verify "refs/tags/$tag" >/dev/null || [[ -n $(git ls-remote --tags origin "refs/tags/$tag") ]]; then
  fail "$tag exists already; a released version is never moved"
fi
latest=$(git tag -l 'v[0-9]*.[0-9]*.[0-9]*' | sed 's/^v//' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$' | sort -V | tail -1 || true)
if [[ -n $latest && $(printf '%s\n%s\n' "$latest" "$version" | sort -V | tail -1) != "$version" ]]; then
  fail "$version does not increase on the latest release $latest"
fi
bash "$(dirname "$0")/notes.sh" "$version" >/dev/null
echo "release $tag of $head: all checks passed"
