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
        let diagnostics = Diagnostics()
        let resolver = Resolver(diagnostics: diagnostics)
        guard let text = resolver.readFile(path, at: .file(path), path: "") else {
            throw ScenarioError(problems: diagnostics.sorted)
        }
        return try load(text: text, fileName: path, overrides: overrides, diagnostics: diagnostics, resolver: resolver)
    }

    /// Loads a scenario from text. `fileName` is used in messages and to resolve a relative `extends` (relative to its folder).
    public static func load(text: String, fileName: String, overrides: [String] = []) throws(ScenarioError) -> LoadedScenario {
        let diagnostics = Diagnostics()
        return try load(
            text: text, fileName: fileName, overrides: overrides, diagnostics: diagnostics, resolver: Resolver(diagnostics: diagnostics))
    }

    private static func load(
        text: String, fileName: String, overrides: [String], diagnostics: Diagnostics, resolver: Resolver
    ) throws(ScenarioError) -> LoadedScenario {
        guard var tree = resolver.resolve(text: text, fileName: fileName) else {
            throw ScenarioError(problems: diagnostics.sorted)
        }
        tree = resolver.applyOverrides(overrides, to: tree)
        let typer = Typer(diagnostics: diagnostics)
        let scenario = typer.scenario(tree)
        guard let scenario, diagnostics.problems.isEmpty else {
            throw ScenarioError(problems: diagnostics.sorted)
        }
        return LoadedScenario(scenario: scenario, resolvedYAML: Emitter.yaml(scenario), files: resolver.files, texts: resolver.texts)
    }
}
