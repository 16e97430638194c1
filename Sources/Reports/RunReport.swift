import CloudMarket
import Foundation
import ScenarioIO
import Yams

/// Where a run's scenario came from, for the manifest.
public struct ScenarioSource: Sendable, Encodable {
    /// A file path, or `built-in:baseline.yaml`.
    public let name: String
    public let sha256: String

    public init(name: String, bytes: some Sequence<UInt8>) {
        self.name = name
        sha256 = sha256Hex(bytes)
    }
}

/// How the tool was run, for the manifest.
public struct Invocation: Sendable {
    public let toolVersion: String
    public let gitCommit: String?
    public let commandLine: [String]
    public let sources: [ScenarioSource]
    public let startedAt: Date
    public let finishedAt: Date

    public init(
        toolVersion: String, gitCommit: String?, commandLine: [String], sources: [ScenarioSource], startedAt: Date, finishedAt: Date
    ) {
        self.toolVersion = toolVersion
        self.gitCommit = gitCommit
        self.commandLine = commandLine
        self.sources = sources
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    var wallTime: Double { finishedAt.timeIntervalSince(startedAt) }
}

/// Everything one `cloudmarket run` reports: the five files of DESIGN §3 and the terminal headline.
public struct RunReport {
    public let loaded: LoadedScenario
    public let trajectory: Trajectory
    public let targets: [TargetResult]
    public let invocation: Invocation

    public init(loaded: LoadedScenario, trajectory: Trajectory, invocation: Invocation) {
        self.loaded = loaded
        self.trajectory = trajectory
        targets = trajectory.evaluate(loaded.scenario.targets)
        self.invocation = invocation
    }

    var scenario: Scenario { loaded.scenario }

    /// The run folder's files, in the order they are listed to the user; with `wide`, also `timeseries-wide.csv` for
    /// spreadsheets. Names with a `/` are in a subfolder (`charts/`).
    public func files(wide: Bool = false) throws(ReportError) -> [(name: String, contents: String)] {
        let wideTable = wide ? wideCSV() : nil
        return [
            ("timeseries.csv", timeseriesCSV()),
            ("targets.csv", targetsCSV()),
            ("summary.json", try encodeJSON(summary(), for: "summary.json")),
            ("manifest.json", try encodeJSON(manifest(), for: "manifest.json")),
            ("scenario.resolved.yaml", loaded.resolvedYAML),
            (
                "datapackage.json",
                try encodeJSON(DataPackage.run(scenario: scenario, wideColumns: wideTable?.columns), for: "datapackage.json")
            ),
        ] + (wideTable.map { [("timeseries-wide.csv", $0.text)] } ?? [])
            + (try RunCharts(scenario: scenario, trajectory: trajectory).files())
    }

    /// One row per reporting time, one column per series, named `variable region/segment/group (unit)` — the same
    /// values as `timeseries.csv`, in the shape a spreadsheet charts directly. A value undefined at a time is empty.
    public func wideCSV() -> (columns: [String], text: String) {
        var columns: [String] = []
        var index: [String: Int] = [:]
        var rows: [[String: String]] = []
        var times: [Double] = []
        trajectory.forEachObservation { o in
            let place = [o.region, o.segment, o.group].filter { !$0.isEmpty }.joined(separator: "/")
            let name = "\(o.variable.rawValue) \(place) (\(o.variable.unit))"
            if index[name] == nil {
                index[name] = columns.count
                columns.append(name)
            }
            if times.last != o.time {
                times.append(o.time)
                rows.append([:])
            }
            rows[rows.count - 1][name] = formatNumber(o.value)
        }
        var table = CSVTable(header: ["time"] + columns)
        for (time, row) in zip(times, rows) {
            table.append([formatNumber(time)] + columns.map { row[$0] ?? "" })
        }
        return (columns, table.text)
    }

    public func timeseriesCSV() -> String {
        var table = CSVTable(header: ["scenario", "time", "region", "segment", "group", "variable", "value", "unit"])
        trajectory.forEachObservation { o in
            table.append([
                scenario.name, formatNumber(o.time), o.region, o.segment, o.group, o.variable.rawValue, formatNumber(o.value),
                o.variable.unit,
            ])
        }
        return table.text
    }

    public func targetsCSV() -> String {
        var table = CSVTable(header: ["scenario", "target", "label", "year", "value", "threshold", "op", "met"])
        for result in targets {
            let target = result.target
            table.append([
                scenario.name, target.id, target.label, formatNumber(target.year), result.value.map(formatNumber) ?? "",
                formatNumber(target.bound.threshold), target.bound.operatorName, result.met ? "true" : "false",
            ])
        }
        return table.text
    }

    var milestones: [Double] { Horizon.milestones(among: trajectory.times) }

    func summary() -> Summary {
        let regionIDs = scenario.regions.map(\.id) + [allID]
        let milestones = milestones.map { t in
            Summary.Milestone(
                year: t,
                regions: Dictionary(uniqueKeysWithValues: regionIDs.map { r in (r, headline(region: r, at: t)) }))
        }
        return Summary(
            scenario: scenario.name, description: scenario.description, milestones: milestones,
            targets: targets.map(Summary.TargetOutcome.init), wallTimeSeconds: invocation.wallTime,
            rightHandSideEvaluations: trajectory.rightHandSideEvaluations)
    }

