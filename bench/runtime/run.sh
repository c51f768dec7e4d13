#!/usr/bin/env bash
# Runs the runtime benchmark of an awaitify build and checks its targets.
#   bench/runtime/run.sh <build-dir> [extra Google Benchmark flags]
# Builds the benchmark target if needed, runs it with interleaved
# repetitions (the figures are medians), prints the summary table and one
# PASS/FAIL line per target; exits non-zero on FAIL.
set -euo pipefail

build=${1:?usage: bench/runtime/run.sh <build-dir> [benchmark flags]}
shift
bin="$build/bench/runtime/awaitify_runtime_bench"

if ! cmake --build "$build" --target awaitify_runtime_bench >/dev/null; then
  echo "FAIL  runtime benchmark: target awaitify_runtime_bench did not build" \
       "(is libbenchmark-dev installed? see the configure log)" >&2
  exit 1
fi

echo "== awaitify runtime benchmark ($(nproc) cores, $(date +%F))"
exec "$bin" \
  --benchmark_repetitions=5 \
  --benchmark_enable_random_interleaving=true \
  --benchmark_min_time=0.1 \
  --benchmark_report_aggregates_only=true \
  "$@"
