"""Every folder the tool writes validates with `frictionless validate` against its datapackage.json."""

import frictionless
import pytest

from conftest import ROOT, run_tool


def validate(folder):
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.to_summary()
    return report


def test_run_folder_validates(baseline_run):
    report = validate(baseline_run)
    names = sorted(task.name for task in report.tasks)
    assert names == ["targets", "timeseries", "timeseries-wide"]
    # Every row was read and typed, not only the header.
    for task in report.tasks:
        lines = (baseline_run / f"{task.name}.csv").read_text().count("\n")
        assert task.stats["rows"] == lines - 1, task.name


EXPERIMENTS = {
    "sweep": ["sweep", "--vary", "model.network_effect=0.6:0.9", "--vary", "classes.public.churn=0.05:0.15",
              "--design", "random", "--runs", "12", "--series", "--chunk-size", "5"],
    "montecarlo": ["montecarlo", "--uncertain", "model.network_effect=normal(0.8,0.05)", "--runs", "20"],
    "sobol": ["sensitivity", "--vary", "model.network_effect=0.6:0.9", "--vary", "classes.public.churn=0.05:0.15",
              "--base", "8", "--kpi", "share_eu@2030"],
    "morris": ["sensitivity", "--method", "morris", "--vary", "model.network_effect=0.6:0.9",
               "--vary", "classes.public.churn=0.05:0.15", "--base", "3", "--kpi", "share_eu@2030"],
}

EXPECTED_RESOURCES = {
    "sweep": ["design", "kpis", "runs", "series"],
    "montecarlo": ["design", "kpis", "quantiles", "runs"],
    "sobol": ["design", "kpis", "runs", "sensitivity"],
    "morris": ["design", "kpis", "runs", "sensitivity"],
}


@pytest.mark.parametrize("kind", EXPERIMENTS)
def test_experiment_folder_validates(kind, cloudmarket, tmp_path):
    folder = tmp_path / kind
    run_tool(cloudmarket, *EXPERIMENTS[kind], "--quiet", "--out", folder)
    report = validate(folder)
    assert sorted(task.name for task in report.tasks) == EXPECTED_RESOURCES[kind]
    for task in report.tasks:
        lines = (folder / f"{task.name}.csv").read_text().count("\n")
        assert task.stats["rows"] == lines - 1, task.name


def test_policy_folders_validate(cloudmarket, baseline_run, tmp_path):
    """compare, attribute, goalseek and calibrate folders carry a datapackage.json too."""
    no_policy = tmp_path / "no-policy"
    run_tool(cloudmarket, "run", "Scenarios/no-policy.yaml", "--quiet", "--out", no_policy)
    folders = {
        "comparison": ["compare", baseline_run, no_policy],
        "attribution": ["attribute", "Scenarios/baseline.yaml", "--baseline", "Scenarios/no-policy.yaml",
                        "--group", "french=cloud_au_centre,secnumcloud_2022,secnumcloud_2024,industrial_policy_2021_22,"
                        "industrial_policy_2023,s3ns_secnumcloud,sren_portability",
                        "--group", "eu=ipcei_cis,data_act_portability", "--kpi", "share_eu@2030", "--kpi", "share_non_eu@2035"],
        "goalseek": ["goalseek", "--target", "double_french_industry", "--vary", "groups.fr_providers.appeal.IaaS",
                     "--bounds", "-2:2"],
        "calibration": ["calibrate", "Scenarios/baseline.yaml", "--data", "Scenarios/history/france-infra-2021.csv",
                        "--fit", "groups.fr_providers.appeal.IaaS,groups.fr_providers.appeal.PaaS", "--absolute-weights"],
    }
    for name, arguments in folders.items():
        folder = tmp_path / name
        run_tool(cloudmarket, *arguments, "--quiet", "--out", folder)
        report = validate(folder)
        assert report.tasks, name


def test_shipped_history_files_validate():
    """The history files the shipped scenarios are calibrated on, against their own datapackage.json."""
    report = validate(ROOT / "Scenarios/history")
    shipped = sorted(p.stem for p in (ROOT / "Scenarios/history").glob("*.csv"))
    assert sorted(task.name for task in report.tasks) == shipped
    for task in report.tasks:
        lines = (ROOT / "Scenarios/history" / f"{task.name}.csv").read_text().count("\n")
        assert task.stats["rows"] == lines - 1, task.name
