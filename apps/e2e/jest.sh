#!/usr/bin/env bash
# Runs one e2e suite: `apps/e2e/jest.sh <process|container|docs|reliability|swarm|arm64|lab|load> [jest options]`,
# from the workspace root. The one place for the Node flags the suites need: Nest 12's packages are
# ES modules, which Jest loads only with --experimental-vm-modules (docs/decisions.md).
set -euo pipefail
suite=${1:?usage: apps/e2e/jest.sh <process|container|docs|reliability|swarm|arm64|lab|load> [jest options]}
shift
export NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning${NODE_OPTIONS:+ $NODE_OPTIONS}"
exec "$(dirname "$0")/../../node_modules/.bin/jest" -c "$(dirname "$0")/jest.config.cjs" --selectProjects "e2e:$suite" --runInBand "$@"
