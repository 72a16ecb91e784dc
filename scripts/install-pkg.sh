#!/usr/bin/env bash
# Packs pkg/ with `npm pack` and installs the tarball into a fresh project at $1, the way a
# user installs it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
app=${1:?usage: install-pkg.sh DIR}
mkdir -p "$root/tests/out"
tarball=$(cd "$root/pkg" && npm pack --silent --pack-destination "$root/tests/out" | tail -n 1)
rm -rf "$app"
mkdir -p "$app"
printf '{ "name": "okerrupdate-user", "private": true, "type": "module" }\n' > "$app/package.json"
(cd "$app" && npm install --no-audit --no-fund --loglevel=error "$root/tests/out/$tarball" >/dev/null)
