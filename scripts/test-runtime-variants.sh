#!/usr/bin/env bash
# Runs the runtime's unit tests in runtime-only builds, one per variant:
#
#   gcc-asan-ubsan   g++           AddressSanitizer + UndefinedBehaviorSanitizer
#   clang-tsan       clang++-19    ThreadSanitizer
# and with LONG=1 (make test-long) the rest of the matrix:
#   clang-asan-ubsan clang++-19    AddressSanitizer + UndefinedBehaviorSanitizer
#   gcc-tsan         g++           ThreadSanitizer
#   gcc-plain        g++           Debug (-O0, assertions on)
# `make test` runs every test under each sanitizer with one of the two
# compilers (and the idiom and end-to-end programs run the runtime under
# clang's AddressSanitizer + UBSan besides); the other halves of the matrix
# cost as much again.
#
# Sanitizer variants build at -O1 -g1 with assertions on: enough line
# information for reports, and quick to compile on two cores.
#
# (clang++-19 without sanitizers is the main build, `build`.) Each variant
# lives in $BUILD_ROOT/build-rt-<variant> (BUILD_ROOT defaults to the
# repository root) and is reused when present, so a second run only rebuilds
# what changed. Exits non-zero if any variant fails to configure, build or
# pass. `VARIANTS="gcc-tsan clang-tsan"` runs a subset (long ones included).
#
# Each test binary is one ctest test here (AWAITIFY_RUNTIME_TESTS_PER_BINARY):
# a process per test case costs more than the tests themselves under the
# sanitizers. A failing binary's output names the failing cases. The test
# files are compiled five to a unity file: the templates they share are
# instantiated once, a third less compile time (the main build compiles each
# file on its own, which keeps each one's includes honest).
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_root=${BUILD_ROOT:-.}
[[ $build_root == /* ]] || build_root="$repo/$build_root"
jobs=${JOBS:-$(nproc)}
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)

#        name              compiler    build type      sanitizers         when
all=(
  "gcc-asan-ubsan      g++         RelWithDebInfo  address,undefined  test"
  "clang-tsan          clang++-19  RelWithDebInfo  thread             test"
  "clang-asan-ubsan    clang++-19  RelWithDebInfo  address,undefined  long"
  "gcc-tsan            g++         RelWithDebInfo  thread             long"
  "gcc-plain           g++         Debug           -                  long"
)
wanted=${VARIANTS:-}
long=${LONG:-0}

summary=()
status=0

run_ctest() {  # dir log
  # -V: each binary's brief output, for the count of test cases below.
  ctest --test-dir "$1" -V -j "$jobs" >"$2" 2>&1
}

for line in "${all[@]}"; do
  read -r name cxx build_type sanitize when <<<"$line"
  if [[ -n $wanted ]]; then
    [[ " $wanted " == *" $name "* ]] || continue
  elif [[ $when == long && $long != 1 ]]; then
    continue
  fi
  [[ $sanitize == - ]] && sanitize=""
  dir="$build_root/build-rt-$name"
  log="$dir/variant.log"
  echo "== runtime tests: $name ($cxx${sanitize:+, -fsanitize=$sanitize})"
  started=$SECONDS

  if ! command -v "$cxx" >/dev/null 2>&1; then
    echo "   $cxx not found"
    summary+=("$name: FAILED ($cxx not found)")
    status=1
    continue
  fi

  # Configured every time (quick with a cache): an older build folder picks
  # up the options below.
  mkdir -p "$dir"
  if ! cmake -S "$repo" -B "$dir" "${generator[@]}" \
        -DAWAITIFY_RUNTIME_ONLY=ON \
        -DAWAITIFY_RUNTIME_TESTS_PER_BINARY=ON \
        -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=5 \
        -DCMAKE_CXX_COMPILER="$cxx" \
        -DCMAKE_BUILD_TYPE="$build_type" \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
        -DAWAITIFY_SANITIZE="$sanitize" >"$dir/configure.log" 2>&1; then
    cat "$dir/configure.log"
    rm -f "$dir/CMakeCache.txt"
    summary+=("$name: FAILED (configure)")
    status=1
    continue
  fi

  if ! cmake --build "$dir" -j "$jobs" >"$dir/build.log" 2>&1; then
    tail -n 60 "$dir/build.log"
    summary+=("$name: FAILED (build)")
    status=1
    continue
  fi

  run_ctest "$dir" "$log"
  rc=$?
  # ThreadSanitizer cannot map its shadow memory on kernels with high ASLR
  # entropy; it then dies with "unexpected memory mapping". Rerun with ASLR
  # off for this process tree.
  if ((rc != 0)) && [[ $sanitize == *thread* ]] &&
     grep -q "unexpected memory mapping" "$log"; then
    echo "   ThreadSanitizer needs ASLR off here; rerunning under setarch -R"
    setarch "$(uname -m)" -R bash -c "$(declare -f run_ctest); jobs=$jobs; run_ctest '$dir' '$log'"
    rc=$?
  fi

  counts=$(grep -E "tests passed|No tests were found" "$log" | tail -n 1)
  cases=$(grep -oE "\[  PASSED  \] [0-9]+ tests?" "$log" | awk '{n += $4} END {print n + 0}')
  counts+=" (${cases} test cases)"
  if ((rc != 0)); then
    grep -E -A40 "\*\*\*Failed|\(Failed\)|Exception|SEGFAULT|Timeout|Not Run" "$log" | head -n 200
    summary+=("$name: FAILED - ${counts:-ctest exit $rc} (log: $log)")
    status=1
  elif grep -q "No tests were found" "$log"; then
    summary+=("$name: FAILED - no tests found")
    status=1
  else
    summary+=("$name: ${counts}")
  fi
  summary[-1]+=" [$((SECONDS - started)) s]"
  echo "   ${summary[-1]}"
done

echo "== runtime variants summary"
printf '   %s\n' "${summary[@]}"
exit "$status"
