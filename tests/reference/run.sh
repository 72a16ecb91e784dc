#!/usr/bin/env bash
# This package against the Python reference client (okerrupdate from PyPI), on the same server.
cd "$(dirname "$0")" && node --test --test-reporter=spec ./*.test.mjs
