"""Checks the Python port against runs of the Swift tool: the same resolved scenario, variable by variable.

Usage: python validate.py RUN_DIR...   (folders written by `cloudmarket run`)

Prints, per run folder and variable, the largest relative difference over every reporting time and
every (region, segment, group) the tool reports, including the ALL aggregates.
"""

import csv
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

import cloudmarket_model as cm

# Variables keyed by (region, segment), by (region, segment, group), by group, by region.
BY_CELL = ("market_size", "share_eu", "share_eu_licensed", "share_non_eu", "flow_share_eu", "flow_share_non_eu")
BY_CELL_GROUP = ("revenue", "share")
BY_GROUP = ("knowledge_stock",)
BY_REGION = ("adoption",)


def tool_series(run_dir):
    """timeseries.csv as {(variable, time, region, segment, group): value}."""
    with open(Path(run_dir) / "timeseries.csv", newline="", encoding="utf-8") as f:
        return {(row["variable"], float(row["time"]), row["region"], row["segment"], row["group"]): float(row["value"])
                for row in csv.DictReader(f)}


def port_series(model, snapshots):
    """The port's snapshots keyed as `tool_series` keys the tool's rows."""
    d = model.dims
    regions, segments = d.regions + ["ALL"], d.segments + ["ALL"]
    out = {}
    for snap in snapshots:
        t = snap["time"]
        for i, r in enumerate(regions):
            for j, s in enumerate(segments):
                out.update({(v, t, r, s, ""): snap[v][i, j] for v in BY_CELL})
                out.update({(v, t, r, s, g): snap[v][i, j, k] for v in BY_CELL_GROUP for k, g in enumerate(d.groups)})
        out.update({(v, t, "", "", g): snap[v][k] for v in BY_GROUP for k, g in enumerate(d.groups)})
        out.update({(v, t, r, "", ""): snap[v][k] for v in BY_REGION for k, r in enumerate(d.regions)})
    return out


def compare(run_dir):
    """{variable: (largest relative difference, rows compared)} between the port and the tool's run in `run_dir`."""
    model = cm.Model(cm.load_scenario(Path(run_dir) / "scenario.resolved.yaml"))
    ours = port_series(model, model.run())
    theirs = tool_series(run_dir)
    worst, counts = defaultdict(float), defaultdict(int)
    for key, value in ours.items():
        if not np.isfinite(value) or value == 0 and key not in theirs:
            continue  # undefined or an empty cell: the tool writes no row
        reference = theirs[key]
        scale = max(abs(reference), 1e-12)
        worst[key[0]] = max(worst[key[0]], abs(value - reference) / scale)
        counts[key[0]] += 1
    return {v: (worst[v], counts[v]) for v in worst}


def main(run_dirs):
    for run_dir in run_dirs:
        print(f"{run_dir}: largest relative difference, port vs tool")
        for variable, (difference, rows) in sorted(compare(run_dir).items()):
            print(f"  {variable:20s} {difference:9.2e}  ({rows} values)")


if __name__ == "__main__":
    main(sys.argv[1:])
