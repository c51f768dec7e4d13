#!/usr/bin/env bash
# Runs the runtime's unit tests in runtime-only builds, one per variant:
#
#   gcc-plain        g++           Debug (-O0, assertions on)
#   gcc-asan-ubsan   g++           AddressSanitizer + UndefinedBehaviorSanitizer
#   gcc-tsan         g++           ThreadSanitizer
#   clang-asan-ubsan clang++-19    AddressSanitizer + UndefinedBehaviorSanitizer
#   clang-tsan       clang++-19    ThreadSanitizer
#
# Sanitizer variants build at -O1 -g1 with assertions on: enough line
# information for reports, and quick to compile on two cores.
#
# (clang++-19 without sanitizers is the main build, `build`.) Each variant
# lives in $BUILD_ROOT/build-rt-<variant> (BUILD_ROOT defaults to the
# repository root) and is reused when present, so a second run only rebuilds
# what changed. Exits non-zero if any variant fails to configure, build or
# pass. `VARIANTS="gcc-tsan clang-tsan"` runs a subset.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_root=${BUILD_ROOT:-.}
[[ $build_root == /* ]] || build_root="$repo/$build_root"
jobs=${JOBS:-$(nproc)}
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)

#        name              compiler    build type      sanitizers
all=(
  "gcc-plain           g++         Debug           -"
  "gcc-asan-ubsan      g++         RelWithDebInfo  address,undefined"
  "gcc-tsan            g++         RelWithDebInfo  thread"
  "clang-asan-ubsan    clang++-19  RelWithDebInfo  address,undefined"
  "clang-tsan          clang++-19  RelWithDebInfo  thread"
)
wanted=${VARIANTS:-}

summary=()
status=0

run_ctest() {  # dir log
  ctest --test-dir "$1" --output-on-failure -j "$jobs" >"$2" 2>&1
}

for line in "${all[@]}"; do
  read -r name cxx build_type sanitize <<<"$line"
  if [[ -n $wanted && " $wanted " != *" $name "* ]]; then continue; fi
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

  if [[ ! -f $dir/CMakeCache.txt ]]; then
    mkdir -p "$dir"
    if ! cmake -S "$repo" -B "$dir" "${generator[@]}" \
        -DAWAITIFY_RUNTIME_ONLY=ON \
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
