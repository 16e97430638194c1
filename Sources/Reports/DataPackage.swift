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

    /// The package of a run folder: timeseries.csv and targets.csv, and timeseries-wide.csv when written.
    init(scenario: Scenario, wideColumns: [String]?) {
        // Frictionless names are lower-case letters, digits, '.', '_', '-'.
        name = String(scenario.name.lowercased().map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" })
        title = "cloudmarket run of scenario \(scenario.name)"
        let string = { (name: String, description: String) in Field(name: name, type: "string", description: description) }
        let number = { (name: String, description: String) in Field(name: name, type: "number", description: description) }
        var resources = [
            Resource(
                name: "timeseries", path: "timeseries.csv", title: "Reported variables, one value a row (DESIGN §1.6)",
                schema: Schema(fields: [
                    string("scenario", "scenario name"), number("time", "decimal year (2021.5 = 1 July 2021)"),
                    string("region", "region id, ALL for Europe; empty for per-group variables"),
                    string("segment", "segment id or ALL; empty where the variable has no segment"),
                    string("group", "provider group id; empty where the variable has no group"),
                    string("variable", "reported variable: " + Variable.allCases.map(\.rawValue).joined(separator: ", ")),
                    number("value", "the value, in the row's unit"),
                    string("unit", "unit of value: MEUR/yr, fraction, fraction/yr, MEUR, utility, fraction of enterprises"),
                ])),
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
        self.resources = resources
    }
}