    func headline(region: String, at t: Double) -> Summary.Headline {
        let value = { (v: Variable) in trajectory.value(v, region: region, at: t) }
        let groups = scenario.groups.map { g in
            (
                g.id,
                Summary.GroupHeadline(
                    share: trajectory.value(.share, region: region, group: g.id, at: t),
                    revenue: trajectory.value(.revenue, region: region, group: g.id, at: t))
            )
        }
        return Summary.Headline(
            marketSize: value(.marketSize), shareEU: value(.shareEU), shareEULicensed: value(.shareEULicensed),
            shareNonEU: value(.shareNonEU), flowShareEU: value(.flowShareEU), flowShareNonEU: value(.flowShareNonEU),
            groups: Dictionary(uniqueKeysWithValues: groups))
    }

    func manifest() -> Manifest {
        Manifest(loaded: loaded, invocation: invocation, rightHandSideEvaluations: trajectory.rightHandSideEvaluations)
    }
}

extension Target.Bound {
    /// The word targets.csv uses for the comparison.
    public var operatorName: String {
        switch self {
        case .atLeast: "at_least"
        case .atMost: "at_most"
        }
    }
}

struct Summary: Encodable {
    struct GroupHeadline: Encodable {
        let share: Double?
        let revenue: Double?
    }

    struct Headline: Encodable {
        let marketSize, shareEU, shareEULicensed, shareNonEU, flowShareEU, flowShareNonEU: Double?
        let groups: [String: GroupHeadline]

        enum CodingKeys: String, CodingKey {
            case marketSize = "market_size"
            case shareEU = "share_eu"
            case shareEULicensed = "share_eu_licensed"
            case shareNonEU = "share_non_eu"
            case flowShareEU = "flow_share_eu"
            case flowShareNonEU = "flow_share_non_eu"
            case groups
        }
    }

    struct Milestone: Encodable {
        let year: Double
        /// By region id, with `ALL` for Europe.
        let regions: [String: Headline]
    }

    struct TargetOutcome: Encodable {
        let id, label, variable, op: String
        let year, threshold: Double
        let value: Double?
        let met: Bool

        init(_ result: TargetResult) {
            id = result.target.id
            label = result.target.label
            variable = result.target.variable.rawValue
            op = result.target.bound.operatorName
            year = result.target.year
            threshold = result.target.bound.threshold
            value = result.value
            met = result.met
        }
    }

    let scenario, description: String
    let milestones: [Milestone]
    let targets: [TargetOutcome]
    let wallTimeSeconds: Double
    let rightHandSideEvaluations: Int

    enum CodingKeys: String, CodingKey {
        case scenario, description, milestones, targets
        case wallTimeSeconds = "wall_time_seconds"
        case rightHandSideEvaluations = "rhs_evaluations"
    }
}

struct Manifest: Encodable {
    struct Solver: Encodable {
        let method: String
        let absTol, relTol, initialStep: Double
        /// nil for commands that run the model many times.
        let rightHandSideEvaluations: Int?

        enum CodingKeys: String, CodingKey {
            case method
            case absTol = "abs_tol"
            case relTol = "rel_tol"
            case initialStep = "initial_step"
            case rightHandSideEvaluations = "rhs_evaluations"
        }
    }

    struct Platform: Encodable {
        let os, architecture: String
        let cores: Int

        static var current: Platform {
            #if arch(x86_64)
                let architecture = "x86_64"
            #elseif arch(arm64)
                let architecture = "arm64"
            #else
                let architecture = "other"
            #endif
            let info = ProcessInfo.processInfo
            return Platform(os: info.operatingSystemVersionString, architecture: architecture, cores: info.activeProcessorCount)
        }
    }

    let tool, toolVersion: String
    let gitCommit: String?
    let commandLine: [String]
    let scenarioFiles: [ScenarioSource]
    let resolvedScenario: JSONValue
    let solver: Solver
    let seeds: [UInt64]
    let platform: Platform
    let startedAt, finishedAt: String

    /// `rightHandSideEvaluations` is a single run's; commands that run the model many times leave it out.
    init(loaded: LoadedScenario, invocation: Invocation, rightHandSideEvaluations: Int? = nil) {
        let solver = loaded.scenario.solver
        tool = "cloudmarket"
        toolVersion = invocation.toolVersion
        gitCommit = invocation.gitCommit
        commandLine = invocation.commandLine
        scenarioFiles = invocation.sources
        resolvedScenario = (try? Yams.compose(yaml: loaded.resolvedYAML)).flatMap { $0.map(JSONValue.init) } ?? .null
        self.solver = Solver(
            method: solver.method.rawValue, absTol: solver.absoluteTolerance, relTol: solver.relativeTolerance,
            initialStep: solver.initialStep, rightHandSideEvaluations: rightHandSideEvaluations)
        seeds = []
        platform = Platform.current
        startedAt = invocation.startedAt.ISO8601Format()
        finishedAt = invocation.finishedAt.ISO8601Format()
    }

    enum CodingKeys: String, CodingKey {
        case tool
        case toolVersion = "tool_version"
        case gitCommit = "git_commit"
        case commandLine = "command_line"
        case scenarioFiles = "scenario_files"
        case resolvedScenario = "resolved_scenario"
        case solver, seeds, platform
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}

extension JSONValue {
    /// Plain YAML scalars that read as numbers become JSON numbers; quoted ones stay strings.
    init(_ node: Node) {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, let number = Double(scalar.string) {
                self = .number(number)
            } else if scalar.style == .plain, scalar.string == "null" || scalar.string == "~" {
                self = .null
            } else if scalar.style == .plain, let flag = Bool(scalar.string) {
                self = .bool(flag)
            } else {
                self = .string(scalar.string)
            }
        case .mapping(let mapping):
            self = .object(mapping.map { ($0.key.string ?? "", JSONValue($0.value)) })
        case .sequence(let sequence):
            self = .array(sequence.map(JSONValue.init))
        case .alias:
            self = .null
        }
    }
}
