"""The Python port agrees with the Swift tool on the runs the benchmark relies on.

Runs the release tool (CLOUDMARKET, default .build/release/cloudmarket) on three scenarios and compares every
reported value the port computes. The tool and the port integrate with different Runge-Kutta pairs and error
norms at the scenario's tolerances (abs 1e-9, rel 1e-8), so they differ by integration error, not by model:
~1e-6 at most on the smallest revenues (a 2024 entrant), ~1e-7 on the European shares.
"""

import os
import subprocess
from pathlib import Path

import pytest

import validate

ROOT = Path(__file__).resolve().parents[2]
TOOL = Path(os.environ.get("CLOUDMARKET", ROOT / ".build/release/cloudmarket"))
SCENARIOS = [None, "Scenarios/no-policy.yaml", "Scenarios/strong-industrial-policy.yaml"]


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda s: s or "built-in baseline")
def worst(request, tmp_path_factory):
    """{variable: (largest relative difference, values compared)} for one scenario run by the tool."""
    if not TOOL.exists():
        pytest.skip(f"{TOOL} is not built (swift build -c release --product cloudmarket)")
    out = tmp_path_factory.mktemp("run") / "out"
    scenario = [str(ROOT / request.param)] if request.param else []
    subprocess.run([str(TOOL), "run", *scenario, "--quiet", f"--out={out}"], check=True)
    return validate.compare(out)


def test_european_shares_agree(worst):
    for variable in ("share_eu", "share_non_eu"):
        assert worst[variable][0] < 1e-6, variable


def test_every_reported_value_agrees(worst):
    assert set(worst) == set(validate.BY_CELL + validate.BY_CELL_GROUP + validate.BY_GROUP + validate.BY_REGION)
    for variable, (difference, _) in worst.items():
        assert difference < 1e-5, variable
