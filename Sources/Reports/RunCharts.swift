import CloudMarket
import Foundation

/// The charts a run folder carries in `charts/`: Vega-Lite specs that read the folder's own `timeseries.csv`, and SVG
/// renderings of the two headline charts drawn by the tool, for readers with neither Python nor a Vega viewer.
struct RunCharts {
    let scenario: Scenario
    let trajectory: Trajectory

    /// `charts/NAME` and contents, in the order they are listed.
    func files() throws(ReportError) -> [(name: String, contents: String)] {
        var files = [
            ("charts/shares-by-origin.svg", sharesByOriginSVG().render()), ("charts/market-by-segment.svg", marketBySegmentSVG().render()),
        ]
        for (name, spec) in vegaLiteSpecs() {
            files.append(("charts/\(name).vl.json", try encodeJSON(spec, for: "charts/\(name).vl.json")))
        }
        return files
    }

    /// Origins as the legends name them, with the reported variable of each.
    private static let origins: [(variable: Variable, label: String)] = [
        (.shareEU, "EU-owned"), (.shareEULicensed, "EU-owned, licensed tech"), (.shareNonEU, "Non-EU"),
    ]

    func sharesByOriginSVG() -> SVGChart {
        SVGChart(
            title: "\(scenario.name): market share by provider origin",
            subtitle: "Europe (all regions), all segments (\(scenario.segments.joined(separator: " + "))), share of revenue",
            yLabel: "Share of the market (%)", times: trajectory.times,
            series: Self.origins.map { origin in
                .init(
                    id: origin.variable.rawValue, label: origin.label,
                    values: trajectory.times.map { trajectory.value(origin.variable, at: $0) ?? 0 })
            }, style: .lines, yMaximum: 1, yTick: { "\(Int(($0 * 100).rounded()))%" })
    }

    func marketBySegmentSVG() -> SVGChart {
        SVGChart(
            title: "\(scenario.name): cloud market by segment",
            subtitle: "Europe (all regions), annual market size, segments stacked",
            yLabel: "Market size (bn EUR/yr)", times: trajectory.times,
            series: scenario.segments.map { segment in
                .init(
                    id: segment, label: segment,
                    values: trajectory.times.map { (trajectory.value(.marketSize, segment: segment, at: $0) ?? 0) / 1000 })
            }, style: .stackedAreas)
    }

    // MARK: Vega-Lite

    private var subtitle: JSONValue { .string("cloudmarket run of scenario \(scenario.name)") }

    private func vegaLiteSpecs() -> [(String, JSONValue)] {
        let shareAxis: JSONValue = ["field": "value", "type": "quantitative", "title": "Share of the market", "axis": ["format": "%"]]
        let originLabel: JSONValue = [
            "calculate": .string(
                Self.origins.map { "datum.variable === '\($0.variable.rawValue)' ? '\($0.label)'" }.joined(separator: " : ")
                    + " : datum.variable"),
            "as": "origin",
        ]
        let origins = "[" + Self.origins.map { "'\($0.variable.rawValue)'" }.joined(separator: ", ") + "]"
        return [
            (
                "shares-by-origin",
                spec(
                    title: "market share by provider origin, Europe, all segments",
                    filter: "datum.region === 'ALL' && datum.segment === 'ALL' && indexof(\(origins), datum.variable) >= 0",
                    transforms: [originLabel],
                    mark: ["type": "line", "strokeWidth": 2.5],
                    encoding: ["x": time, "y": shareAxis, "color": ["field": "origin", "type": "nominal", "title": "Provider origin"]])
            ),
            (
                "shares-by-origin-by-region",
                spec(
                    title: "market share by provider origin, per region and segment",
                    filter: "datum.region !== 'ALL' && datum.segment !== 'ALL' && indexof(\(origins), datum.variable) >= 0",
                    transforms: [originLabel],
                    mark: ["type": "line"],
                    encoding: [
                        "x": time, "y": shareAxis, "color": ["field": "origin", "type": "nominal", "title": "Provider origin"],
                        "row": ["field": "region", "type": "nominal", "title": "Region"],
                        "column": ["field": "segment", "type": "nominal", "title": "Segment"],
                    ])
            ),
            (
                "market-by-segment",
                spec(
                    title: "cloud market by segment, Europe",
                    filter: "datum.region === 'ALL' && datum.segment !== 'ALL' && datum.variable === 'market_size'",
                    transforms: [["calculate": "datum.value / 1000", "as": "bn"]],
                    mark: ["type": "area"],
                    encoding: [
                        "x": time,
                        "y": ["field": "bn", "type": "quantitative", "stack": "zero", "title": "Market size (bn EUR/yr)"],
                        "color": ["field": "segment", "type": "nominal", "title": "Segment"],
                    ])
            ),
            (
                "flow-vs-installed",
                spec(
                    title: "share of new business (flow) against installed share, Europe, all segments",
                    filter:
                        "datum.region === 'ALL' && datum.segment === 'ALL' && indexof(['share_eu', 'flow_share_eu', 'share_non_eu', 'flow_share_non_eu'], datum.variable) >= 0",
                    transforms: [
                        ["calculate": "indexof(datum.variable, 'flow_') === 0 ? 'new business (flow)' : 'installed'", "as": "measure"],
                        ["calculate": "indexof(datum.variable, 'non_eu') >= 0 ? 'Non-EU' : 'EU-owned'", "as": "origin"],
                    ],
                    mark: ["type": "line"],
                    encoding: [
                        "x": time, "y": shareAxis, "color": ["field": "origin", "type": "nominal", "title": "Provider origin"],
                        "strokeDash": ["field": "measure", "type": "nominal", "title": "Share of"],
                    ])
            ),
            (
                "shares-by-group",
                spec(
                    title: "market share by provider group, Europe, all segments",
                    filter: "datum.region === 'ALL' && datum.segment === 'ALL' && datum.variable === 'share'",
                    mark: ["type": "line"],
                    encoding: ["x": time, "y": shareAxis, "color": ["field": "group", "type": "nominal", "title": "Provider group"]])
            ),
        ]
    }

    private var time: JSONValue {
        ["field": "time", "type": "quantitative", "title": "Year", "axis": ["format": "d"], "scale": ["nice": false]]
    }

    /// A spec reading `../timeseries.csv` (relative to `charts/`), filtered to the rows it draws.
    private func spec(title: String, filter: String, transforms: [JSONValue] = [], mark: JSONValue, encoding: JSONValue) -> JSONValue {
        [
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "title": ["text": .string("\(scenario.name): \(title)"), "subtitle": subtitle],
            "description": "Reads the run folder's timeseries.csv; open from the charts/ folder (the data URL is relative to it).",
            "width": 480, "height": 280,
            "data": ["url": "../timeseries.csv", "format": ["type": "csv", "parse": ["time": "number", "value": "number"]]],
            "transform": .array([["filter": .string(filter)]] + transforms),
            "mark": mark,
            "encoding": encoding,
        ]
    }
}
