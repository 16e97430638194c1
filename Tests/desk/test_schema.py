"""Every shipped scenario validates against Scenarios/scenario.schema.json with an independent validator
(Python's jsonschema, draft 2020-12), and the schema catches what it should."""

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import ROOT

SCENARIOS = sorted((ROOT / "Scenarios").glob("*.yaml"))
SCHEMA_LINE = "# yaml-language-server: $schema=scenario.schema.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((ROOT / "Scenarios/scenario.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_shipped_schema_is_what_the_tool_writes(cloudmarket):
    written = subprocess.run([cloudmarket, "schema"], capture_output=True, text=True, check=True).stdout
    assert written == (ROOT / "Scenarios/scenario.schema.json").read_text(), "run: cloudmarket schema --out Scenarios/scenario.schema.json"


def test_there_are_scenarios_to_check():
    assert len(SCENARIOS) >= 11


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_shipped_scenario_validates(path, validator):
    text = path.read_text()
    assert text.splitlines()[0] == SCHEMA_LINE, f"{path.name} must start with the schema line for editors"
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(yaml.safe_load(text))]
    assert not errors, "\n".join(errors)


def baseline():
    return yaml.safe_load((ROOT / "Scenarios/baseline.yaml").read_text())


def messages(validator, document):
    return [e.message for e in validator.iter_errors(document)] + [
        c.message for e in validator.iter_errors(document) for c in (e.context or [])
    ]


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda s: s["model"].update(netwrk_effect=0.8), "'netwrk_effect' was unexpected"),
        (lambda s: s["classes"]["public"].update(churn=-0.1), "-0.1 is less than the minimum of 0"),
        (lambda s: s["classes"]["public"].pop("churn"), "'churn' is a required property"),
        (lambda s: s["groups"]["us_hyperscalers"].update(origin="us"), "'us' is not one of"),
        (lambda s: s["regions"]["FR"]["shares"]["IaaS"].update(fr_providers=1.5), "1.5 is greater than the maximum of 1"),
        (lambda s: s["levers"][0].update(bonus=0.5), "'bonus' was unexpected"),
        (lambda s: s["horizon"].update(steps_per_year=0.5), "0.5 is not of type 'integer'"),
        (lambda s: s.pop("horizon"), "'horizon' is a required property"),
    ],
    ids=["misspelt key", "negative churn", "missing churn", "unknown origin", "share above 1", "key of another lever type",
         "fractional steps", "missing horizon"],
)
def test_the_schema_refuses_what_the_validator_refuses(validator, change, expected):
    scenario = baseline()
    change(scenario)
    found = messages(validator, scenario)
    assert any(expected in m for m in found), found


def test_an_extending_file_needs_no_required_keys_but_keeps_its_types(validator):
    assert not list(validator.iter_errors({"name": "x", "extends": "baseline.yaml", "classes": {"public": {"churn": 0.2}}}))
    found = messages(validator, {"name": "x", "extends": "baseline.yaml", "classes": {"public": {"churn": "high"}}})
    assert any("'high' is not of type 'number'" in m for m in found), found
