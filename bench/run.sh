#!/usr/bin/env bash
# `make bench`: every benchmark, each measuring what it compares in one run.
#   bench/run.sh <build-dir>
set -uo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
echo "### runtime: awaits against raw callbacks"
bash "$root/bench/runtime/run.sh" "$build" || status=1
echo
echo "### tool: awaitify check against parsing"
python3 "$root/bench/tool/bench_check.py" --awaitify "$build/tool/cli/awaitify" || status=1
echo
echo "### Asio: the rewritten echo server against the original"
bash "$root/bench/asio/run.sh" "$build" || status=1
exit $status
