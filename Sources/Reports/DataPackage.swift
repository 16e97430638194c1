import CloudMarket
import Foundation

/// A Frictionless Data Package descriptor (`datapackage.json`) for a run folder: each CSV's columns, types and units,
/// so `frictionless validate`, pandas or R read the files with nothing to guess.
struct DataPackage: Encodable {
    struct Field: Encodable {
        let name: String
        let type: String
        let description: String
        /// Values `true`/`false` for booleans, as targets.csv writes them.
        var trueValues: [String]? = nil
        var falseValues: [String]? = nil
    }

    struct Schema: Encodable {
        let fields: [Field]
        /// An empty field is a missing value: a dimension that does not apply, or a value undefined at that time.
        let missingValues = [""]
    }

    struct Dialect: Encodable {
        let delimiter = ","
        let lineTerminator = "\r\n"
        let header = true
    }

    struct Resource: Encodable {
        let name: String
        let path: String
        let title: String
        let profile = "tabular-data-resource"
        let format = "csv"
        let mediatype = "text/csv"
        let encoding = "utf-8"
        let dialect = Dialect()
        let schema: Schema
    }

    let profile = "tabular-data-package"
    let name: String
    let title: String
    let resources: [Resource]

    init(name: String, title: String, resources: [Resource]) {
        // Frictionless names are lower-case letters, digits, '.', '_', '-'.
        self.name = String(name.lowercased().map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" })
        self.title = title
        self.resources = resources
    }

    private static func string(_ name: String, _ description: String) -> Field {
        Field(name: name, type: "string", description: description)
    }
    private static func number(_ name: String, _ description: String) -> Field {
        Field(name: name, type: "number", description: description)
    }
    private static func integer(_ name: String, _ description: String) -> Field {
        Field(name: name, type: "integer", description: description)
    }

    /// region, segment, group: the keys of a reported value.
    private static let placeFields = [
        string("region", "region id, ALL for Europe; empty for per-group variables"),
        string("segment", "segment id or ALL; empty where the variable has no segment"),
        string("group", "provider group id; empty where the variable has no group"),
    ]

    private static let timeseriesFields =
        [number("time", "decimal year (2021.5 = 1 July 2021)")] + placeFields + [
            string("variable", "reported variable: " + Variable.allCases.map(\.rawValue).joined(separator: ", ")),
            number("value", "the value, in the row's unit"),
            string("unit", "unit of value: MEUR/yr, fraction, fraction/yr, MEUR, utility, fraction of enterprises"),
        ]

    /// kpi, variable, region, segment, group, year: what a KPI row measures.
    private static let kpiFields =
        [string("kpi", "the KPI as given to --kpi, with its year"), string("variable", "reported variable of the KPI")] + placeFields
        + [number("year", "when the KPI is read (decimal year)")]

    /// The package of a run folder: timeseries.csv and targets.csv, and timeseries-wide.csv when written.
    static func run(scenario: Scenario, wideColumns: [String]?) -> DataPackage {
        var resources = [
            Resource(
                name: "timeseries", path: "timeseries.csv", title: "Reported variables, one value a row (DESIGN §1.6)",
                schema: Schema(fields: [string("scenario", "scenario name")] + timeseriesFields)),
            Resource(
                name: "targets", path: "targets.csv", title: "Targets: value and whether each is met (DESIGN §1.7)",
                schema: Schema(fields: [
                    string("scenario", "scenario name"), string("target", "target id"), string("label", "what the target says"),
                    number("year", "year the target is evaluated at"),
                    number("value", "the target's value (a ratio when it is relative to a year); empty when undefined"),
                    number("threshold", "the bound"), string("op", "at_least or at_most"),
                    Field(
                        name: "met", type: "boolean", description: "whether the value meets the bound", trueValues: ["true"],
                        falseValues: ["false"]),
                ])),
        ]
        if let wideColumns {
            resources.append(
                Resource(
                    name: "timeseries-wide", path: "timeseries-wide.csv", title: "The same values, one column per series",
                    schema: Schema(
                        fields: [number("time", "decimal year")]
                            + wideColumns.map { number($0, "the series named by the column, in the unit in brackets") })))
        }
        return DataPackage(name: scenario.name, title: "cloudmarket run of scenario \(scenario.name)", resources: resources)
    }

    /// The package of an experiment folder (sweep, montecarlo, sensitivity): runs, KPIs, design, and what the command
    /// derives from them.
    static func experiment(_ spec: ExperimentSpec) -> DataPackage {
        let parameters = spec.factors.map { number(ExperimentFolder.path($0), "the parameter's value in this run") }
        let run = integer("run", "run index, from 0, in design order")
        var resources = [
            Resource(
                name: "runs", path: "runs.csv", title: "One row a run: its status and parameter values",
                schema: Schema(
                    fields: [
                        run, string("status", "ok or failed"), string("error", "why the run failed; empty when it did not"),
                    ] + parameters)),
            Resource(
                name: "kpis", path: "kpis.csv", title: "KPI values, one a row, keyed by run",
                schema: Schema(fields: [run] + kpiFields + [number("value", "the KPI's value, in its variable's unit")])),
            Resource(
                name: "design", path: "design.csv", title: "The design: each run's parameter values",
                schema: Schema(fields: [run] + parameters)),
        ]
        if spec.series {
            resources.append(
                Resource(
                    name: "series", path: "series.csv", title: "Every run's full series (--series)",
                    schema: Schema(fields: [run] + timeseriesFields)))
        }
        if spec.command == "montecarlo" {
            resources.append(
                Resource(
                    name: "quantiles", path: "quantiles.csv", title: "Quantiles of each KPI over the runs",
                    schema: Schema(
                        fields: kpiFields + [
                            integer("runs", "runs the quantile is taken over (failed runs left out)"),
                            number("quantile", "quantile level in [0, 1]"), number("value", "the KPI's quantile"),
                        ])))
        }
        if spec.command == "sensitivity" {
            resources.append(
                Resource(
                    name: "sensitivity", path: "sensitivity.csv", title: "Sensitivity indices of each KPI to each parameter",
                    schema: Schema(
                        fields: kpiFields + [
                            string("parameter", "parameter path"), string("method", "sobol or morris"),
                            string("index", "S1, ST (Sobol); mu_star, mu, sigma (Morris)"), number("value", "the index"),
                            number("ci_low", "lower end of the 95% bootstrap interval (Sobol)"),
                            number("ci_high", "upper end of the 95% bootstrap interval (Sobol)"),
                        ])))
        }
        return DataPackage(
            name: "\(spec.scenario)-\(spec.command)", title: "cloudmarket \(spec.command) of scenario \(spec.scenario)",
            resources: resources)
    }

    /// The package of an attribution folder: each player's contribution, and every subset's KPI values.
    static func attribution(scenario: String, kpis: [String]) -> DataPackage {
        DataPackage(
            name: "\(scenario)-attribution", title: "cloudmarket attribution of scenario \(scenario)",
            resources: [
                Resource(
                    name: "attribution", path: "attribution.csv", title: "Shapley contribution of each player to each KPI's effect",
                    schema: Schema(
                        fields: kpiFields + [
                            string("player", "a lever, a --group of levers, or the non-lever changes"),
                            string("levers", "the player's lever ids, space-separated"),
                            number("contribution", "the player's Shapley value, in the KPI's unit"),
                            number("share_of_effect", "contribution / total effect; empty when the effect is 0"),
                            number("baseline", "the KPI in the baseline"), number("package", "the KPI with the whole package"),
                            number("total_effect", "package − baseline"),
                        ])),
                Resource(
                    name: "subsets", path: "subsets.csv", title: "Every subset of players' KPI values (what the Shapley values come from)",
                    schema: Schema(
                        fields: [
                            integer("subset", "bit mask of the players applied"), string("players", "the players applied, '+'-separated"),
                        ] + kpis.map { number($0, "the KPI's value with these players") })),
            ])
    }

    /// The package of a comparison folder.
    static func comparison() -> DataPackage {
        DataPackage(
            name: "comparison", title: "cloudmarket comparison of two runs",
            resources: [
                Resource(
                    name: "comparison", path: "comparison.csv", title: "Every value of either run, side by side",
                    schema: Schema(
                        fields: [number("time", "decimal year")] + placeFields + [
                            string("variable", "reported variable"), string("unit", "unit of a and b"),
                            number("a", "the value in the first run; empty when it has none"),
                            number("b", "the value in the second run; empty when it has none"), number("difference", "b − a"),
                            number("ratio", "b / a; empty when a is 0"),
                        ]))
            ])
    }

    /// The package of a goal-seek folder.
    static func goalSeek(scenario: String) -> DataPackage {
        DataPackage(
            name: "\(scenario)-goalseek", title: "cloudmarket goal seek on scenario \(scenario)",
            resources: [
                Resource(
                    name: "trajectory", path: "trajectory.csv", title: "The target's variable over time at the answer",
                    schema: Schema(
                        fields: [number("time", "decimal year")] + placeFields + [
                            string("variable", "the target's variable"), number("value", "its value"), string("unit", "unit of value"),
                            string("parameter", "the varied parameter path"), number("parameter_value", "its value at the answer"),
                        ]))
            ])
    }

    /// The package of a calibration folder.
    static func calibration(scenario: String) -> DataPackage {
        DataPackage(
            name: "\(scenario)-calibration", title: "cloudmarket calibration of scenario \(scenario)",
            resources: [
                Resource(
                    name: "residuals", path: "residuals.csv", title: "Each observation against the fitted model",
                    schema: Schema(
                        fields: [integer("line", "line of the history file"), number("time", "decimal year")]
                            + [string("variable", "observed variable")] + placeFields + [
                                number("observed", "the history file's value"), number("model", "the fitted model's value"),
                                number("residual", "model − observed"), number("weight", "the history row's weight, 1/σ²"),
                                number("weighted_residual", "residual · √weight"), string("unit", "unit of observed and model"),
                                string("source", "the history row's source"),
                            ]))
            ])
    }
}
