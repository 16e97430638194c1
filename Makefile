# cloudmarket: the two entry points of the README, and the targets they stand on.
SWIFT ?= swift
# apt-get needs root; elsewhere go through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench deps build format clean

## run: build the tool (release) and run the built-in baseline into Outputs/baseline/
run: deps
	$(SWIFT) build -c release --product cloudmarket
	.build/release/cloudmarket run

## test: build and run the whole test suite
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## bench: release-build timings: one baseline run in-process, and the whole `cloudmarket run` command
bench: deps
	$(SWIFT) build -c release --product Benchmarks
	$(SWIFT) build -c release --product cloudmarket
	.build/release/Benchmarks Scenarios/baseline.yaml
	@out=$$(mktemp -d); start=$$(date +%s%N); \
	for i in 1 2 3 4 5 6 7 8 9 10; do .build/release/cloudmarket run --quiet --out $$out/run || exit 1; done; \
	end=$$(date +%s%N); echo "cloudmarket run (whole command, baseline, 10 runs): $$(( (end - start) / 10000000 )) ms per run"; \
	rm -rf $$out

## deps: install GNU GSL and pkg-config from Debian when they are missing
deps:
	@if ! pkg-config --exists gsl 2>/dev/null; then \
		echo "installing libgsl-dev and pkg-config (apt-get)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libgsl-dev pkgconf; \
	fi

## build: release build of the command-line tool only
build: deps
	$(SWIFT) build -c release --product cloudmarket

## format: apply swift format to every Swift file
format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests Benchmarks

clean:
	rm -rf .build
