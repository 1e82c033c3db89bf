#!/usr/bin/env bash
# The one test command (npm test): lint, unit and integration tests, the built apps as processes,
# the real images under docker compose (with browser checks), the fault and bad-input suites, and
# the Swarm tests. Needs Node 24 and a Docker Engine (not in swarm mode: the Swarm test joins and
# leaves a single-node swarm itself); the browser tests use Chromium at /usr/bin/chromium (or
# CHROMIUM_PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false
export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
export TEST_COUNTS_FILE="$PWD/tmp/test-counts.txt"
rm -f "$TEST_COUNTS_FILE"

summary() {
  local code=$? passed=0 failed=0
  if [ -f "$TEST_COUNTS_FILE" ]; then
    read -r passed failed < <(awk '{p+=$1; f+=$2} END {print p+0, f+0}' "$TEST_COUNTS_FILE")
  fi
  [ "$code" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
  echo
  echo "Tests: $passed passed, $failed failed"
  exit "$code"
}
trap summary EXIT

echo "== 1/5 lint, unit and integration tests, builds"
# In CI every test runs (no replay from the Nx cache), so the total below counts them all.
npx nx run-many -t lint test build --parallel=2 --output-style=stream ${CI:+--skip-nx-cache}
echo "== 2/5 process e2e: the built apps as child processes on loopback"
npx nx run e2e:process --output-style=stream
echo "== 3/5 container e2e: images built from docker/Dockerfile, run with docker compose"
npx nx run swarm:check --output-style=stream
npx nx run e2e:container --output-style=stream
echo "== 4/5 reliability: hardening, faults and bad input against the containers"
npx nx run e2e:reliability --output-style=stream
echo "== 5/5 swarm: scaled, load-spread and rolled on a single-node swarm"
npx nx run e2e:swarm --output-style=stream
