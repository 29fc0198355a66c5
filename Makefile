# SPDX-License-Identifier: MIT
# The two commands of the README, on a fresh Debian 12 machine:
#   make demo   install what is missing, build, run the e1000e demo
#   make test   install what is missing, build with gcc and clang, run the tests
# The build itself is CMake + CTest; this file only strings the steps together.

BUILD        ?= build
BUILD_CLANG  ?= build-clang
JOBS         ?= 2
PACKAGES     := cmake gcc clang make pkg-config libcmocka-dev
# CTest labels run in each build (both compilers run every tier, so both
# stay green); benchmarks are programs, never tests.
LABELS       ?= ^(unit|functional|style)$$
LABELS_CLANG ?= $(LABELS)

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
APT  := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: all demo test deps configure build build-clang test-gcc test-clang clean

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
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L '$(LABELS)'

test-clang: build-clang
	cd $(BUILD_CLANG) && ctest --output-on-failure -j $(JOBS) -L '$(LABELS_CLANG)'

test: test-gcc test-clang
	@echo "make test: gcc ($(LABELS)) and clang ($(LABELS_CLANG)) passed"

demo: build
	@if [ ! -x scripts/demo.sh ]; then \
	  echo "make demo: scripts/demo.sh is missing or not executable;" \
	       "the demo script has not been written yet" >&2; \
	  exit 1; \
	fi
	NIRQ_BUILD_DIR="$(abspath $(BUILD))" scripts/demo.sh

clean:
	rm -rf $(BUILD) $(BUILD_CLANG)
