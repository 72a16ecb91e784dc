#!/usr/bin/env bash
# The project API and status pages of the installed package, against local okerr servers.
cd "$(dirname "$0")" && node --test --test-reporter=spec ./*.test.mjs
