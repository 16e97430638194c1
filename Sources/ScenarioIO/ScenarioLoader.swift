import CloudMarket

/// A scenario read, extended, overridden and validated.
public struct LoadedScenario: Sendable {
    /// Typed and valid.
    public let scenario: Scenario
    /// The scenario after `extends`, `remove` and `--set`, with every default spelled out and `extends`/`remove` dropped;
    /// loading it again gives an equal `Scenario`.
    public let resolvedYAML: String
    /// Every file read, child first (for the manifest). With `load(text:fileName:)`, the first is `fileName`.
    public let files: [String]
    /// The text parsed from each of `files`: what a manifest fingerprints, read once.
    public let texts: [String]

    public init(scenario: Scenario, resolvedYAML: String, files: [String], texts: [String]) {
        self.scenario = scenario
        self.resolvedYAML = resolvedYAML
        self.files = files
        self.texts = texts
    }
}

/// Reads scenario files (DESIGN §2): parse, extend, override, validate.
public enum ScenarioLoader {
    /// Loads the scenario in the file at `path`, applying `overrides` (`PATH=VALUE`, from `--set`) after `extends`.
    public static func load(file path: String, overrides: [String] = []) throws(ScenarioError) -> LoadedScenario {
        try ScenarioTemplate(file: path).load(overrides: overrides)
    }

    /// Loads a scenario from text. `fileName` is used in messages and to resolve a relative `extends` (relative to its folder).
    public static func load(text: String, fileName: String, overrides: [String] = []) throws(ScenarioError) -> LoadedScenario {
        try ScenarioTemplate(text: text, fileName: fileName).load(overrides: overrides)
    }
}

/// A scenario file parsed and extended once, to be instantiated many times with different parameter values
/// (calibration, goal seeking): only the overrides and the validation are redone.
public struct ScenarioTemplate: Sendable {
    /// The merged tree, `extends` and `remove` applied.
    private let tree: YNode
    /// Every file read, child first, and the text parsed from each.
    public let files: [String]
    public let texts: [String]

    public init(file path: String) throws(ScenarioError) {
        let diagnostics = Diagnostics()
        let resolver = Resolver(diagnostics: diagnostics)
        guard let text = resolver.readFile(path, at: .file(path), path: "") else {
            throw ScenarioError(problems: diagnostics.sorted)
        }
        try self.init(text: text, fileName: path, diagnostics: diagnostics, resolver: resolver)
    }

    public init(text: String, fileName: String) throws(ScenarioError) {
        let diagnostics = Diagnostics()
        try self.init(text: text, fileName: fileName, diagnostics: diagnostics, resolver: Resolver(diagnostics: diagnostics))
    }

    private init(text: String, fileName: String, diagnostics: Diagnostics, resolver: Resolver) throws(ScenarioError) {
        guard let tree = resolver.resolve(text: text, fileName: fileName), diagnostics.problems.isEmpty else {
            throw ScenarioError(problems: diagnostics.sorted)
        }
        self.tree = tree
        files = resolver.files
        texts = resolver.texts
    }

    /// The scenario with `overrides` (`PATH=VALUE`) applied, validated.
    public func load(overrides: [String]) throws(ScenarioError) -> LoadedScenario {
        let scenario = try scenario(overrides: overrides)
        return LoadedScenario(scenario: scenario, resolvedYAML: Emitter.yaml(scenario), files: files, texts: texts)
    }

    /// The typed scenario with `overrides` applied; every problem quotes its file.
    public func scenario(overrides: [String]) throws(ScenarioError) -> Scenario {
        let diagnostics = Diagnostics()
        for (file, text) in zip(files, texts) { diagnostics.addSource(text, file: file) }
        let overridden = Resolver(diagnostics: diagnostics).applyOverrides(overrides, to: tree)
        let scenario = Typer(diagnostics: diagnostics).scenario(overridden)
        guard let scenario, diagnostics.problems.isEmpty else {
            throw ScenarioError(problems: diagnostics.sorted)
        }
        return scenario
    }

