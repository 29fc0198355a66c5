# SPDX-License-Identifier: MIT
# The two commands of the README, on a fresh Debian 12 machine:
#   make demo   install what is missing, build, run the e1000e demo
#   make test   install what is missing, build with gcc and clang, run the
#               tests; then the unit and functional tiers again under
#               ASan+UBSan (gcc), TSan (clang) and valgrind memcheck; the
#               stress tier (gcc and TSan); each fuzz target for a bounded time;
#               the vm tier (VFIO tests in a QEMU guest, gcc build) right
#               after the gcc tiers
#   make fuzz   the fuzz targets for longer (FUZZ_LONG_SECONDS each)
# The build itself is CMake + CTest (the sanitizer builds use the presets of
# CMakePresets.json); this file only strings the steps together.
# docs/testing.md describes each step and how to run one on its own.

BUILD        ?= build
BUILD_CLANG  ?= build-clang
BUILD_ASAN   ?= build-asan
BUILD_TSAN   ?= build-tsan
BUILD_VALGRIND ?= build-valgrind
BUILD_FUZZ   ?= build-fuzz
JOBS         ?= 2
# libclang-rt-dev: clang's sanitizer runtimes (TSan); valgrind: memcheck;
# qemu-system-x86 busybox-static cpio xz-utils: the vm tier's guest
# (tests/vm/vm-run; it also downloads Debian's kernel package with apt).
PACKAGES     := cmake gcc clang make pkg-config libcmocka-dev \
                libclang-rt-dev valgrind \
                qemu-system-x86 busybox-static cpio xz-utils
# CTest labels run in each build (both compilers run every tier, so both
# stay green); benchmarks are programs, never tests.
LABELS       ?= ^(unit|functional|style)$$
LABELS_CLANG ?= $(LABELS)
# Tiers run under each sanitizer and under valgrind.
LABELS_SAN   ?= ^(unit|functional)$$
# The vm tier: each guest of tests/vm/guests boots once (QEMU TCG, one at a
# time); skipped, and said so, only where QEMU cannot run at all.
LABELS_VM    ?= ^vm$$
# The stress tier runs once in the gcc build and once under TSan (which
# scales itself down); NDISIRQ_STRESS_SCALE grows it for soaks.
LABELS_STRESS ?= ^stress$$
# libFuzzer targets (clang, ASan+UBSan): seconds per target in make test
# and in make fuzz.
FUZZ_TARGETS := fuzz_interrupt_chars fuzz_policy fuzz_sim_config fuzz_cli
FUZZ_SECONDS ?= 15
FUZZ_LONG_SECONDS ?= 600
CTEST        := ctest --output-on-failure --no-tests=error -j $(JOBS)

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
APT  := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: all demo test deps configure build build-clang test-gcc test-clang \
        build-asan build-tsan build-valgrind test-asan test-tsan test-valgrind \
        test-sanitizers test-stress test-vm build-fuzz test-fuzz fuzz clean

all: build

# Install only what dpkg does not report as installed; apt-get update only
# when the first install attempt fails (stale or empty package lists).
deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg -s $$p 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing:$$missing"; \
	  $(APT) install -y --no-install-recommends $$missing || \
	  { $(APT) update && $(APT) install -y --no-install-recommends $$missing; } || \
	  { echo "make: could not install:$$missing" >&2; exit 1; }; \
	fi

configure: deps
	cmake -S . -B $(BUILD) -DCMAKE_C_COMPILER=gcc

build: configure
	cmake --build $(BUILD) -j $(JOBS)

build-clang: deps
	cmake -S . -B $(BUILD_CLANG) -DCMAKE_C_COMPILER=clang
	cmake --build $(BUILD_CLANG) -j $(JOBS)

test-gcc: build
	cd $(BUILD) && $(CTEST) -L '$(LABELS)'

