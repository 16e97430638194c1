"""Every folder the tool writes validates with `frictionless validate` against its datapackage.json."""

import frictionless

from conftest import run_tool


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
