#!/usr/bin/env bash
# Benchmark: the original and the rewritten Asio echo server under the same
# loopback load, in one run (see bench.py).
#
#   bench/asio/run.sh <build-dir> [bench.py options]
#
# The rewritten server is `awaitify fix` of test/asio/programs/echo_server.cpp,
# made with <build-dir>'s awaitify; pass --rewritten-from DIR to take it from
# DIR/echo_server.cpp instead (test/asio/expected holds a hand-written one),
# or --no-rewrite to compare the original with itself. Prints messages/s and
# peak RSS of each, their ratio, and PASS or FAIL (exit status 0 or 1).
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 <build-dir> [bench.py options]" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$(cd "$1" && pwd)"
shift

awaitify=""
for candidate in "$build/tool/cli/awaitify" "$build/bin/awaitify" "$build/tool/awaitify"; do
  if [ -x "$candidate" ]; then
    awaitify="$candidate"
    break
  fi
done
args=()
if [ -n "$awaitify" ]; then
  args+=(--awaitify "$awaitify")
fi

exec python3 "$here/bench.py" "${args[@]}" --work "$build/bench-asio" "$@"
