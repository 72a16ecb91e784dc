#!/usr/bin/env bash
# Runs every test: the Rust core natively, the local okerr server's own tests, then each suite
# `tests/<area>/run.sh` against the package installed from its packed tarball into a fresh
# project (tests/out/app, reachable from tests/ as `okerrupdate` through tests/node_modules).
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-pkg.sh tests/out/app || exit 1
ln -sfn out/app/node_modules tests/node_modules

passed=0
failed=0
failures=()
suite() {
  local name=$1
  shift
  printf '\n=== %s\n' "$name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

suite "rust format (cargo fmt --check)" cargo fmt --check
suite "rust lints (clippy: native, wasm32, wasm32 with the CLI)" bash -c '
  cargo clippy --quiet --all-targets -- -D warnings &&
  cargo clippy --quiet --lib --target wasm32-unknown-unknown -- -D warnings &&
  cargo clippy --quiet --lib --target wasm32-unknown-unknown --features cli -- -D warnings'
suite "rust core (cargo test)" cargo test --quiet
# The face's own tests (src/wasm/, #[wasm_bindgen_test]) in Node, through wasm-bindgen-cli's
# test runner (.cargo/config.toml): the deadline table's slots, handlers and timers. Not
# --quiet: cargo passes it on to the runner, which refuses it.
suite "rust face (wasm-bindgen-test)" cargo test --target wasm32-unknown-unknown --lib
suite "rust docs (cargo doc, warnings as errors)" env RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps
suite "library .wasm size budget" bash scripts/size-budget.sh
suite "local okerr server" node --test --test-reporter=spec tests/server/
for run in tests/*/run.sh; do
  suite "$(basename "$(dirname "$run")")" bash "$run"
done

printf '\n'
[ "$failed" -gt 0 ] && printf 'failed suites: %s\n' "${failures[*]}"
printf 'suites: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
