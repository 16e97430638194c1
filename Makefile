# cloudmarket: the two entry points of the README, and the targets they stand on.
SWIFT ?= swift
# apt-get needs root; elsewhere go through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-slurm bench bench-python calibrate scenario-table notebooks docs schema deps build format clean

## run: build the tool (release) and run the built-in baseline into Outputs/baseline/
run: deps
	$(SWIFT) build -c release --product cloudmarket
	.build/release/cloudmarket run

## test: build and run the whole test suite: the Swift tests, then the desk checks (Tests/desk: what the tool writes, checked with jsonschema, frictionless, Jupyter and chromium, installed by Scripts/desk/setup.sh when missing)
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	bash Scripts/desk/setup.sh
	.venv-desk/bin/python -m pytest -q -p no:cacheprovider Tests/desk

## test-slurm: the cluster workflow for real: a single-node Slurm on loopback (Debian's slurm-wlm and munge, installed when missing), a sweep as a 4-task job array (Scripts/slurm/sweep.sbatch), merged, byte-identical to the single-process run
test-slurm: deps
	$(SWIFT) build -c release --product cloudmarket
	SUDO=$(SUDO) bash Scripts/slurm/test-slurm.sh

## bench: release-build timings: one baseline run in-process, the whole `cloudmarket run` command, a calibration, an attribution, sweep throughput (Benchmarks/sweep/throughput.sh: 5 alternating --jobs 1/--jobs 2 pairs, each timing bracketed by a check of whether the cores run at full speed)
bench: deps
	$(SWIFT) build -c release --product Benchmarks
	$(SWIFT) build -c release --product cloudmarket
	.build/release/Benchmarks Scenarios/baseline.yaml
	@out=$$(mktemp -d); start=$$(date +%s%N); \
	for i in 1 2 3 4 5 6 7 8 9 10; do .build/release/cloudmarket run --quiet --out $$out/run || exit 1; done; \
	end=$$(date +%s%N); echo "cloudmarket run (whole command, baseline, 10 runs): $$(( (end - start) / 10000000 )) ms per run"; \
	rm -rf $$out
	@start=$$(date +%s%N); .build/release/cloudmarket calibrate Scenarios/backcast-2017.yaml --data Scenarios/history/synergy-europe.csv \
		--fit regions.EUROPE.segments.IaaS.growth.rate,regions.EUROPE.segments.PaaS.growth.rate=0:1 \
		--fit groups.eu_providers.appeal --fit groups.other_non_eu.appeal --set groups.eu_providers.appeal=-1.5 \
		--out $$(mktemp -d)/fit --quiet || exit 1; end=$$(date +%s%N); \
	echo "cloudmarket calibrate (backcast-2017, 3 parameters, from a perturbed start): $$(( (end - start) / 1000000 )) ms"
	@for j in 1 2; do start=$$(date +%s%N); \
		.build/release/cloudmarket attribute Scenarios/baseline.yaml --baseline Scenarios/no-policy.yaml --kpi share_eu@2030 \
			--jobs $$j --out $$(mktemp -d)/attribution --quiet || exit 1; end=$$(date +%s%N); \
		echo "cloudmarket attribute (baseline vs no-policy, 9 levers, 512 runs, --jobs $$j): $$(( (end - start) / 1000000 )) ms"; \
	done
	Benchmarks/sweep/throughput.sh 5

## bench-python: issue 5's comparison: the same Sobol analysis (model.network_effect × classes.public.churn, N = 512 base points = 2048 runs, share_eu@2025/2030/2035) by SALib driving a NumPy/SciPy port of the model (Benchmarks/python), 1 and 2 processes, and by `cloudmarket sensitivity --jobs 1|2`: runs/s (min and median of 3), the ratio, both sets of indices. The port is first checked against the tool (pytest). The Python side runs ~5 runs/s per process (~45 min for all its repeats): BENCH_PYTHON_ARGS="--python-base 128" times it on 512 runs instead (Benchmarks/python/RESULTS.md)
BENCH_PYTHON_ARGS ?=
bench-python: deps .venv-bench/installed
	$(SWIFT) build -c release --product cloudmarket
	cd Benchmarks/python && ../../.venv-bench/bin/python -m pytest -q -p no:cacheprovider test_model.py
	.venv-bench/bin/python Benchmarks/python/bench_salib.py --tool .build/release/cloudmarket --base 512 --repeats 3 $(BENCH_PYTHON_ARGS)

.venv-bench/installed: Benchmarks/python/requirements.txt
	[ -x .venv-bench/bin/python ] || python3 -m venv .venv-bench
	.venv-bench/bin/pip install -q -r Benchmarks/python/requirements.txt
	touch $@

