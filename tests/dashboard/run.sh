#!/usr/bin/env bash
# The www/ dashboard in Debian's Chromium (playwright-core) against the local okerr server;
# screenshots go to tests/out/dashboard/.
cd "$(dirname "$0")" && node --test --test-reporter=spec --test-timeout=120000 ./*.test.mjs