# The guest kernel is cached (NIRQ_VM_CACHE, default ~/.cache/ndisirq/vm).
# A skipped tier is reported as such, never as passed.
test-vm: build
	mkdir -p $(BUILD)/tests/vm/run
	rm -f $(BUILD)/tests/vm/run/*/results $(BUILD)/tests/vm/run/tier-status
	cd $(BUILD) && $(CTEST) -L '$(LABELS_VM)'
	@if grep -qs '^status qemu-unavailable' $(BUILD)/tests/vm/run/*/results; then \
	  echo "make test-vm: vm tier SKIPPED, not passed: QEMU cannot run here:" \
	       "$$(sed -n 's/^reason //p' $(BUILD)/tests/vm/run/*/results | head -n 1)"; \
	  echo skipped >$(BUILD)/tests/vm/run/tier-status; \
	else \
	  echo passed >$(BUILD)/tests/vm/run/tier-status; \
	fi

test-clang: build-clang
	cd $(BUILD_CLANG) && $(CTEST) -L '$(LABELS_CLANG)'

# Sanitizer and valgrind builds: configured by the presets of the same name
# (CMakePresets.json), in their own directories.
build-asan: deps
	cmake --preset asan-ubsan -B $(BUILD_ASAN)
	cmake --build $(BUILD_ASAN) -j $(JOBS)

build-tsan: deps
	cmake --preset tsan -B $(BUILD_TSAN)
	cmake --build $(BUILD_TSAN) -j $(JOBS)

build-valgrind: deps
	cmake --preset valgrind -B $(BUILD_VALGRIND)
	cmake --build $(BUILD_VALGRIND) -j $(JOBS)

# The sanitizer runtime options (exit status 86 on any report) come from the
# build directory (nirq_test_env.cmake, read by CTest).
test-asan: build-asan
	cd $(BUILD_ASAN) && $(CTEST) -L '$(LABELS_SAN)'

test-tsan: build-tsan
	cd $(BUILD_TSAN) && $(CTEST) -L '$(LABELS_SAN)'

# valgrind exits 97 on an error or a definite leak, which fails the test.
# cmake/NirqMemcheck.cmake runs the test programs under ctest -T memcheck
# and the script tests (the CLI's) with ndisirq under valgrind.
test-valgrind: build-valgrind
	cd $(BUILD_VALGRIND) && cmake -DLABELS='$(LABELS_SAN)' -DJOBS=$(JOBS) \
	  -P $(CURDIR)/cmake/NirqMemcheck.cmake

test-sanitizers: test-asan test-tsan test-valgrind

test-stress: build build-tsan
	cd $(BUILD) && $(CTEST) -L '$(LABELS_STRESS)'
	cd $(BUILD_TSAN) && $(CTEST) -L '$(LABELS_STRESS)'

build-fuzz: deps
	cmake -S . -B $(BUILD_FUZZ) -DCMAKE_C_COMPILER=clang -DNIRQ_FUZZ=ON
	cmake --build $(BUILD_FUZZ) -j $(JOBS) --target $(FUZZ_TARGETS)

# The fuzz-run tests have no TIMEOUT property: --timeout sets theirs.
test-fuzz: build-fuzz
	cd $(BUILD_FUZZ) && NIRQ_FUZZ_SECONDS=$(FUZZ_SECONDS) $(CTEST) -L '^fuzz$$' \
	  --timeout 300

fuzz: build-fuzz
	cd $(BUILD_FUZZ) && NIRQ_FUZZ_SECONDS=$(FUZZ_LONG_SECONDS) $(CTEST) -L '^fuzz$$' \
	  --timeout $$(( $(FUZZ_LONG_SECONDS) + 300 ))

test: test-gcc test-vm test-clang test-sanitizers test-stress test-fuzz
	@echo "make test: gcc ($(LABELS)) and clang ($(LABELS_CLANG)) passed;" \
	      "vm tier $$(cat $(BUILD)/tests/vm/run/tier-status 2>/dev/null || echo '?');" \
	      "$(LABELS_SAN) passed under ASan+UBSan, TSan and valgrind;" \
	      "stress (gcc, TSan) and fuzz ($(FUZZ_SECONDS) s per target) passed"

demo: build
	@if [ ! -x scripts/demo.sh ]; then \
	  echo "make demo: scripts/demo.sh is missing or not executable;" \
	       "the demo script has not been written yet" >&2; \
	  exit 1; \
	fi
	NIRQ_BUILD_DIR="$(abspath $(BUILD))" scripts/demo.sh

clean:
	rm -rf $(BUILD) $(BUILD_CLANG) $(BUILD_ASAN) $(BUILD_TSAN) $(BUILD_VALGRIND) \
	       $(BUILD_FUZZ)
