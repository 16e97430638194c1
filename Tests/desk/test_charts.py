"""The charts in a run folder: the tool's own SVGs, loaded in a real headless browser (Debian's chromium), and the
Vega-Lite specs, compiled and rendered by Vega-Lite itself (vl-convert) on the folder's data."""

import csv
import json
import re
import subprocess

import pytest
import vl_convert

HARNESS = """<!doctype html><html><body><iframe id="chart" src="{svg}"></iframe><pre id="report">pending</pre><script>
document.getElementById('chart').onload = () => {{
  const doc = document.getElementById('chart').contentDocument;
  const text = sel => [...doc.querySelectorAll(sel)].map(e => e.textContent);
  const series = [...doc.querySelectorAll('g.series')].map(g => {{
    const path = g.querySelector('path'), box = path.getBBox(), length = path.getTotalLength();
    const end = path.getPointAtLength(length);
    return {{id: g.dataset.series, length, width: box.width, height: box.height, end: {{x: end.x, y: end.y}}}};
  }});
  document.getElementById('report').textContent = JSON.stringify({{
    root: doc.documentElement.nodeName, errors: doc.getElementsByTagName('parsererror').length,
    width: doc.documentElement.width.baseVal.value, title: text('text.title'), subtitle: text('text.subtitle'),
    labels: text('text.label'), legend: text('g.legend text'), ticks: text('g.axis.y text:not(.label)'), series}});
}};
</script></body></html>"""


def open_in_chromium(svg, tmp_path):
    """What the browser sees of an SVG file: parse errors, texts, and each series' path as drawn."""
    harness = tmp_path / f"{svg.stem}.html"
    harness.write_text(HARNESS.format(svg=svg.as_uri()))
    dom = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
         "--virtual-time-budget=10000", "--dump-dom", harness.as_uri()],
        capture_output=True, text=True, timeout=120, check=True).stdout
    report = re.search(r'<pre id="report">(.*?)</pre>', dom, re.S).group(1)
    assert report != "pending", "the SVG did not load in chromium"
    return json.loads(report.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def europe(run, variable, segment="ALL"):
    """The Europe-wide series of a variable, from timeseries.csv: time → value."""
    with open(run / "timeseries.csv", newline="") as f:
        return {float(r["time"]): float(r["value"]) for r in csv.DictReader(f)
                if r["region"] == "ALL" and r["segment"] == segment and r["variable"] == variable and not r["group"]}


def test_shares_by_origin_svg_in_chromium(baseline_run, tmp_path):
    seen = open_in_chromium(baseline_run / "charts/shares-by-origin.svg", tmp_path)
    assert seen["root"] == "svg" and seen["errors"] == 0
    assert seen["title"] == ["baseline: market share by provider origin"]
    assert seen["labels"] == ["Share of the market (%)", "Year"]
    assert seen["legend"] == ["EU-owned", "EU-owned, licensed tech", "Non-EU"]
    assert seen["ticks"][0] == "0%" and seen["ticks"][-1] == "100%"
    ids = [s["id"] for s in seen["series"]]
    assert ids == ["share_eu", "share_eu_licensed", "share_non_eu"]
    for s in seen["series"]:
        assert s["length"] > 300 and s["width"] > 300, s  # drawn across the whole horizon
    # The lines end where the data do: a larger share is higher up (smaller y).
    last = {v: europe(baseline_run, v)[2035.0] for v in ids}
    by_height = sorted(seen["series"], key=lambda s: s["end"]["y"])
    assert [s["id"] for s in by_height] == sorted(ids, key=lambda v: -last[v])


def test_market_by_segment_svg_in_chromium(baseline_run, tmp_path):
    seen = open_in_chromium(baseline_run / "charts/market-by-segment.svg", tmp_path)
    assert seen["root"] == "svg" and seen["errors"] == 0
    assert seen["title"] == ["baseline: cloud market by segment"]
    assert seen["labels"] == ["Market size (bn EUR/yr)", "Year"]
    assert sorted(seen["legend"]) == ["IaaS", "PaaS", "SaaS"]
    assert [s["id"] for s in seen["series"]] == ["IaaS", "PaaS", "SaaS"]
    # The stack's top reaches the total market: the top tick is the first above the 2035 total.
    total = europe(baseline_run, "market_size")[2035.0] / 1000
    ticks = [float(t) for t in seen["ticks"]]
    assert ticks[-2] < total <= ticks[-1]
    for s in seen["series"]:
        assert s["height"] > 10 and s["width"] > 300, s


EXPECTED_VEGA_LITE = {
    # spec: (marks drawn, legend sizes)
    "shares-by-origin": (3, [3]),
    "market-by-segment": (3, [3]),
    "flow-vs-installed": (4, [2, 2]),
    "shares-by-group": (5, [5]),
    "shares-by-origin-by-region": (2 * 3 * 3, [3]),
}


@pytest.mark.parametrize("name", EXPECTED_VEGA_LITE)
def test_vega_lite_spec_renders_the_run(baseline_run, name):
    spec = json.loads((baseline_run / f"charts/{name}.vl.json").read_text())
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v5")
    assert spec["data"]["url"] == "../timeseries.csv"
    assert "baseline" in spec["title"]["text"]
    # vl-convert has no file system: hand it the CSV the URL names, with the spec's own format.
    spec["data"] = {"values": (baseline_run / "timeseries.csv").read_text(), "format": spec["data"]["format"]}
    svg = vl_convert.vegalite_to_svg(spec)
    labels = re.findall(r'aria-label="([^"]*)"', svg)
    axes = [a for a in labels if "-axis titled" in a]
    assert axes and not any("NaN" in a for a in axes), axes
    legends = [int(m) for a in labels for m in re.findall(r"legend titled .* with (\d+) values", a)]
    marks, legend_sizes = EXPECTED_VEGA_LITE[name]
    assert legends == legend_sizes
    assert len(re.findall(r'aria-roledescription="(?:line|area) mark"', svg)) == marks


def test_the_charts_folder_holds_these_charts(baseline_run):
    names = sorted(p.name for p in (baseline_run / "charts").iterdir())
    assert names == sorted([f"{n}.vl.json" for n in EXPECTED_VEGA_LITE] + ["market-by-segment.svg", "shares-by-origin.svg"])
