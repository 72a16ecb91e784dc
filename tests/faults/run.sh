#!/usr/bin/env bash
# Fault injection against the local okerr server, through the installed package.
cd "$(dirname "$0")" && node --unhandled-rejections=strict --test --test-reporter=spec ./*.test.mjs
