#!/usr/bin/env bash
# The one test command (npm test): shellcheck over every shell script, a check that `nx affected`
# sees the root files, lint, type checks (specs and e2e suites included), unit and integration tests,
# the built apps as processes, the real images under docker compose (with browser checks), the fault
# and bad-input suites, and the Swarm tests on one node and on a three-node lab. Needs Node 24, a
# Docker Engine (not in swarm mode: the Swarm test joins and leaves a single-node swarm itself; the
# lab runs its engines in containers, from the registry:2 and docker:26-dind images) and shellcheck
# (Debian's package); the browser tests use Chromium at /usr/bin/chromium (or CHROMIUM_PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false
export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
export TEST_COUNTS_FILE="$PWD/tmp/test-counts.txt"
rm -f "$TEST_COUNTS_FILE"

summary() {
  local code=$? passed=0 failed=0 skipped=0
  if [ -f "$TEST_COUNTS_FILE" ]; then
    read -r passed failed skipped < <(awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}' "$TEST_COUNTS_FILE")
  fi
  [ "$code" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
  echo
  echo "Tests: $passed passed, $failed failed, $skipped skipped"
  exit "$code"
}
trap summary EXIT

echo "== 1/6 shell scripts, the GitHub workflow, affected inputs, lint, type checks, builds, unit and integration tests"
# Which committed reports in docs/ measured older code (printed, never a failure: regenerating one takes minutes).
node --disable-warning=MODULE_TYPELESS_PACKAGE_JSON tools/reports/stale-reports.mjs
bash scripts/check-shell.sh
bash scripts/check-workflows.sh
bash scripts/check-affected.sh
npm run --silent lint:docs
# Lint, typecheck and build may be replayed from the Nx cache outside CI (in CI nothing is).
npx nx run-many -t lint typecheck build --parallel=2 --output-style=stream ${CI:+--skip-nx-cache}
# Tests always run, never replayed from the cache: a replay skips Jest and its count reporter, and the
# total below must count every test. All unit and integration tests take ~45 s on 2 cores.
npx nx run-many -t test --parallel=2 --output-style=stream --skip-nx-cache
echo "== 2/6 process e2e: the built apps as child processes on loopback"
npx nx run e2e:process --output-style=stream
echo "== 3/6 container e2e: images built from docker/Dockerfile, run with docker compose"
npx nx run swarm:check --output-style=stream
npx nx run e2e:container --output-style=stream
npx nx run e2e:docs --output-style=stream
echo "== 4/6 reliability: hardening, faults and bad input against the containers; load, short form"
npx nx run e2e:reliability --output-style=stream
# The load suite in its short form (2 × 10 s at 50 connections per app, ~2 min); the full one is 2 × 60 s at 100.
LOAD_SECONDS=10 LOAD_CONNECTIONS=50 npx nx run e2e:load --output-style=stream
echo "== 5/6 swarm: scaled, load-spread and rolled on a single-node swarm"
npx nx run e2e:swarm --output-style=stream
echo "== 6/6 lab: a three-node swarm in containers, fed by a registry (nx release), under load and node loss"
npx nx run e2e:lab --output-style=stream
