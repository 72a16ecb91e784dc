#!/usr/bin/env bash
# The soak, small (a few seconds): 5,000 updates over 500 indicators with 10% injected faults
# of every kind. The full one (100,000 over 1,000) is `make soak`: node tests/soak/soak.mjs --full
cd "$(dirname "$0")" && node soak.mjs
