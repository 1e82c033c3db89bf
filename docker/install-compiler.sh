#!/bin/sh
# What node-gyp needs to compile a native addon (better-sqlite3) from source: python3, make, g++.
# Used by docker/Dockerfile (toolchain, and prod-deps when a package has an addon), on the platform
# the addon will run on.
set -eu
apt-get update
apt-get install -y --no-install-recommends python3 make g++
rm -rf /var/lib/apt/lists/* /var/cache/apt/*
