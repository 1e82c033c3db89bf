#!/usr/bin/env bash
# Every shell script git tracks through shellcheck (Debian's package), at its default level: files
# named *.sh or *.bash, and any other whose first line is a sh/bash/dash/ksh #! line (.ci/run has no
# extension). A finding is fixed in the script, or disabled on its line with the reason beside it.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v shellcheck >/dev/null; then
  echo "check-shell: shellcheck is not installed; install it (Debian/Ubuntu: sudo apt-get install -y shellcheck; macOS: brew install shellcheck) and run npm test again" >&2
  exit 1
fi

scripts=()
while IFS= read -r -d '' file; do
  [ -f "$file" ] || continue # deleted in the working tree but still in the index
  case "$file" in
    *.sh | *.bash) scripts+=("$file") ;;
    *) if head -n 1 "$file" | grep -Eq '^#!.*[/ ](ba|da|k)?sh([[:space:]]|$)'; then scripts+=("$file"); fi ;;
  esac
done < <(git ls-files -z)

if [ ${#scripts[@]} -eq 0 ]; then
  echo "check-shell: git ls-files found no shell script; run it from a git checkout" >&2
  exit 1
fi
shellcheck "${scripts[@]}"
echo "check-shell: ${#scripts[@]} shell scripts clean: ${scripts[*]}"
