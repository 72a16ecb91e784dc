#!/usr/bin/env bash
# Builds pkg/: the npm package. One size-optimised .wasm shared by every entry, the
# wasm-bindgen glue for Node (CommonJS) and for ESM runtimes, and pkg-template's entries.
set -euo pipefail
cd "$(dirname "$0")/.."

gen=target/bindgen
wasm=target/wasm32-unknown-unknown/release/okerrupdate.wasm
# The features current rustc emits for wasm32; wasm-opt must be told each of them.
features="--enable-bulk-memory --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue"

cargo build --quiet --release --target wasm32-unknown-unknown
rm -rf "$gen" pkg
for target in nodejs web; do
  wasm-bindgen --target "$target" --out-dir "$gen/$target" --out-name okerrupdate "$wasm"
done
# Every target's glue imports the same module names, so one .wasm serves them all.
cmp -s "$gen/nodejs/okerrupdate_bg.wasm" "$gen/web/okerrupdate_bg.wasm"

mkdir -p pkg
node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers $features \
  "$gen/nodejs/okerrupdate_bg.wasm" -o pkg/okerrupdate_bg.wasm
cp "$gen/nodejs/okerrupdate.js" pkg/okerrupdate_node.cjs
cp "$gen/web/okerrupdate.js" pkg/okerrupdate_web.js
cp "$gen/nodejs/okerrupdate.d.ts" pkg/okerrupdate_types.d.ts
cp "$gen/web/okerrupdate.d.ts" pkg/okerrupdate_web.d.ts
cp -r pkg-template/. pkg/
cp README.md pkg/README.md
node scripts/finish-pkg.mjs pkg
echo "built pkg/ ($(wc -c < pkg/okerrupdate_bg.wasm) bytes of wasm, $(gzip -9 -c pkg/okerrupdate_bg.wasm | wc -c) gzipped)"
