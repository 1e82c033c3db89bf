#!/usr/bin/env bash
# Affected CI sees every input: a change to a file outside any project (compose file, Dockerfile, swarm
# stacks, .dockerignore, lock file, Jest preset, README, tools, shell scripts) must mark the projects
# whose targets read it, or `nx affected` in CI would skip the suites that matter. Nx maps such a root
# file to the projects that list it as a `{workspaceRoot}/…` input of a target (the named inputs and
# targetDefaults in nx.json); this asserts that mapping with `nx show projects --affected --files=…`,
# and that every root file git tracks is either checked here or listed below with the reason it needs
# no check, so a new root file is placed when it is added.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false
# Plugins loaded in this process instead of one worker each: a third of the CPU time per nx call here.
export NX_ISOLATE_PLUGINS=false

# The projects that have a file named $1 at their root (jest.config.cjs: a Jest project; eslint.config.mjs: linted).
projects_with() {
  local config
  git ls-files "*/$1" | while read -r config; do
    if [ -f "$(dirname "$config")/project.json" ]; then node -p "require('./$(dirname "$config")/project.json').name"; fi
  done | tr '\n' ' '
}
jest_projects=$(projects_with jest.config.cjs)
linted_projects=$(projects_with eslint.config.mjs)
if [ -z "$jest_projects" ] || [ -z "$linted_projects" ]; then
  echo "check-affected: found no project with a jest.config.cjs or an eslint.config.mjs" >&2
  exit 1
fi

# file, then the projects whose targets must run when only that file changes
checks=(
  "docker-compose.yml|e2e swarm"
  "docker/Dockerfile|e2e"
  "deploy/swarm/desafio4.stack.yml|e2e swarm"
  "deploy/swarm/overlay.mjs|e2e swarm"
  "deploy/lab/lab.sh|e2e lab"
  "tools/release/release.mjs|e2e"
  "tools/release/platforms.mjs|e2e"
  "compose.arm64.yaml|e2e"
  ".dockerignore|e2e"
  "package-lock.json|e2e"
  "compose.dev.yaml|e2e"
  ".devcontainer/devcontainer.json|e2e"
  ".gitattributes|e2e"
  ".env.example|e2e"
  # Every Jest config spreads jest.preset.cjs, whose reporter is tools/jest/count-reporter.cjs.
  "jest.preset.cjs|$jest_projects"
  "tools/jest/count-reporter.cjs|$jest_projects"
  # Every project's eslint.config.mjs extends the root one, which loads the local skip rule.
  "eslint.config.mjs|$linted_projects"
  "tools/jest/no-unexplained-skip.mjs|$linted_projects"
  "tools/webpack/nest-app.webpack.cjs|curl-client greeting-server sqlite-persister users-consumer users-service web-gateway"
  # observabilidade.e2e.ts runs the observability page's Prometheus queries as written.
  "docs/observabilidade.md|e2e"
  # e2e:docs runs every step of the challenge pages as written.
  "docs/desafios/2-volumes.md|e2e"
  # The container suite runs `bash -n` on every shell script of a fresh clone (portability.e2e.ts).
  "scripts/test-all.sh|e2e"
  ".ci/run|e2e"
  # e2e:reliability-report writes docs/reports/reliability.md with it; bench:all appends the analysis.
  "tools/reliability/write-report.mjs|e2e"
  "docs/benchmarks-analysis.md|bench"
)

# Root files with no check above, and why: under the same input glob as a checked file, or read by no
# target (Nx handles its own configuration files itself).
unchecked=(
  "docker/*|dockerImage input docker/**/*, as docker/Dockerfile"
  ".devcontainer/*|devLoop input .devcontainer/**/*, as devcontainer.json"
  "tools/jest/*|jestSetup input tools/jest/**/*, as count-reporter.cjs"
  "tools/webpack/*|build input tools/webpack/**/*, as nest-app.webpack.cjs"
  "tools/release/*|lab input tools/release/**/*, as release.mjs"
  "tools/reliability/*|reliability-report input tools/reliability/**/*, as write-report.mjs"
  "tools/lab/*|the lab report's writer (e2e:lab-report, after a lab run); no test reads it"
  "tools/arm64/*|the arm64 report's writer (e2e:arm64-report, after an arm64 run); no test reads it"
  "tools/reports/*|lists stale reports in docs/ from npm test (prints, never fails) and reads a suite's run for the report writers; no target reads it"
  "*.sh|shellScripts input **/*.sh, as scripts/test-all.sh"
  ".ci/*|shellScripts input .ci/**/*, as .ci/run"
  "nx.json|Nx's configuration: a change marks every project"
  "package.json|read by Nx: a dependency's change marks the projects that use it"
  "tsconfig.base.json|sharedGlobals, an input of every target"
  ".nvmrc|sharedGlobals, an input of every target"
  ".github/*|the GitHub workflow runs the targets; none reads it"
  ".gitignore|decides what is untracked, and CI's clean clone has nothing untracked"
  ".prettierrc|the editor's formatter settings; no target runs Prettier"
  "docs/desafios/*|e2e:docs input docs/desafios/**/*, as 2-volumes.md"
  "docs/*|reports and decisions written for readers; no target reads them (npm run lint:docs checks their links)"
  "README.md|the landing page; no target reads it (npm run lint:docs checks its links)"
  ".remarkrc.mjs|lint:docs's configuration; npm test runs lint:docs outside Nx"
)

failures=0
# Every tracked file outside a project folder: in `checks`, or placed in `unchecked`.
project_roots=$(git ls-files '*/project.json' | xargs -n1 dirname)
while read -r file; do
  in_project=false
  for project_root in $project_roots; do
    if [[ $file == "$project_root"/* ]]; then in_project=true; fi
  done
  if $in_project; then continue; fi
  placed=false
  for check in "${checks[@]}"; do
    if [ "${check%%|*}" = "$file" ]; then placed=true; fi
  done
  for entry in "${unchecked[@]}"; do
    # shellcheck disable=SC2053 # unquoted on purpose: the entry is a glob
    if [[ $file == ${entry%%|*} ]]; then placed=true; fi
  done
  if ! $placed; then
    echo "FAIL $file is outside every project and in neither list: add it to checks (and make it a target input in"
    echo "     nx.json) if some target reads it, or to unchecked with the reason none does."
    failures=$((failures + 1))
  fi
done < <(git ls-files)

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
  echo "check-affected: $failures root file(s) not seen by nx affected or not placed" >&2
  exit 1
fi
