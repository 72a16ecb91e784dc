#!/usr/bin/env bash
# Builds pkg/: the npm package. One size-optimised .wasm shared by every entry, the
# wasm-bindgen glue for Node (CommonJS) and for ESM runtimes, and pkg-template's entries.
# It is assembled in a staging folder and moved into place, so a test that is packing pkg/
# never sees it half-built.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p target
stage=$(mktemp -d target/pkg-stage.XXXXXX)
trap 'rm -rf "$stage"' EXIT
gen=$stage/bindgen
out=$stage/pkg
# The features current rustc emits for wasm32; wasm-opt must be told each of them.
features="--enable-bulk-memory --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue"

# The library's .wasm (what browsers and Workers load) is built with the pinned nightly that
# scripts/setup.sh installs: std rebuilt for size (-Zbuild-std, optimize_for_size) and a panic
# as a bare trap (panic=immediate-abort: nothing in it panics, and the message machinery is
# dead weight). About 21 KB (12%) smaller. Tests, lints and the tools' .wasm stay on stable.
# -Zlocation-detail=none drops the file/line/column records that panicking calls carry (a
# trap has no use for them): 1.5 KB. LLVM's inline threshold at 15 instead of opt-level z's 5:
# 0.9 KB (measured from 5 to 25: 13 to 15 the smallest, 10 0.8 KB larger, 17 and up 2 KB larger).
# Without that toolchain (no rustup, or it could not be installed) the stable build is used.
nightly=$(cat scripts/nightly-toolchain)
if rustup run "$nightly" rustc --version >/dev/null 2>&1; then
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Cllvm-args=-inline-threshold=15" \
    CARGO_TARGET_DIR=target/size \
    cargo "+$nightly" build --quiet --release --target wasm32-unknown-unknown \
    -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size
  wasm=target/size/wasm32-unknown-unknown/release/okerrupdate.wasm
else
  echo "build: $nightly is not installed (scripts/setup.sh installs it): building on stable, about 21 KB larger" >&2
  cargo build --quiet --release --target wasm32-unknown-unknown
  wasm=target/wasm32-unknown-unknown/release/okerrupdate.wasm
fi
# The web glue gets no default wasm location (`new URL('okerrupdate_bg.wasm', import.meta.url)`):
# bundlers would emit the .wasm for every page that imports the glue, even one that only uses
# the inlined entry. Only init.mjs (`okerrupdate/init`) names the file, so only its users get it.
wasm-bindgen --target nodejs --out-dir "$gen/nodejs" --out-name okerrupdate "$wasm"
wasm-bindgen --target web --omit-default-module-path --out-dir "$gen/web" --out-name okerrupdate "$wasm"
wasm-bindgen --target bundler --out-dir "$gen/bundler" --out-name okerrupdate "$wasm"
# Every target's glue imports the same module names, so one .wasm serves them all.
cmp -s "$gen/nodejs/okerrupdate_bg.wasm" "$gen/web/okerrupdate_bg.wasm"
cmp -s "$gen/nodejs/okerrupdate_bg.wasm" "$gen/bundler/okerrupdate_bg.wasm"

mkdir -p "$out"
# --strip-target-features: the section only tells a linker which features the code uses.
# --flatten --rereloop between two -Oz runs rebuilds each function's control flow from scratch,
# which the second -Oz then shrinks further: 1.1 KB (0.4 KB gzipped). A second round, and a
# last -Oz after it, take 0.1 KB more (a third round gains nothing); about 1 s of build time.
node_modules/.bin/wasm-opt -Oz --flatten --rereloop -Oz --flatten --rereloop -Oz -Oz --converge --low-memory-unused \
  --strip-debug --strip-producers --strip-target-features $features \
  "$gen/nodejs/okerrupdate_bg.wasm" -o "$out/okerrupdate_bg.wasm"
cp "$gen/nodejs/okerrupdate.js" "$out/okerrupdate_node.cjs"
cp "$gen/web/okerrupdate.js" "$out/okerrupdate_web.js"
# Deno imports the .wasm as an ES module; its imports come from the bundler glue, by this name.
cp "$gen/bundler/okerrupdate_bg.js" "$out/okerrupdate_bg.js"
cp "$gen/nodejs/okerrupdate.d.ts" "$out/okerrupdate_types.d.ts"
cp "$gen/web/okerrupdate.d.ts" "$out/okerrupdate_web.d.ts"
cp -r pkg-template/. "$out/"
# The command-line tools run on their own .wasm (the library plus the tools), beside their glue
# in bin/, so the library's .wasm that browsers and Workers load does not carry them. A target
# directory of its own keeps the two builds from overwriting each other's output.
CARGO_TARGET_DIR=target/cli cargo build --quiet --release --target wasm32-unknown-unknown --features cli
wasm-bindgen --target nodejs --out-dir "$gen/cli" --out-name okerrupdate_cli \
  target/cli/wasm32-unknown-unknown/release/okerrupdate.wasm
node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers $features \
  "$gen/cli/okerrupdate_cli_bg.wasm" -o "$out/bin/okerrupdate_cli_bg.wasm"
cp "$gen/cli/okerrupdate_cli.js" "$out/bin/okerrupdate_cli.cjs"
# The README links docs/, SECURITY.md and BENCHMARKS.md: they travel with it (the package's
# exports test checks that every file its README and docs link to is packed).
cp README.md SECURITY.md BENCHMARKS.md "$out/"
mkdir -p "$out/docs"
cp docs/*.md "$out/docs/"
node scripts/finish-pkg.mjs "$out"
rm -rf pkg.old
[ -d pkg ] && mv pkg pkg.old
mv "$out" pkg
rm -rf pkg.old
echo "built pkg/ ($(wc -c < pkg/okerrupdate_bg.wasm) bytes of wasm, $(gzip -9 -c pkg/okerrupdate_bg.wasm | wc -c) gzipped)"
