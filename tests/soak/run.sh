#!/usr/bin/env bash
# The soak, small: 5,000 updates over 500 indicators with 10% injected failures.
# The full one (100,000 over 1,000): node tests/soak/soak.mjs --full
cd "$(dirname "$0")" && node soak.mjs
