# Alder: the commands a developer types. `make demo` and `make test` work on a fresh Debian 12 machine.
# It must never hold build logic of its own: CMake does the building, this file only drives it.

BOARD ?= posix
# SANITIZE=undefined builds with UBSan into its own build directory.
SANITIZE ?=
BUILD_DIR ?= build/$(BOARD)$(if $(SANITIZE),-$(SANITIZE))
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE ?= cmake
CTEST ?= ctest
CMAKE_ARGS ?=
CTEST_ARGS ?=
# Which groups of tools/install-deps.sh `make test` makes sure of.
DEPS ?= host arm qemu

# A board may add to the variables above (e.g. DEPS, CMAKE_ARGS) in boards/<board>/board.mk:
# that is the hook for boards whose tests need more than the generic configure/build/ctest.
-include boards/$(BOARD)/board.mk

CLANG_FORMAT ?= clang-format
FORMAT_DIRS := kernel boards tests demos libraries tools
FORMAT_FILES = $(shell find $(FORMAT_DIRS) -name '*.[ch]' -not -path '*/build/*' 2>/dev/null)

# The steps of `make test` must run in order, and the nested builds need not announce directories.
.NOTPARALLEL:
MAKEFLAGS += --no-print-directory

# The kernel footprint is measured on Cortex-M3 whatever BOARD is.
SIZE_BOARD ?= qemu-mps2-an385

.PHONY: all help deps configure build demo test test-board qualify fuzz bench size format format-check clean version

all: build

help:
	@echo "make demo          build and run demos/kernel_demo on BOARD (default posix)"
	@echo "make test          install what is missing, configure, build, run every test with ctest"
	@echo "make qualify       run BOARD's qualification groups; report in build/qualify/BOARD/report.md"
	@echo "make version       the Alder release and every component's version"
	@echo "make fuzz          run every libFuzzer target for FUZZ_SECONDS each (default 60)"
	@echo "make bench         run the BOARD's benchmarks (kernel; TLS on posix) and record them in docs/benchmarks.md"
	@echo "make size          the kernel's footprint on Cortex-M3, recorded in docs/benchmarks.md"
	@echo "make format        clang-format the sources in place; make format-check only reports"
	@echo "make clean         remove build/"
	@echo "variables: BOARD=$(BOARD) BUILD_DIR=$(BUILD_DIR) SANITIZE=$(SANITIZE) CTEST_ARGS=$(CTEST_ARGS)"

deps:
	tools/install-deps.sh $(DEPS)

configure:
	$(CMAKE) -S . -B $(BUILD_DIR) -DALDER_BOARD=$(BOARD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
		-DALDER_SANITIZE=$(SANITIZE) $(CMAKE_ARGS)

build: configure
	$(CMAKE) --build $(BUILD_DIR) --parallel $(JOBS)

demo: configure
	$(CMAKE) --build $(BUILD_DIR) --parallel $(JOBS) --target kernel_demo
	$(CMAKE) --build $(BUILD_DIR) --target demo

# `make test` tests every board that runs on this machine; `make test BOARD=x` tests board x only.
ifeq ($(origin BOARD),command line)
TEST_BOARDS ?= $(BOARD)
else
TEST_BOARDS ?= posix qemu-mps2-an385
endif

test: deps
	@set -e; for board in $(TEST_BOARDS); do \
		echo "== make test: board $$board"; \
		$(MAKE) --no-print-directory test-board BOARD=$$board; \
	done

# One board: configure, build, run its ctest tests. BOARD_CTEST_ARGS comes from boards/<board>/board.mk.
test-board: build
	$(CTEST) --test-dir $(BUILD_DIR) --output-on-failure --no-tests=error $(BOARD_CTEST_ARGS) $(CTEST_ARGS)

# `make qualify BOARD=x`: build the board's test images and the runner (tools/qualify), run every
# qualification group the board declares, and write build/qualify/<board>/report.md and report.xml.
# Its exit status is 0 only when the board qualified. TIMEOUT_MULTIPLIER scales every timeout (a slow
# board, a loaded host); QUALIFY_ARGS passes more options (--group NAME, --jobs N).
QUALIFY_DIR ?= build/qualify/$(BOARD)
TIMEOUT_MULTIPLIER ?= 1
QUALIFY_ARGS ?=

qualify: deps build
	$(BUILD_DIR)/host-tools/qualify/alder_qualify --manifest $(BUILD_DIR)/qualify/manifest --out $(QUALIFY_DIR) \
		--timeout-multiplier $(TIMEOUT_MULTIPLIER) $(QUALIFY_ARGS)

# `make fuzz`: the libFuzzer targets of the parsers we own, built with clang in build/fuzz, each run
# for FUZZ_SECONDS from its checked-in seeds; the corpus grows in build/fuzz/corpus/<target>.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= qualify/fuzz_output qualify/fuzz_manifest echo_server/fuzz_echo_options pkcs11/fuzz_pkcs11_store \
	pkcs11/fuzz_pkcs11_template pkcs11/fuzz_pkcs11_provision

fuzz:
	tools/install-deps.sh host fuzz
	$(CMAKE) -S tools -B build/fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo
	$(CMAKE) --build build/fuzz --parallel $(JOBS)
	@set -e; for target in $(FUZZ_TARGETS); do \
		name=$$(basename $$target); corpus=build/fuzz/corpus/$$name; mkdir -p $$corpus; \
		seeds=tools/$$(dirname $$target)/fuzz/seeds/$$name; \
		[ -d $$seeds ] || seeds=libraries/$$(dirname $$target)/fuzz/seeds/$$name; \
		echo "== fuzz $$name for $(FUZZ_SECONDS) s"; \
		build/fuzz/$$target -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $$corpus \
			$$seeds > build/fuzz/$$name.log 2>&1 \
			|| { tail -40 build/fuzz/$$name.log; echo "fuzz: $$name found a bug (build/fuzz/$$name.log)"; exit 1; }; \
		grep -E '^stat::(number_of_executed_units|new_units_added)' build/fuzz/$$name.log; \
		echo "   corpus: $$(ls $$corpus | wc -l) inputs"; \
	done

bench: configure
	$(CMAKE) --build $(BUILD_DIR) --parallel $(JOBS) --target alder_bench
	$(CMAKE) --build $(BUILD_DIR) --target bench

size:
	tools/install-deps.sh host arm
	$(CMAKE) -S . -B build/$(SIZE_BOARD) -DALDER_BOARD=$(SIZE_BOARD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
	$(CMAKE) --build build/$(SIZE_BOARD) --parallel $(JOBS) --target size

format:
	$(CLANG_FORMAT) -i $(FORMAT_FILES)

format-check:
	$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_FILES)

clean:
	rm -rf build

version:
	@$(CMAKE) -P cmake/alder_version.cmake
