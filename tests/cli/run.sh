#!/usr/bin/env bash
# The okerrupdate and okerrapi commands of the installed package, run as separate processes.
cd "$(dirname "$0")" && node --test --test-reporter=spec ./*.test.mjs
