"""Sobol sensitivity of the baseline, the SALib way and the cloudmarket way, timed on the same machine.

Python: SALib's Saltelli sample (`SALib.sample.sobol`, N·(k+2) runs), the NumPy/SciPy port of the model
(cloudmarket_model.py) on every row, `SALib.analyze.sobol` with 1000 bootstrap resamples; in one process,
then over `multiprocessing.Pool`. Swift: `cloudmarket sensitivity` with the same parameters, ranges, base
points, KPIs and resamples, `--jobs 1` and `--jobs 2`. Each timing is repeated; min and median are printed.

Usage: python bench_salib.py --tool .build/release/cloudmarket [--base 512] [--python-base N] [--repeats 3] [--jobs 1 2]
"""

import argparse
import csv
import multiprocessing
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

import cloudmarket_model as cm

PROBLEM = {
    "num_vars": 2,
    "names": ["model.network_effect", "classes.public.churn"],
    "bounds": [[0.6, 0.95], [0.05, 0.15]],
}
YEARS = (2025, 2030, 2035)
RESAMPLES = 1000

_scenario = None  # the resolved baseline, loaded once per process


def _load(path):
    global _scenario
    _scenario = cm.load_scenario(path)


def kpis(row):
    """share_eu (Europe, all segments) at each of YEARS for one sample row."""
    model = cm.Model(cm.with_overrides(_scenario, dict(zip(PROBLEM["names"], row))))
    by_time = {snap["time"]: snap["share_eu"][-1, -1] for snap in model.run()}
    return [by_time[float(year)] for year in YEARS]


def python_sensitivity(scenario_path, base, jobs):
    """Sample, run every row (in `jobs` processes), analyse: the whole SALib workflow. Returns the KPI indices."""
    sample = sobol_sample.sample(PROBLEM, base, calc_second_order=False, seed=1)
    if jobs == 1:
        _load(scenario_path)
        outputs = np.array([kpis(row) for row in sample])
    else:
        with multiprocessing.Pool(jobs, initializer=_load, initargs=(scenario_path,)) as pool:
            outputs = np.array(pool.map(kpis, sample))
    indices = {
        year: sobol_analyze.analyze(PROBLEM, outputs[:, i], calc_second_order=False, num_resamples=RESAMPLES, seed=1)
        for i, year in enumerate(YEARS)}
    return len(sample), (indices, sample, outputs)


def swift_command(tool, base, jobs, out):
    """The tool's equivalent of `python_sensitivity`, on its built-in baseline."""
    vary = [f"--vary={name}={lo}:{hi}" for name, (lo, hi) in zip(PROBLEM["names"], PROBLEM["bounds"])]
    kpi = [f"--kpi=share_eu@{year}" for year in YEARS]
    return [tool, "sensitivity", *vary, f"--base={base}", *kpi, f"--resamples={RESAMPLES}", f"--jobs={jobs}", "--quiet",
            f"--out={out}"]


def swift_sensitivity(tool, base, jobs, out):
    """Runs the tool; returns its runs and its sensitivity.csv rows."""
    subprocess.run(swift_command(tool, base, jobs, out), check=True, stdout=subprocess.DEVNULL)
    with open(Path(out) / "runs.csv", newline="", encoding="utf-8") as f:
        runs = sum(1 for _ in csv.DictReader(f))
    with open(Path(out) / "sensitivity.csv", newline="", encoding="utf-8") as f:
        return runs, list(csv.DictReader(f))


def timed(label, repeats, body):
    """Calls `body` `repeats` times; prints runs/s at the min and median wall time; returns the last result."""
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        runs, result = body()
        seconds.append(time.perf_counter() - start)
    best, median = min(seconds), statistics.median(seconds)
    print(f"{label}: {runs} runs, {runs / best:8.1f} runs/s (min time {best:.3f} s), "
          f"{runs / median:8.1f} runs/s (median {median:.3f} s), times {', '.join(f'{s:.3f}' for s in seconds)}",
          flush=True)
    return runs / best, runs / median, result


def print_indices(python, swift):
    """S1 and ST with their 95% intervals, side by side."""
    print("\nSobol indices (95% bootstrap intervals): Python SALib | Swift cloudmarket")
    for year in YEARS:
        for i, name in enumerate(PROBLEM["names"]):
            ours = python[year]
            for index in ("S1", "ST"):
                row = next(r for r in swift if r["variable"] == "share_eu" and r["year"] == str(year)
                           and r["parameter"] == name and r["index"] == index)
                print(f"  share_eu@{year} {name:22s} {index}: {ours[index][i]:7.4f} ± {ours[index + '_conf'][i]:.4f} | "
                      f"{float(row['value']):7.4f} [{float(row['ci_low']):.4f}, {float(row['ci_high']):.4f}]")


def cross_check(tool, sample, outputs, work):
    """Runs SALib's own sample through `cloudmarket sweep --design FILE.csv` and prints the largest KPI difference:
    the port and the tool agree at every point of the design, not only at the baseline."""
    design = work / "salib-sample.csv"
    np.savetxt(design, sample, delimiter=",", header=",".join(PROBLEM["names"]), comments="", fmt="%.17g")
    out = work / "sweep-salib-sample"
    subprocess.run([tool, "sweep", f"--design={design}", *[f"--kpi=share_eu@{y}" for y in YEARS], "--quiet", f"--out={out}"],
                   check=True, stdout=subprocess.DEVNULL)
    tool_values = np.empty_like(outputs)
    with open(out / "kpis.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            tool_values[int(row["run"]), YEARS.index(int(row["year"]))] = float(row["value"])
    relative = np.abs(outputs - tool_values) / np.abs(tool_values)
    print(f"\nport vs tool on SALib's {len(sample)} sample points: largest relative difference of share_eu per year "
          + ", ".join(f"{y}: {relative[:, i].max():.2e}" for i, y in enumerate(YEARS)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", required=True, help="the release cloudmarket binary")
    parser.add_argument("--base", type=int, default=512, help="base points N (runs = N·(k+2))")
    parser.add_argument("--python-base", type=int, help="base points of the Python runs (default: --base); runs/s "
                        "does not depend on it, as each run costs the same, but the Python side takes minutes")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pybench-"))
    # The tool's own resolved baseline: the Python port reads exactly what the tool runs.
    subprocess.run([args.tool, "run", "--quiet", f"--out={work / 'baseline'}"], check=True)
    scenario = str(work / "baseline" / "scenario.resolved.yaml")
    rates = {}
    for jobs in args.jobs:
        fast, typical, python = timed(f"python SALib+numpy/scipy, {jobs} process(es)", args.repeats,
                                      lambda: python_sensitivity(scenario, args.python_base or args.base, jobs))
        rates["python", jobs] = (fast, typical)
    for jobs in args.jobs:
        fast, typical, swift = timed(f"swift cloudmarket sensitivity, --jobs {jobs}", args.repeats,
                                     lambda: swift_sensitivity(args.tool, args.base, jobs, work / f"swift-{jobs}-{time.time_ns()}"))
        rates["swift", jobs] = (fast, typical)
    print("\nratio swift/python (at min time | at median time)")
    for jobs in args.jobs:
        (sf, sm), (pf, pm) = rates["swift", jobs], rates["python", jobs]
        print(f"  {jobs} process(es): {sf / pf:7.1f}× | {sm / pm:7.1f}×")
    print("\nswift command:", " ".join(swift_command(args.tool, args.base, "J", "DIR")))
    indices, sample, outputs = python
    print_indices(indices, swift)
    cross_check(args.tool, sample, outputs, work)


if __name__ == "__main__":
    main()
