#!/usr/bin/env bash
# Issue 5's throughput bar: the 2,000-run sweep of the baseline with KPI output, with `--jobs 1` and `--jobs 2` in
# alternating pairs, so that both job counts see the same minutes of a machine whose speed drifts.
#
# Each timing is bracketed by core-check.c on every CPU: the time of a throughput-bound loop over that of a
# latency-bound one, ~1.0 when the cores are ours, 1.3-1.8 on this project's VM when the host runs something on their
# SMT siblings (which slows any code that issues several instructions per cycle, the tool's included). A timing counts
# as "at full speed" when every check before and after it says 1.15 or less.
#
# Usage: Benchmarks/sweep/throughput.sh [PAIRS] (default 5), from the repository, after a release build.
set -euo pipefail
shopt -s inherit_errexit  # a failing command inside $(...) stops the script too
pairs=${1:-5}
tool=.build/release/cloudmarket
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The Swift toolchain brings clang where no system compiler is installed.
"$(command -v cc || command -v clang)" -O2 -o "$work/core-check" Benchmarks/sweep/core-check.c

# The highest core-check ratio over the CPUs, each checked at the same time.
core_check() {
    local cpu
    for cpu in $(seq 0 $(($(nproc) - 1))); do taskset -c "$cpu" "$work/core-check" >"$work/check.$cpu" & done
    wait
    sort -n "$work"/check.* | tail -1
}

# "RUNS_PER_SECOND FULL_SPEED BEFORE AFTER" of one sweep with $1 jobs: FULL_SPEED is 1 or 0, BEFORE and AFTER the core checks.
timing() {
    local before after start end
    before=$(core_check)
    start=$(date +%s%N)
    "$tool" sweep Scenarios/baseline.yaml --vary model.network_effect=0.6:0.95 --vary classes.public.churn=0.05:0.15 \
        --design random --runs 2000 --jobs "$1" --quiet --out "$work/sweep"
    end=$(date +%s%N)
    rm -rf "$work/sweep"
    after=$(core_check)
    echo "$((2000000000000 / (end - start))) $(python3 -c "print(int(max($before, $after) <= 1.15))") $before $after"
}

for i in $(seq "$pairs"); do
    # Through variables: a failed sweep then stops the script, which a process substitution would not.
    first=$(timing 1)
    second=$(timing 2)
    read -r one one_full one_before one_after <<<"$first"
    read -r two two_full two_before two_after <<<"$second"
    echo "pair $i: --jobs 1 $one runs/s (core check $one_before, $one_after), --jobs 2 $two runs/s (core check $two_before, $two_after)"
    echo "$one $one_full $two $two_full" >>"$work/pairs"
done
python3 - "$work/pairs" <<'EOF'
import statistics, sys
pairs = [tuple(map(int, line.split())) for line in open(sys.argv[1])]
def summary(values):
    return f"min {min(values)}, median {statistics.median(values):.0f}, max {max(values)} runs/s" if values else "none"
for j, column in ((1, 0), (2, 2)):
    every = [p[column] for p in pairs]
    full = [p[column] for p in pairs if p[column + 1]]
    print(f"cloudmarket sweep (baseline, 2000 runs, 3 KPIs x 3 years, --jobs {j}): {summary(every)}; "
          f"at full speed ({len(full)} of {len(every)}): {summary(full)}")
ratios = [p[2] / p[0] for p in pairs]
full_ratios = [p[2] / p[0] for p in pairs if p[1] and p[3]]
print(f"--jobs 2 / --jobs 1, median of {len(ratios)} pairs: {statistics.median(ratios):.2f}"
      + (f"; of the {len(full_ratios)} pairs at full speed: {statistics.median(full_ratios):.2f}" if full_ratios else ""))
EOF
