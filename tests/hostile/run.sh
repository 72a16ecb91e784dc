#!/usr/bin/env bash
# Hostile servers, callers and runtimes against the installed package. An https server needs a
# certificate: a throwaway one for 127.0.0.1 is made here and trusted by this run's Node only.
set -euo pipefail
cd "$(dirname "$0")"
out=../out/hostile
mkdir -p "$out"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$out/key.pem" -out "$out/cert.pem" 2>/dev/null
export HOSTILE_CERT=$out/cert.pem HOSTILE_KEY=$out/key.pem NODE_EXTRA_CA_CERTS=$out/cert.pem
node --unhandled-rejections=strict --test --test-reporter=spec ./*.test.mjs
