"""Shared fixtures of the analyst's-desk checks: the built tool and real runs of it.

These tests check what cloudmarket writes with the tools analysts use (jsonschema, frictionless,
Jupyter, a browser), independently of the Swift code that writes it. `make test` runs them after
the Swift suite, with the debug build it has just made.
"""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cloudmarket():
    """Path of the tool under test: $CLOUDMARKET, or the debug build `make test` has just made."""
    tool = Path(os.environ.get("CLOUDMARKET", ROOT / ".build/debug/cloudmarket"))
    assert tool.is_file(), f"{tool} does not exist: build it first (make test does)"
    return tool


def run_tool(cloudmarket, *arguments, cwd=ROOT):
    """Runs the tool; a non-zero exit fails the test with its stderr."""
    result = subprocess.run([str(cloudmarket), *map(str, arguments)], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, f"cloudmarket {' '.join(map(str, arguments))} exited {result.returncode}:\n{result.stderr}"
    return result


@pytest.fixture(scope="session")
def baseline_run(cloudmarket, tmp_path_factory):
    """A run folder of the built-in baseline, with the wide CSV."""
    folder = tmp_path_factory.mktemp("runs") / "baseline"
    run_tool(cloudmarket, "run", "--wide", "--quiet", "--out", folder)
    return folder
