# The two README commands: `make demo` and `make test`. Both install what they need
# (scripts/setup, Debian packages only), configure and build.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all setup configure build demo test coverage bench fuzz clean

all: build

setup:
	@scripts/setup

configure: setup
	@scripts/fetch-tokenizer-data
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: configure
	@ninja -C $(BUILD)

# Exports the bundled examples into out/ (see README "Quick start").
demo: build
	@scripts/demo

# Runs every test: unit, golden, parity, end-to-end.
test: build
	@scripts/test-peers
	@cd $(BUILD) && ctest --output-on-failure --timeout 900 -j $(JOBS)

# Line coverage per module (gcovr); builds separately in build-coverage.
coverage: setup
	@scripts/coverage

# Benchmarks beside the peers; writes figures to stdout (see BENCHMARKS.md).
bench: build
	@bench/run

# libFuzzer targets (clang); see fuzz/README.md.
fuzz: setup
	@scripts/build-fuzz

clean:
	rm -rf $(BUILD) build-coverage build-fuzz out
