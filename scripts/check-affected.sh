#!/usr/bin/env bash
# Affected CI sees every input: a change to a file outside any project (compose file, Dockerfile, swarm
# stacks, .dockerignore, lock file) must mark the projects whose targets test it, or `nx affected` in
# CI would skip the suites that matter. Nx maps such a root file to the projects that list it as a
# `{workspaceRoot}/…` input of a target (the `dockerImage`, `composeStack` and `swarmStack` inputs in
# nx.json); this asserts that mapping with `nx show projects --affected --files=…`.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false

# file, then the projects whose suites must run when only that file changes
checks=(
  "docker-compose.yml|e2e swarm"
  "docker/Dockerfile|e2e"
  "deploy/swarm/desafio4.stack.yml|e2e swarm"
  "deploy/swarm/overlay.mjs|e2e swarm"
  "deploy/lab/lab.sh|e2e lab"
  "tools/release/release.mjs|e2e"
  ".dockerignore|e2e"
  "package-lock.json|e2e"
  "compose.dev.yaml|e2e"
  ".devcontainer/devcontainer.json|e2e"
  ".gitattributes|e2e"
  ".env.example|e2e"
)

failures=0
for check in "${checks[@]}"; do
  file=${check%%|*}
  expected=${check#*|}
  affected=$(npx nx show projects --affected --files="$file" | sort | tr '\n' ' ')
  missing=()
  for project in $expected; do
    [[ " $affected " == *" $project "* ]] || missing+=("$project")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "ok   $file -> ${affected% }"
  else
    echo "FAIL $file -> [${affected% }] is missing: ${missing[*]}"
    echo "     A change to $file alone would not run the ${missing[*]} suites under nx affected: list it as a"
    echo "     {workspaceRoot}/ input of the target that tests it (nx.json namedInputs/targetDefaults)."
    failures=$((failures + 1))
  fi
done

if [ "$failures" -ne 0 ]; then
  echo "check-affected: $failures root file(s) not seen by nx affected" >&2
  exit 1
fi
