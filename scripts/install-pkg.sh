#!/usr/bin/env bash
# Packs pkg/ with `npm pack` and installs the tarball into a fresh project at $1, the way a
# user installs it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
app=${1:?usage: install-pkg.sh DIR}
mkdir -p "$root/tests/out"
# A tarball of its own: several test runs may pack and install at the same time.
packed=$(mktemp -d "$root/tests/out/pack.XXXXXX")
trap 'rm -rf "$packed"' EXIT
tarball=$(cd "$root/pkg" && npm pack --silent --pack-destination "$packed" | tail -n 1)
rm -rf "$app"
mkdir -p "$app"
printf '{ "name": "okerrupdate-user", "private": true, "type": "module" }\n' > "$app/package.json"
(cd "$app" && npm install --no-audit --no-fund --loglevel=error "$packed/$tarball" >/dev/null)
