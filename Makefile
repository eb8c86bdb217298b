# Clarity Connect — the two commands a newcomer needs: `make demo` and `make test`.
# PRESET selects a CMake preset from CMakePresets.json: dev (default), ci (default when CI is set:
# warnings are errors), asan (AddressSanitizer + UBSan: `make test PRESET=asan`), release.
ifneq ($(CI),)
PRESET ?= ci
else
PRESET ?= dev
endif
JOBS ?= $(shell nproc)
BUILD_DIR := build/$(PRESET)
BENCH ?=
FUZZ ?=
SECONDS ?= 600

.PHONY: setup configure build test test-odoo demo bench fuzz format clean

setup:
	@bash scripts/setup.sh

configure: setup
	@cmake --preset $(PRESET) >/dev/null

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 600

# The Odoo contract suite against a live Odoo (docs/odoo.md "Contract suite"): make test-odoo
# ODOO_URL=… ODOO_DB=… ODOO_USER=… ODOO_API_KEY=… [ODOO_I_KNOW=1]. The fake-Odoo run of the same
# suite is part of `make test` (ctest label contract).
test-odoo:
	@if [ -z "$(ODOO_URL)" ] || [ -z "$(ODOO_DB)" ] || [ -z "$(ODOO_USER)" ] || [ -z "$(ODOO_API_KEY)" ]; then \
		echo "make test-odoo: nothing to run: set ODOO_URL, ODOO_DB, ODOO_USER and ODOO_API_KEY" \
		     "(a test database; see docs/odoo.md). The fake-Odoo contract run is part of 'make test'."; \
		exit 2; \
	fi
	@$(MAKE) --no-print-directory configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target odoo_contract_tests
	@echo "odoo_contract_tests against $(ODOO_URL) database $(ODOO_DB) (API key not shown)"
	@ODOO_URL="$(ODOO_URL)" ODOO_DB="$(ODOO_DB)" ODOO_USER="$(ODOO_USER)" ODOO_API_KEY="$(ODOO_API_KEY)" \
		ODOO_I_KNOW="$(ODOO_I_KNOW)" $(BUILD_DIR)/tests/contract/odoo_contract_tests $(ODOO_TEST_ARGS)

# The demo needs only the daemon and the sandbox (fake SP-API + fake Odoo); building the whole
# release tree (tests, benches) would make a newcomer's first command needlessly slow.
# DEMO_EXIT_WHEN_IDLE=1 stops once every seeded order is final (see docs/sandbox.md).
demo:
	@$(MAKE) --no-print-directory configure PRESET=release
	cmake --build build/release -j $(JOBS) --target clarity-connect clarity-sandbox
	@bash scripts/demo.sh build/release

bench:
	@$(MAKE) --no-print-directory build PRESET=release
	@bash scripts/bench.sh build/release $(BENCH)

# One fuzz target for a long run: make fuzz FUZZ=odoo_json SECONDS=600 (names: tests/fuzz/README.md).
fuzz: setup
	@test -n "$(FUZZ)" || { echo "make fuzz: say which target, e.g. FUZZ=odoo_json (tests/fuzz/README.md)"; exit 2; }
	@bash tests/fuzz/run_fuzz.sh build/fuzz $(FUZZ) $(SECONDS)

format:
	@find include src tests bench -name '*.hpp' -o -name '*.cpp' | xargs clang-format -i

clean:
	rm -rf build
