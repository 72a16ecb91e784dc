#!/usr/bin/env bash
# The documentation: the README's size, every relative link, and every code block checked
# against the installed package (type-checked, or run against a local okerr server).
cd "$(dirname "$0")" && node --test --test-concurrency=1 --test-reporter=spec ./*.test.mjs
