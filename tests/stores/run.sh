#!/usr/bin/env bash
# The throttleStore option and its adapters: the contract over a Map shared by two projects,
# then Redis (a redis-server started here), Durable Objects (workerd through Miniflare) and
# Deno KV (several deno processes on one file), each with many processes updating one name.
cd "$(dirname "$0")" && node --test --test-concurrency=1 --test-timeout=180000 --test-reporter=spec ./*.test.mjs
