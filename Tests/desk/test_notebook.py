"""`cloudmarket notebook` writes notebooks that nbformat validates and Jupyter runs: every cell without error, every
chart cell with a figure, in this environment's own Python (not a system kernel)."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from conftest import ROOT, run_tool

GROUPS = [
    "--group", "funding=industrial_policy_2021_22,industrial_policy_2023,ipcei_cis",
    "--group", "label=secnumcloud_2022,secnumcloud_2024,s3ns_secnumcloud",
    "--group", "portability=sren_portability,data_act_portability",
]  # fmt: skip


@pytest.fixture(scope="session")
def folders(cloudmarket, baseline_run, tmp_path_factory):
    """One folder of each kind the notebooks chart, small enough to run in seconds."""
    root = tmp_path_factory.mktemp("folders")
    vary = ["--vary", "model.network_effect=0.5:0.9", "--vary", "classes.public.churn=0.05:0.15", "--jobs", "1", "--quiet"]
    run_tool(cloudmarket, "montecarlo", "--uncertain", "model.network_effect=uniform(0.5,0.9)", "--runs", "40",
             "--jobs", "1", "--quiet", "--out", root / "montecarlo")  # fmt: skip
    run_tool(cloudmarket, "sensitivity", *vary, "--base", "32", "--resamples", "20", "--out", root / "sobol")
    run_tool(cloudmarket, "sweep", *vary, "--runs", "30", "--out", root / "sweep")
    run_tool(cloudmarket, "attribute", "Scenarios/baseline.yaml", "--baseline", "Scenarios/no-policy.yaml", *GROUPS,
             "--kpi", "share_eu@2030", "--quiet", "--out", root / "attribution")  # fmt: skip
    run_tool(cloudmarket, "run", "Scenarios/no-policy.yaml", "--quiet", "--out", root / "no-policy")
    run_tool(cloudmarket, "compare", baseline_run, root / "no-policy", "--quiet", "--out", root / "comparison")
    return {"run": baseline_run} | {name: root / name for name in ["montecarlo", "sobol", "sweep", "attribution", "comparison"]}


CHARTS = {
    "run": ["shares-by-origin", "shares-by-group", "market-size", "flow-shares", "targets-chart"],
    "montecarlo": ["fan-chart", "distributions"],
    "sobol": ["sobol"],
    "sweep": ["distributions", "against-parameters"],
    "attribution": ["waterfall"],
    "comparison": ["headlines", "group-differences"],
}


@pytest.mark.parametrize("kind", CHARTS)
def test_notebook_runs_and_draws_its_charts(kind, folders, cloudmarket, tmp_path):
    # Written away from the folder, the notebook reads it by a relative path.
    path = tmp_path / "notebooks" / f"{kind}.ipynb"
    run_tool(cloudmarket, "notebook", folders[kind], "--out", path, "--quiet")
    notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    assert 'FOLDER = Path("../../' in notebook.cells[1].source

    # One more cell says which Python ran the kernel: the one running these tests, from .venv-desk.
    notebook.cells.append(nbformat.v4.new_code_cell("import sys\nprint(sys.prefix)", id="which-python"))
    client = NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{kind}: a cell failed:\n{error}")
    assert notebook.cells[-1].outputs[0].text.strip() == sys.prefix

    charts = [cell for cell in notebook.cells if "chart" in cell.metadata.get("tags", [])]
    assert [cell.id for cell in charts] == CHARTS[kind]
    for cell in charts:
        images = [output for output in cell.outputs if "image/png" in output.get("data", {})]
        assert len(images) == 1, f"{kind}: cell {cell.id} drew {len(images)} figures"
    errors = [output for cell in notebook.cells for output in cell.get("outputs", []) if output.output_type == "error"]
    assert not errors


def test_notebook_on_stdout_reads_the_folder_by_its_absolute_path(cloudmarket, baseline_run):
    notebook = nbformat.reads(run_tool(cloudmarket, "notebook", baseline_run, "--out", "-").stdout, as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    assert f'FOLDER = Path("{baseline_run}")' in notebook.cells[1].source


def test_nbconvert_executes_the_run_notebook(cloudmarket, baseline_run, tmp_path):
    """What the README tells a new user to type: nbconvert --execute, which stops at the first failing cell."""
    path = tmp_path / "notebook.ipynb"
    run_tool(cloudmarket, "notebook", baseline_run, "--out", path, "--quiet")
    jupyter = Path(sys.executable).parent / "jupyter"
    result = subprocess.run([jupyter, "nbconvert", "--execute", "--to", "notebook", "--output", "executed.ipynb", path],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    executed = nbformat.read(tmp_path / "executed.ipynb", as_version=4)
    images = [o for c in executed.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == len(CHARTS["run"])


@pytest.mark.parametrize("name", ["baseline", "baseline-vs-no-policy", "baseline-attribution"])
def test_exported_notebooks_are_valid_and_executed(name):
    """notebooks-export/ as shipped: valid nbformat, every code cell run, without error, the charts drawn."""
    notebook = nbformat.read(ROOT / "notebooks-export" / f"{name}.ipynb", as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code), "a cell was not executed: run make notebooks"
    assert not [o for cell in code for o in cell.outputs if o.output_type == "error"]
    charts = [cell for cell in code if "chart" in cell.metadata.get("tags", [])]
    assert charts and all(any("image/png" in o.get("data", {}) for o in cell.outputs) for cell in charts)
    assert (ROOT / "notebooks-export" / f"{name}.html").stat().st_size > 100_000
