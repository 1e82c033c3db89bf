#!/bin/sh
# Runs the install scripts of an app's production packages (./node_modules) on the build machine, for
# the target architecture $1 (Docker's TARGETARCH: amd64, arm64). A native addon (better-sqlite3) gets
# a binary for the target: prebuild-install downloads the target's prebuilt one, or node-gyp compiles
# it, with Debian's cross compiler when the target is another architecture: nothing runs emulated.
# Used by docker/Dockerfile (prod-deps), with npm_config_nodedir naming the headers of the runtime's Node.
set -eu
target=${1:?usage: build-addons.sh <TARGETARCH>}
[ -n "$(ls -A node_modules)" ] || exit 0
compiler=g++
if [ "$target" != "$(dpkg --print-architecture)" ]; then
  case "$target" in
    amd64) gnu=x86_64-linux-gnu arch=x64 ;;
    arm64) gnu=aarch64-linux-gnu arch=arm64 ;;
    *) echo "build-addons.sh: no cross compiler for $target (amd64 and arm64 only)" >&2; exit 1 ;;
  esac
  compiler=g++-$(echo "$gnu" | tr _ -)
  # prebuild-install and node-gyp take the target from npm_config_arch; make takes the tools from CC, CXX, AR.
  export npm_config_arch="$arch" CC="$gnu-gcc" CXX="$gnu-g++" AR="$gnu-ar" LINK="$gnu-g++"
fi
if [ -n "$(find node_modules -name binding.gyp -print -quit)" ]; then
  sh "$(dirname "$0")/install-compiler.sh" "$compiler"
fi
npm rebuild
