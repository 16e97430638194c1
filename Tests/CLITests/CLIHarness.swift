import Foundation

/// Runs the built `cloudmarket` binary in a fresh temporary folder.
struct CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cloudmarket-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// The binary SwiftPM built beside this test bundle.
    static let binary: URL = {
        let beside = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidates = [Bundle.main.bundleURL, beside].map { $0.appendingPathComponent("cloudmarket") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    @discardableResult
    func run(_ arguments: String...) throws -> Result { try run(arguments: arguments) }

    /// Runs the tool with `arguments`, feeding it `input` on standard input when given.
    @discardableResult
    func run(arguments: [String], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        // Not `waitUntilExit`, which on Linux polls the run loop every 50 ms.
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        // Read both pipes before waiting, so a large output cannot block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        exited.wait()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path) }

    /// Every file below `path` with its contents, to prove a folder did not change.
    func snapshot(_ path: String) throws -> [String: Data] {
        let root = folder.appendingPathComponent(path)
        let files = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }
        return try Dictionary(uniqueKeysWithValues: files.map { ($0, try Data(contentsOf: root.appendingPathComponent($0))) })
    }

    func removeAll() { try? FileManager.default.removeItem(at: folder) }
}

/// A small valid scenario: one region, two segments, three groups (one late entrant, one investing), two classes.
let smallScenario = """
    name: small
    horizon: {start: 2020, end: 2030}
    model: {price_sensitivity: 1.0, capability_elasticity: 0.3, depreciation: 0.15, network_effect: 0.0}
    segments: [IaaS, SaaS]
    regions:
      FR:
        segments:
          IaaS: {size: 2500, growth: 0.30}
          SaaS: {size: 6800, growth: {rate: 0.17, long_run: 0.08, half_life: 5}}
        classes: {public: 0.3, sme: 0.7}
        shares:
          IaaS: {us: 0.7, fr: 0.3, hybrid: 0}
          SaaS: {us: 0.6, fr: 0.4, hybrid: 0}
    groups:
      us: {origin: non_eu, appeal: 1.0}
      fr: {origin: eu, appeal: {IaaS: 0.2, SaaS: 0.4}, qualified: 0.5, investment: {level: 100, growth: 0.1}}
      hybrid: {origin: eu_licensed, appeal: 0.5, available_from: 2024}
    classes:
      public: {sensitive: 0.4, sovereignty_pref: 0.3, sensitive_pref: 2.0, mandate: 0.0, churn: 0.1}
      sme: {sensitive: 0.0, sovereignty_pref: 0.1, sensitive_pref: 0.0, mandate: 0.0, churn: 0.05}
    levers:
      - {id: cloud_au_centre, type: mandate, regions: [FR], classes: [public], start: 2021.5, ramp: 2, level: 1.0}
      - {id: pia4, type: funding, groups: [fr], start: 2021.84, amount: 667, years: 4, leverage: 1.0}
      - {id: surge, type: demand, segments: [IaaS], start: 2024, end: 2028, extra_growth: 0.05}
    targets:
      - {id: double_fr, label: Double French revenue, variable: revenue, group: fr, year: 2025, relative_to: 2021, at_least: 2.0}
    """
