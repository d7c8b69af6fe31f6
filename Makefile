# The two commands a newcomer types: `make run` and `make test`. Both install what is missing
# (apt, idempotent) and build first.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)

# ccache keys on paths relative to the checkout, so a fresh clone elsewhere reuses the cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: run test build deps bench fuzz sanitize security clean package

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -Wno-dev > /dev/null

build: deps $(BUILD_DIR)/build.ninja
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@bash scripts/run-local.sh

test: build
	@bash scripts/run-tests.sh $(BUILD_DIR)

# build/fraudgov_<version>_amd64.deb: the production binary, sample configuration, systemd units.
package: deps $(BUILD_DIR)/build.ninja
	@cmake --build $(BUILD_DIR) --target fraudgov -j $(JOBS)
	@bash scripts/package.sh $(BUILD_DIR)

bench: build
	@bash bench/run.sh $(BUILD_DIR)

# The pure, parser-heavy modules and their fuzz regressions under ASan + UBSan (CI runs this
# after `make test`; the Beast server is left out because its sanitizer build costs minutes).
sanitize: deps
	@bash scripts/sanitize.sh

# Coverage-guided fuzzing with clang's libFuzzer + ASan/UBSan (FUZZ_SECONDS per target).
fuzz: deps
	@bash scripts/fuzz.sh

# sqlmap (batch mode, bounded time) against every authenticated list and filter endpoint of
# fraudgov on a throwaway PostgreSQL; fails on any finding or any 5xx answer.
security: build
	@bash scripts/security.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
