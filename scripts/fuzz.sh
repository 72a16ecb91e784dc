#!/usr/bin/env bash
# Coverage-guided fuzzing of the core's parsers with cargo fuzz (libFuzzer), one target at a
# time, each for RUNS executions (default 10 million), then a table of executions, time and
# executions per second per target. Installs what it needs on a fresh machine: a nightly
# toolchain (used for fuzzing only; the package builds on stable) and cargo-fuzz.
#
#   bash scripts/fuzz.sh                    every target, 10,000,000 runs each
#   RUNS=100000 bash scripts/fuzz.sh name   one target, fewer runs
#
# New inputs go to fuzz/corpus/<target>/ (not committed); the committed seeds in
# fuzz/seeds/<target>/ start each run, and `cargo test` (tests/fuzz_seeds.rs) runs them on
# stable. A finding is saved in fuzz/artifacts/<target>/ and stops the run: fix it in the core,
# add a unit test, and copy the input into fuzz/seeds/<target>/ so it stays fixed.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[fuzz] %s\n' "$*"; }
RUNS=${RUNS:-10000000}

# The same pinned nightly that builds the library's .wasm for size (scripts/nightly-toolchain).
nightly=$(cat scripts/nightly-toolchain)
if ! rustup run "$nightly" rustc --version >/dev/null 2>&1; then
  say "installing $nightly (for fuzzing and the size build only)"
  rustup toolchain install "$nightly" --profile minimal --component rust-src
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

all=$(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^okerrupdate-fuzz$')
targets=${*:-$all}

# Safe Rust only (src/ has no `unsafe`), so AddressSanitizer would find nothing a panic does
# not, at half the speed; debug assertions stay on so an integer overflow is a finding too.
say "building the targets (nightly, release, debug assertions)"
cargo "+$nightly" fuzz build --sanitizer none --debug-assertions

logs=fuzz/artifacts/logs
mkdir -p "$logs"
results=()
for t in $targets; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  # Config text and form bodies are lines and fields: past 1 KB an input only repeats them,
  # at a quarter of the speed. The answers need room for the 1000-character excerpt bound.
  case $t in config | form) max_len=1024 ;; *) max_len=4096 ;; esac
  say "$t: $RUNS runs"
  start=$(date +%s.%N)
  if ! cargo "+$nightly" fuzz run --sanitizer none --debug-assertions "$t" \
    "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
    -runs="$RUNS" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$logs/$t.log" 2>&1; then
    tail -40 "$logs/$t.log"
    say "$t FAILED: the input is in fuzz/artifacts/$t/ (log: $logs/$t.log)"
    exit 1
  fi
  end=$(date +%s.%N)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -1)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  rate=$(awk -v n="$execs" -v s="$secs" 'BEGIN { printf "%d", n / s }')
  cov=$(grep -o 'cov: [0-9]*' "$logs/$t.log" | tail -1 | awk '{ print $2 }')
  results+=("$(printf '%-12s %12s %9s s %10s/s  cov %s' "$t" "$execs" "$secs" "$rate" "${cov:-?}")")
  say "${results[-1]}"
done

printf '\n%-12s %12s %11s %12s\n' target executions time exec/s
printf '%s\n' "${results[@]}"
printf 'fuzz: %d targets, no panic (%s, %s)\n' "${#results[@]}" "$(date -u +%Y-%m-%d)" "$(cargo "+$nightly" --version)"