    /// A maker of scenarios with `paths[i]` set to `values[i]` after `overrides`, for experiments that instantiate this
    /// template once per run. Plain numbers (`PlainNumber`) are set on the typed scenario; any other path, or a value
    /// outside its range, goes through `scenario(overrides:)`, so its errors read the same.
    public func instantiator(overrides: [String], paths: [String]) -> @Sendable ([Double]) throws(ScenarioError) -> Scenario {
        let viaFile = { @Sendable (values: [Double]) throws(ScenarioError) -> Scenario in
            try scenario(overrides: overrides + zip(paths, values).map { "\($0)=\(formatNumber($1))" })
        }
        guard let base = try? scenario(overrides: overrides) else { return viaFile }
        let numbers = paths.compactMap { PlainNumber(path: $0, in: base) }
        guard numbers.count == paths.count else { return viaFile }
        return { values throws(ScenarioError) in
            var scenario = base
            for (number, x) in zip(numbers, values) {
                guard number.accepts(x) else { return try viaFile(values) }
                number.set(&scenario, x)
            }
            return scenario
        }
    }

    /// The scenario with each path set to its value (shortest round-trip text, so nothing is lost).
    public func scenario(setting values: [(path: String, value: Double)]) throws(ScenarioError) -> Scenario {
        try scenario(overrides: values.map { "\($0.path)=\(formatNumber($0.value))" })
    }

    /// Checks that each path names a parameter of this scenario, whatever value it will be given (an experiment's values
    /// may be invalid for some runs, which then fail alone; a misspelt path would fail them all). `option` names where
    /// the paths came from, for the message (`--vary`).
    public func checkPaths(_ paths: [String], option: String) throws(ScenarioError) {
        let diagnostics = Diagnostics()
        _ = Resolver(diagnostics: diagnostics).applyOverrides(paths.map { "\($0)=0" }, to: tree)
        guard diagnostics.problems.isEmpty else {
            throw ScenarioError(
                problems: diagnostics.sorted.map { p in
                    Problem(
                        file: nil, line: nil, column: nil, override: "\(option) \(p.path)", path: p.path, message: p.message,
                        suggestion: p.suggestion)
                })
        }
    }

    /// The comment on the line where a parameter is written — by the house rule, its source or `assumption:` and the
    /// reasoning — or nil when the value is a default or carries no comment. A per-segment path written as one number
    /// for all segments (`appeal: 0.5`) takes that number's comment.
    public func source(of path: String) -> String? {
        var components = path.split(separator: ".").map(String.init)
        while !components.isEmpty {
            if case .success(let location) = location(of: components.joined(separator: ".")),
                let index = files.firstIndex(of: location.file)
            {
                let line = texts[index].split(separator: "\n", omittingEmptySubsequences: false).dropFirst(location.line - 1).first ?? ""
                let scalars = Array(String(line).unicodeScalars)
                guard let hash = ScenarioEditor.commentStart(scalars) else { return nil }
                let comment = String(String.UnicodeScalarView(scalars[(hash + 1)...])).trimmingCharacters(in: .whitespaces)
                return comment.isEmpty ? nil : comment
            }
            // Up one level: only a number there (a one-number form) can stand for the path; mappings never match.
            components.removeLast()
        }
        return nil
    }

    /// Where the number at a parameter path is written, or why it is not written as one number in a file.
    public func location(of path: String) -> Result<ValueLocation, ValueLocation.Missing> {
        var node = tree
        var done: [String] = []
        for key in path.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            let next: YNode?
            switch node {
            case .seq(let list) where done == ["levers"] || done == ["targets"]:
                next = list.items.first { $0.mapValue?["id"]?.value.text == key }
            case .map(let map):
                next = map[key]?.value
            case .scalar(let s):
                return .failure(.init(reason: "'\(done.joined(separator: "."))' is written as one value at \(s.loc.file):\(s.loc.line)"))
            case .seq:
                next = nil
            }
            guard let next else {
                return .failure(.init(reason: "'\(path)' is not written in the scenario (its default applies)"))
            }
            node = next
            done.append(key)
        }
        guard case .scalar(let s) = node, s.plain, let value = parseNumber(s.text), value.isFinite else {
            return .failure(.init(reason: "'\(path)' is not a finite number"))
        }
        return .success(ValueLocation(file: s.loc.file, line: s.loc.line, column: s.loc.column, text: s.text, value: value))
    }
}

/// Where a number is written in a scenario file: what an in-place edit of the file needs.
public struct ValueLocation: Sendable, Equatable {
    public let file: String
    public let line: Int
    public let column: Int
    /// The number as written, and its value.
    public let text: String
    public let value: Double

    public struct Missing: Error, Sendable {
        public let reason: String
    }
}
