#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test awaitify.
# Idempotent: packages already present are not touched, and nothing runs apt
# when everything is there. Both `make demo` and `make test` call this script.
set -euo pipefail

packages=(
  # LLVM/Clang 19: the libraries the tool links, the compiler the tests use,
  # and lit/FileCheck for the test suite.
  llvm-19-dev libclang-19-dev clang-19 llvm-19-tools clang-tidy-19
  clang-tools-19 libclang-rt-19-dev
  # clangd's library is linked into awaitify-clangd; it needs gRPC/protobuf.
  libgrpc++-dev libprotobuf-dev
  # Runtime tests and benchmarks.
  libgtest-dev libgmock-dev libbenchmark-dev
  # Asio/Beast programs (end-to-end tests, benchmarks).
  libboost-dev libasio-dev
  # Build driver; pre-commit for the test of .pre-commit-hooks.yaml.
  cmake make ninja-build python3 pre-commit
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The SARIF validator (tests only). Installed into the build tree's node prefix
# so that nothing global changes.
if [[ ${AWAITIFY_SKIP_NPM:-0} != 1 ]]; then
  prefix="${AWAITIFY_NPM_PREFIX:-$(dirname "$0")/../build/npm}"
  if [[ ! -x "$prefix/node_modules/.bin/sarif-multitool" ]] && command -v npm >/dev/null; then
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --silent \
      @microsoft/sarif-multitool >/dev/null 2>&1 \
      || echo "install-deps: npm @microsoft/sarif-multitool unavailable; SARIF validation tests will be unsupported" >&2
  fi
fi