## calibrate: re-run the shipped calibrations and rewrite the scenario files in place (the commands in their headers)
calibrate: build
	.build/release/cloudmarket calibrate Scenarios/adoption-2014.yaml --data Scenarios/history/eurostat-adoption.csv \
		--fit regions.EU27.adoption.p=0: --fit regions.EU27.adoption.q=0: --fit regions.EU27.adoption.ceiling=0.41:1 \
		--fit regions.FR.adoption.p=0: --fit regions.FR.adoption.q=0: --fit regions.FR.adoption.ceiling=0.29:1 \
		--fit regions.FI.adoption.p=0: --fit regions.FI.adoption.q=0: --fit regions.FI.adoption.ceiling=0.75:1 \
		--max-iterations 1000 --write Scenarios/adoption-2014.yaml
	.build/release/cloudmarket calibrate Scenarios/backcast-2017.yaml --data Scenarios/history/synergy-europe.csv \
		--fit regions.EUROPE.segments.IaaS.growth.rate,regions.EUROPE.segments.PaaS.growth.rate=0:1 \
		--fit groups.eu_providers.appeal --fit groups.other_non_eu.appeal --write Scenarios/backcast-2017.yaml
	.build/release/cloudmarket calibrate Scenarios/baseline.yaml --data Scenarios/history/france-infra-2021.csv \
		--fit groups.fr_providers.appeal.IaaS,groups.fr_providers.appeal.PaaS \
		--fit regions.FR.segments.IaaS.growth.rate,regions.FR.segments.PaaS.growth.rate=0:1 \
		--absolute-weights --write Scenarios/baseline.yaml
	@echo "values carried by hand between files (see their comments): backcast → baseline appeals, adoption-2014 → adoption blocks"

## scenario-table: run the scenario library and write its table into Scenarios/README.md
LIBRARY := baseline no-policy cloud-de-confiance eucs-high-sovereignty eucs-without-sovereignty trusted-hybrids-qualified \
	data-act-portability ai-compute-surge strong-industrial-policy
scenario-table: build
	$(SWIFT) build -c release --product ScenarioTable
	@runs=$$(mktemp -d); rows=""; \
	for s in $(LIBRARY); do \
		.build/release/cloudmarket run Scenarios/$$s.yaml --quiet --out $$runs/$$s || exit 1; rows="$$rows $$s=$$runs/$$s"; \
	done; \
	for k in 1.1 2.0; do \
		.build/release/cloudmarket run Scenarios/data-act-portability.yaml --quiet --out $$runs/data-act-$$k \
			--set levers.data_act_portability.churn_multiplier=$$k || exit 1; \
		rows="$$rows data-act-portability@churn×$$k=$$runs/data-act-$$k"; \
	done; \
	.build/release/ScenarioTable Scenarios/README.md $$rows && rm -rf $$runs && echo "updated the table in Scenarios/README.md"

## notebooks: the shipped baseline and the policy comparison baseline vs no-policy (run, compare, attribute) into Outputs/, charted by `cloudmarket notebook`, executed and exported (.ipynb and .html) into notebooks-export/
POLICY_GROUPS := --group funding=industrial_policy_2021_22,industrial_policy_2023,ipcei_cis \
	--group label=secnumcloud_2022,secnumcloud_2024,s3ns_secnumcloud --group portability=sren_portability,data_act_portability
NOTEBOOKS := baseline baseline-vs-no-policy baseline-attribution
# The notebooks read the runs from ../Outputs/ and are executed where they are (the kernel starts in notebooks-export/);
# without timings, so that regenerating them changes the files only where the results change.
notebooks: build
	bash Scripts/desk/python-env.sh
	.build/release/cloudmarket run --quiet
	.build/release/cloudmarket run Scenarios/no-policy.yaml --quiet
	.build/release/cloudmarket compare Outputs/baseline Outputs/no-policy --quiet
	.build/release/cloudmarket attribute Scenarios/baseline.yaml --baseline Scenarios/no-policy.yaml $(POLICY_GROUPS) \
		--kpi share_eu --kpi share_non_eu --kpi revenue:fr_providers --year 2030 --year 2035 --quiet
	for n in $(NOTEBOOKS); do .build/release/cloudmarket notebook Outputs/$$n --out notebooks-export/$$n.ipynb --quiet || exit 1; done
	cd notebooks-export && ../.venv-desk/bin/jupyter nbconvert --log-level WARN --execute --inplace --to notebook \
		--ExecutePreprocessor.record_timing=False $(NOTEBOOKS:=.ipynb)
	cd notebooks-export && ../.venv-desk/bin/jupyter nbconvert --log-level WARN --to html $(NOTEBOOKS:=.ipynb)

## docs: the man page (generated from the help by swift-argument-parser's generate-manual) and completion scripts for bash, zsh and fish, into share/
docs: build
	mkdir -p share/man/man1 share/completions
	$(SWIFT) package --allow-writing-to-directory share/man/man1 generate-manual --output-directory share/man/man1
	.build/release/cloudmarket --generate-completion-script bash > share/completions/cloudmarket.bash
	.build/release/cloudmarket --generate-completion-script zsh > share/completions/_cloudmarket
	.build/release/cloudmarket --generate-completion-script fish > share/completions/cloudmarket.fish

## schema: rewrite Scenarios/scenario.schema.json (the JSON Schema editors check scenario files with) from the validator's definitions
schema: build
	.build/release/cloudmarket schema --out Scenarios/scenario.schema.json

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
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests Benchmarks Tools

clean:
	rm -rf .build
