import Foundation
import Testing

@testable import ScenarioIO

/// A small valid scenario: 2 regions, 3 segments, 4 groups (one available later, one with investment), 3 classes,
/// one lever of every type, two targets.
let fixture = """
    name: fixture
    description: A small test market
    horizon: {start: 2020, end: 2030}
    solver: {method: rk8pd, abs_tol: 1.0e-10}
    model:
      price_sensitivity: 1.5
      depreciation: 0.2
    segments: [IaaS, PaaS, SaaS]
    regions:
      FR:
        name: France
        segments:
          IaaS: {size: 2500, growth: 0.30}
          PaaS: {size: 1200, growth: {rate: 0.22, long_run: 0.10, half_life: 6}}
          SaaS: {size: 6800, growth: 0.17}
        classes: {public: 0.3, large: 0.5, sme: 0.2}
        shares:
          IaaS: {us_hyperscalers: 0.6, fr_providers: 0.3, eu_providers: 0.1, trusted_hybrids: 0}
          PaaS: {us_hyperscalers: 0.7, fr_providers: 0.2, eu_providers: 0.1, trusted_hybrids: 0}
          SaaS: {us_hyperscalers: 0.5, fr_providers: 0.25, eu_providers: 0.25, trusted_hybrids: 0}
        adoption: {initial: 0.27, ceiling: 0.9, p: 0.01, q: 0.35}
      EU_OTHER:
        segments:
          IaaS: {size: 20000, growth: 0.25}
          PaaS: {size: 9000, growth: 0.2}
          SaaS: {size: 50000, growth: 0.15}
        classes: {public: 0.2, large: 0.5, sme: 0.3}
        shares:
          IaaS: {us_hyperscalers: 0.7, fr_providers: 0.05, eu_providers: 0.25, trusted_hybrids: 0}
          PaaS: {us_hyperscalers: 0.8, fr_providers: 0.05, eu_providers: 0.15, trusted_hybrids: 0}
          SaaS: {us_hyperscalers: 0.6, fr_providers: 0.1, eu_providers: 0.3, trusted_hybrids: 0}
    groups:
      us_hyperscalers:
        name: US hyperscalers
        origin: non_eu
        appeal: {IaaS: 1.2, PaaS: 1.5, SaaS: 0.4}
        price: 0.9
      fr_providers:
        origin: eu
        appeal: 0.5
        qualified: 0.4
        investment: {level: 300, growth: 0.1}
      eu_providers:
        origin: eu
        sovereignty: 0.8
        appeal: 0.3
        price: {IaaS: 1.1, PaaS: 1.0, SaaS: 1.2}
      trusted_hybrids:
        origin: eu_licensed
        appeal: 0.8
        qualified: 1
        available_from: 2024.5
    classes:
      public: {name: Public administrations, sensitive: 0.35, sovereignty_pref: 0.3, sensitive_pref: 2.0, mandate: 0.0, churn: 0.10}
      large: {sensitive: 0.2, sovereignty_pref: 0.1, sensitive_pref: 1.0, mandate: 0, churn: 0.08}
      sme: {sensitive: 0.05, sovereignty_pref: 0, sensitive_pref: 0.5, mandate: 0, churn: 0.12}
    levers:
      - id: cloud_au_centre
        type: mandate
        label: Cloud au centre circular
        source: "Prime Minister's circular, 5 July 2021"
        regions: [FR]
        classes: [public]
        start: 2021.5
        ramp: 2
        level: 1.0
      - id: secnumcloud
        type: qualification
        groups: [fr_providers]
        start: 2022
        ramp: 3
        level: 0.8
      - id: scope
        type: sensitive_scope
        regions: [FR]
        start: 2023
        level: 0.5
        end: 2028
      - id: data_act
        type: portability
        start: 2025.75
        churn_multiplier: 1.5
      - id: buy_european
        type: procurement
        classes: [public]
        origins: [eu]
        start: 2024
        bonus: 0.5
      - id: cloud_act_scare
        type: trust_shock
        regions: [FR, EU_OTHER]
        start: 2025
        magnitude: 0.5
        half_life: 2
      - id: ai_boom
        type: demand
        segments: [PaaS]
        start: 2024
        extra_growth: 0.05
      - id: egress_cut
        type: price
        groups: [us_hyperscalers]
        segments: [IaaS]
        start: 2026
        factor: 0.9
      - id: ux_push
        type: appeal
        origins: [eu]
        start: 2024
        delta: 0.2
      - id: france_2030
        type: funding
        groups: [fr_providers]
        start: 2022
        amount: 1800
        years: 5
        leverage: 0.5
        split: {fr_providers: 1}
      - id: digital_decade
        type: adoption
        regions: [FR]
        start: 2022
        ramp: 4
        p_factor: 1.5
        q_factor: 1.2
    targets:
      - id: double_french_industry
        label: Double the French cloud industry's revenue by 2025 (vs 2021)
        variable: revenue
        group: fr_providers
        region: FR
        year: 2025
        relative_to: 2021
        at_least: 2.0
      - id: adoption_goal
        variable: adoption
        region: FR
        year: 2030
        at_least: 0.75

    """

/// A fresh temporary folder for one test's files.
struct TempDir {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("scenarioio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// `text` with each `old` (which must occur exactly once) replaced by `new`.
func edited(_ text: String, _ replacements: [(String, String)]) -> String {
    var out = text
    for (old, new) in replacements {
        let count = out.components(separatedBy: old).count - 1
        precondition(count == 1, "replacement target occurs \(count) times: \(old)")
        out = out.replacingOccurrences(of: old, with: new)
    }
    return out
}

/// `line:column` of the first occurrence of `needle` in `text`, moved `shift` characters right.
func position(of needle: String, in text: String, shift: Int = 0) -> String {
    guard let range = text.range(of: needle) else { return "<\(needle) not found>" }
    let start = text.index(range.lowerBound, offsetBy: shift)
    let before = text[..<start]
    let line = before.filter { $0 == "\n" }.count + 1
    let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
    let column = text[lineStart..<start].unicodeScalars.count + 1
    return "\(line):\(column)"
}

/// Loads `text` from a file in a temporary folder and returns the error, or records an issue when it loads.
func loadError(_ text: String, name: String = "scenario.yaml", overrides: [String] = []) throws -> (ScenarioError, String)? {
    let dir = try TempDir()
    defer { dir.remove() }
    let path = try dir.write(name, text)
    do {
        _ = try ScenarioLoader.load(file: path, overrides: overrides)
        return nil
    } catch {
        return (error, path)
    }
}
