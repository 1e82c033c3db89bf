#!/bin/sh
# What node-gyp needs to compile a native addon (better-sqlite3) from source: python3, make and a C++
# compiler: g++ for this machine, or the package named (a cross compiler, from docker/build-addons.sh).
# Used by docker/Dockerfile (toolchain, for the dev loop; prod-deps, when a package has an addon).
set -eu
apt-get update
apt-get install -y --no-install-recommends python3 make "${1:-g++}"
rm -rf /var/lib/apt/lists/* /var/cache/apt/*
