#!/usr/bin/env bash
# The body of `make test` / `make test-long`: every ctest suite of the build,
# and beside it scripts/test-runtime-variants.sh (the runtime's tests in
# sanitizer builds), whose output follows ctest's. Exits non-zero when either
# fails. Prints how long each part took.
#
#   scripts/test-all.sh BUILD JOBS [ctest arguments...]
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$1 jobs=$2
shift 2

log=$(mktemp "${TMPDIR:-/tmp}/awaitify-variants.XXXXXX")
trap 'rm -f "$log"' EXIT

started=$SECONDS
JOBS=$jobs bash "$repo/scripts/test-runtime-variants.sh" >"$log" 2>&1 &
variants=$!

# Twice as many ctest slots as cores: the big suites run their own workers
# (and say so, PROCESSORS 2), and each ends with a tail where one worker is
# left; two suites side by side fill each other's. The biggest start first
# (their COST, or the last run's times).
status=0
ctest --test-dir "$build" --output-on-failure -j "$((jobs * 2))" "$@" || status=1
echo "== ctest: $((SECONDS - started)) s"

wait "$variants" || status=1
cat "$log"
echo "== make test: $((SECONDS - started)) s (ctest and the runtime variants side by side)"
exit "$status"
