#!/usr/bin/env bash
# Secret canaries: every fault and bad-input scenario at debug level, output checked for secrets.
cd "$(dirname "$0")" && node --unhandled-rejections=strict --test --test-reporter=spec ./*.test.mjs
