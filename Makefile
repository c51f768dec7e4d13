# The README's commands. Each one first makes sure the machine has what the
# build needs (scripts/install-deps.sh is idempotent and quick when it does).
#
#   make demo    build awaitify and run it over examples/
#   make test    build and run every test suite (under 15 minutes on 2 cores)
#   make test-long   the same, plus the long sweeps (ctest label `long`)
#   make bench   build and run the benchmarks
#   make install PREFIX=/usr/local

BUILD     ?= build
PREFIX    ?= /usr/local
JOBS      ?= $(shell nproc)
CXX_TOOL  ?= clang++-19
CMAKE_GEN := $(shell command -v ninja >/dev/null 2>&1 && echo -G Ninja)

.PHONY: all deps configure build test test-long test-variants demo bench install clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	@$(MAKE) --no-print-directory deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_CXX_COMPILER=$(CXX_TOOL) -DCMAKE_INSTALL_PREFIX=$(PREFIX)

configure: $(BUILD)/CMakeCache.txt

build: deps configure
	cmake --build $(BUILD) -j $(JOBS)

# The runtime variants build and run beside ctest (their log is printed when
# ctest is done): each leaves cores idle at times that the other fills.
test: build
	@bash scripts/test-all.sh $(BUILD) $(JOBS) -LE long

test-long: build
	@LONG=1 bash scripts/test-all.sh $(BUILD) $(JOBS)

demo: build
	@bash scripts/demo.sh $(BUILD)

bench: build
	@bash bench/run.sh $(BUILD)

# --prefix: PREFIX wins over the prefix the build folder was configured with.
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(BUILD)-*
