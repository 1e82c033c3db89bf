#!/usr/bin/env bash
# Runs the e2e suites (apps/e2e/jest.config.cjs), one at a time in band: every e2e target goes
# through here, so their Node flags live in one place. Jest needs vm modules to require() the
# ESM-only Nest 12 packages. Usage: bash apps/e2e/jest.sh --selectProjects e2e:process [jest args]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning${NODE_OPTIONS:+ $NODE_OPTIONS}"
exec "$root/node_modules/.bin/jest" -c "$root/apps/e2e/jest.config.cjs" --runInBand "$@"
