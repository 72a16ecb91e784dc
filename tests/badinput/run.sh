#!/usr/bin/env bash
# Bad input through the installed package, and the client's checks against the server's rules.
cd "$(dirname "$0")" && node --unhandled-rejections=strict --test --test-reporter=spec ./*.test.mjs
