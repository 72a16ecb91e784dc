#!/usr/bin/env bash
# Installs what building the package needs, on a fresh machine or an old one: the wasm target,
# the wasm-bindgen CLI matching Cargo.lock exactly, and the npm tools (wasm-opt from npm's
# binaryen: Debian's binaryen 108 breaks wasm-bindgen's externref table).
# `scripts/setup.sh test` also installs what the tests need.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# make test checks formatting and lints.
if command -v rustup >/dev/null; then
  for component in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$component"; then
      say "adding the $component component"
      rustup component add "$component"
    fi
  done
fi

# The pinned nightly that builds the library's .wasm for size (scripts/build.sh says why); it
# needs only rust-src, since std is rebuilt for wasm32. A failure here is not fatal: build.sh
# falls back to stable.
nightly=$(cat scripts/nightly-toolchain)
if command -v rustup >/dev/null && ! rustup run "$nightly" rustc --version >/dev/null 2>&1; then
  say "installing $nightly (rust-src) for the size-optimised library build"
  rustup toolchain install "$nightly" --profile minimal --component rust-src ||
    say "could not install $nightly: the library .wasm will be built on stable"
fi

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (found '${have:-none}'); this takes a few minutes"
  cargo install wasm-bindgen-cli --version "$want"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm tools"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "${1:-}" = test ]; then
  # The browser tests drive Debian's Chromium through npm playwright-core (no browser download).
  # tests/hostile makes a throwaway https certificate with openssl. tests/stores starts its own
  # redis-server (on a free port of 127.0.0.1) for the Redis throttle store.
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v redis-server >/dev/null || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} (apt) for the browser, https and Redis tests"
    sudo_=""
    [ "$(id -u)" -ne 0 ] && sudo_=sudo
    $sudo_ apt-get update
    $sudo_ apt-get install -y "${missing[@]}"
  fi
  # Deno, workerd (through wrangler and miniflare), playwright-core, axe-core (the dashboard's
  # accessibility checks), vite, tsc and their types are exact root devDependencies, installed
  # by `npm ci` with the rest; a node_modules left from before they were added gets them here.
  for tool in deno wrangler workerd vite tsc; do
    if [ ! -x "node_modules/.bin/$tool" ] || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] || [ ! -d node_modules/@cloudflare/workers-types ]; then
      say "installing the runtimes the packaging tests use (npm ci)"
      npm ci --no-audit --no-fund --loglevel=error
      break
    fi
  done
  if ! python3 -c 'import okerrupdate' 2>/dev/null; then
    say "installing the Python reference client (okerrupdate) for side-by-side tests"
    python3 -m pip install --quiet --disable-pip-version-check okerrupdate
  fi
fi
