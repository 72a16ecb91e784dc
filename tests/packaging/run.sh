#!/usr/bin/env bash
# The packed package in every runtime and module style: Node.js (CommonJS, ESM, explicit init,
# the default entry), Deno, Cloudflare Workers (workerd), Chromium (Vite build and a plain
# module page, same-origin and cross-origin), and TypeScript over a typed example per runtime.
# Each test installs the tarball into a fresh project under tests/out/packaging/.
cd "$(dirname "$0")" && node --test --test-concurrency=1 --test-timeout=120000 --test-reporter=spec ./*.test.mjs
