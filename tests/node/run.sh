#!/usr/bin/env bash
# The package in Node.js, ESM and CommonJS, against the local okerr server.
cd "$(dirname "$0")" && node --test --test-reporter=spec ./*.test.mjs ./*.test.cjs
