"""The man page `make docs` installs: generated from the help by swift-argument-parser's generate-manual plugin,
it renders with groff without a warning and documents every subcommand. The completion scripts parse in their shells."""

import re
import subprocess

import pytest

from conftest import ROOT


def subcommands(cloudmarket):
    help_text = subprocess.run([cloudmarket, "--help"], capture_output=True, text=True, check=True).stdout
    section = help_text.split("SUBCOMMANDS:")[1]
    return re.findall(r"^  ([a-z]+)\s", section, re.M)


def test_man_page_renders_and_covers_every_subcommand(cloudmarket, tmp_path):
    subprocess.run(
        ["swift", "package", "--allow-writing-to-directory", tmp_path, "generate-manual", "--output-directory", tmp_path],
        cwd=ROOT, capture_output=True, text=True, check=True)
    page = tmp_path / "cloudmarket.1"
    rendered = subprocess.run(["groff", "-mandoc", "-Tutf8", "-ww", "-z", page], capture_output=True, text=True)
    # generate-manual keeps the help's paragraph breaks as empty lines, which mdoc renders as the blank lines they are.
    warnings = [w for w in rendered.stderr.splitlines() if not re.fullmatch(r"mdoc warning: Empty input line #\d+", w)]
    assert rendered.returncode == 0 and not warnings, rendered.stderr
    text = subprocess.run(["groff", "-mandoc", "-Tutf8", page], capture_output=True, text=True, check=True).stdout
    text = re.sub(r".\x08", "", text)  # overstrike bold and underline
    names = subcommands(cloudmarket)
    assert len(names) >= 12 and "schema" in names
    documented = re.findall(r"^ {5}([a-z]+)\b", text.split("-h, --help", 1)[1], re.M)
    assert [n for n in names if n != "help"] == [n for n in documented if n != "help"]
    # Non-ASCII in the help can vanish from the page (an ellipsis did): the help's own words must all be there.
    assert "kpis.csv (tidy: run, kpi, ..., value)" in " ".join(text.replace("\u2010\n", "").split())


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_script_parses(cloudmarket, shell, tmp_path):
    script = tmp_path / f"completion.{shell}"
    script.write_text(subprocess.run([cloudmarket, "--generate-completion-script", shell], capture_output=True, text=True,
                                     check=True).stdout)
    check = {"bash": ["bash", "-n"], "zsh": ["zsh", "-n"], "fish": ["fish", "--no-execute"]}[shell]
    result = subprocess.run(check + [script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
