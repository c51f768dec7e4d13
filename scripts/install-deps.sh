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
  # The gRPC end-to-end test (test/grpc) also compiles a .proto: protoc
  # and gRPC's C++ plugin (libgrpc++-dev brings pkg-config, which finds
  # the libraries).
  protobuf-compiler protobuf-compiler-grpc
  # Runtime tests and benchmarks.
  libgtest-dev libgmock-dev libbenchmark-dev
  # Asio/Beast programs (end-to-end tests, benchmarks); test/asio also builds
  # them with g++ (Debian's default, 12), directly and through CMake.
  libboost-dev libasio-dev g++
  # libclang's Python bindings: test/asio/metrics.py measures programs on
  # clang's AST with them.
  python3-clang-19
  # Build driver; pre-commit for the test of .pre-commit-hooks.yaml.
  cmake make ninja-build python3 pre-commit
  # The CI tests parse docs/ci.md's GitHub, GitLab and Kubernetes set-ups
  # as YAML (test/ci/workflow_step.py).
  python3-yaml
  # Headless browser for the tests of `awaitify report` (test/report; they
  # are UNSUPPORTED without it).
  chromium
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

# Boost 1.81's headers for test/asio (a second Boost beside the system's
# 1.74; Asio, Beast and Boost.System are header-only). Debian's
# libboost1.81-dev conflicts with libboost1.74-dev, so it is not installed:
# its .deb is fetched with `apt-get download` and unpacked with `dpkg-deb -x`
# under $AWAITIFY_BOOST181_DIR (default ~/.cache/awaitify/boost-1.81; the
# headers land in DIR/usr/include). Skipped when the headers are there, or
# with AWAITIFY_SKIP_BOOST181=1; a failure here only leaves the Boost 1.81
# tests unregistered.
if [[ ${AWAITIFY_SKIP_BOOST181:-0} != 1 ]]; then
  boost181="${AWAITIFY_BOOST181_DIR:-${HOME:-/root}/.cache/awaitify/boost-1.81}"
  if ! grep -qs '"1_81"' "$boost181/usr/include/boost/version.hpp"; then
    echo "install-deps: unpacking libboost1.81-dev into $boost181"
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo=sudo
    if ! apt-cache show libboost1.81-dev >/dev/null 2>&1; then
      DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq || true
    fi
    tmp=$(mktemp -d)
    # (APT::Sandbox::User=root: as root, apt would download as _apt, which
    # cannot write into a private temporary folder.)
    if (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root libboost1.81-dev) \
       && mkdir -p "$(dirname "$boost181")" \
       && rm -rf "$boost181.part" \
       && dpkg-deb -x "$tmp"/libboost1.81-dev_*.deb "$boost181.part" \
       && grep -qs '"1_81"' "$boost181.part/usr/include/boost/version.hpp"; then
      rm -rf "$boost181" && mv "$boost181.part" "$boost181"
    else
      rm -rf "$boost181.part"
      echo "install-deps: libboost1.81-dev unavailable; the Boost 1.81 tests will not be registered" >&2
    fi
    rm -rf "$tmp"
  fi
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
