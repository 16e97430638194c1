import CloudMarket
import Foundation
import ScenarioIO
import Testing

@testable import Experiments

/// The self-check market with a policy package on top: a procurement bonus and a qualification added, the trust shock
/// removed, the mandate changed.
let packageText =
    marketText.replacingOccurrences(of: "name: selfcheck", with: "name: package")
    .replacingOccurrences(of: "  - {id: shock, type: trust_shock, start: 2021.3, magnitude: 0.5, half_life: 1.5}\n", with: "")
    .replacingOccurrences(of: "level: 0.6}", with: "level: 0.9}")
        + """

          - {id: bonus, type: procurement, groups: [local], classes: [public], start: 2022, ramp: 1, bonus: 0.8}
          - {id: label, type: qualification, groups: [local], start: 2021, ramp: 2, level: 0.7}
        """

@Suite struct AttributionTests {
    let baseline = try! ScenarioTemplate(text: marketText, fileName: "baseline.yaml").scenario(overrides: [])
    let package = try! ScenarioTemplate(text: packageText, fileName: "package.yaml").scenario(overrides: [])

    @Test func shapleyOfAHandComputedGame() {
        // v(∅) = 1, v({1}) = 3, v({2}) = 4, v({1,2}) = 10: φ₁ = ½(2 + 6) = 4, φ₂ = ½(3 + 7) = 5.
        #expect(Attribution.shapley([1, 3, 4, 10], players: 2) == [4, 5])
        // A symmetric three-player game splits evenly; a dummy player gets nothing.
        let symmetric = (0..<8).map { Double($0.nonzeroBitCount * $0.nonzeroBitCount) }
        let phi = Attribution.shapley(symmetric, players: 3)
        #expect(phi.allSatisfy { abs($0 - 3) < 1e-12 })
        let withDummy = (0..<8).map { Double(($0 & 0b011).nonzeroBitCount) }
        #expect(Attribution.shapley(withDummy, players: 3) == [1, 1, 0])
    }

    @Test func playersAreTheLeversThatDiffer() throws {
        let attribution = try Attribution(baseline: baseline, package: package)
        #expect(attribution.players.map(\.name) == ["shock", "mandate", "bonus", "label"])
        let grouped = try Attribution(
            baseline: baseline, package: package, groups: [LeverGroup(name: "new", levers: ["bonus", "label"])])
        #expect(grouped.players.map(\.name) == ["new", "shock", "mandate"])
        // The empty subset is the baseline, the full one the package (names and targets aside).
        #expect(attribution.scenario(0).levers == baseline.levers)
        #expect(attribution.scenario(0b1111).levers == package.levers)
        #expect(attribution.scenario(0b0001).levers.map(\.id) == ["mandate"])
    }

    /// Contributions sum to the total effect, and with two players they are the hand formula over the four runs.
    @Test func contributionsSumToTheEffectAndMatchTheTwoLeverFormula() throws {
        let kpis =
            try KPI.parse("share_eu", years: [2023, 2026], in: package)
            + KPI.parse("share@EU/IaaS+PaaS:local@2025", years: [], in: package)
        let attribution = try Attribution(
            baseline: baseline, package: package,
            groups: [LeverGroup(name: "new", levers: ["bonus", "label"]), LeverGroup(name: "old", levers: ["shock", "mandate"])])
        let result = try attribution.run(kpis: kpis, jobs: 2)
        for k in kpis.indices {
            let total = result.packageValue(k) - result.baselineValue(k)
            #expect(abs(result.contributions[k].reduce(0, +) - total) < 1e-9, "\(kpis[k])")
            #expect(abs(total) > 1e-3, "the package should move \(kpis[k])")
            // v(S) computed here, one run per subset (sampled at the same times), independently of the parallel runner.
            let v = try (0..<4).map { try #require(KPI.values(of: kpis, in: attribution.scenario($0))[k]) }
            #expect(v[0] == result.baselineValue(k) && v[3] == result.packageValue(k))
            #expect(abs(result.contributions[k][0] - ((v[1] - v[0]) + (v[3] - v[2])) / 2) < 1e-12)
            #expect(abs(result.contributions[k][1] - ((v[2] - v[0]) + (v[3] - v[1])) / 2) < 1e-12)
        }
        // One thread or two: the same numbers.
        #expect(try attribution.run(kpis: kpis, jobs: 1).subsetValues == result.subsetValues)
    }

    @Test func nonLeverChangesAreAPlayerOfTheirOwn() throws {
        var changed = package
        changed.model.networkEffect = 0.5
        let attribution = try Attribution(baseline: baseline, package: changed)
        #expect(attribution.players.last?.name == LeverGroup.otherChanges)
        let kpis = try KPI.parse("share_eu@2026", years: [], in: baseline)
        let result = try attribution.run(kpis: kpis)
        #expect(abs(result.contributions[0].reduce(0, +) - (result.packageValue(0) - result.baselineValue(0))) < 1e-9)
    }

    @Test func refusals() throws {
        var many = baseline
        many.levers += (0..<17).map { i in
            Lever(
                id: "bonus\(i)", label: "", source: "", kind: .procurement(bonus: 0.01), filter: Lever.Filter(),
                start: 2021 + Double(i) / 10,
                ramp: 0, end: nil)
        }
        #expect(throws: AttributionError.self) { try Attribution(baseline: baseline, package: many) }
        do {
            _ = try Attribution(baseline: baseline, package: many)
        } catch {
            #expect("\(error)".hasPrefix("17 levers or groups differ: 2^17 runs; group levers with --group"))
        }
        let groupedMany = try Attribution(
            baseline: baseline, package: many, groups: [LeverGroup(name: "bonuses", levers: (0..<17).map { "bonus\($0)" })])
        #expect(groupedMany.players.count == 1)
        #expect(throws: AttributionError.self) { try Attribution(baseline: baseline, package: baseline) }
        #expect(throws: AttributionError.self) {
            try Attribution(baseline: baseline, package: package, groups: [LeverGroup(name: "g", levers: ["nope"])])
        }
        #expect(throws: AttributionError.self) {
            try Attribution(
                baseline: baseline, package: package,
                groups: [LeverGroup(name: "g", levers: ["bonus"]), LeverGroup(name: "h", levers: ["bonus"])])
        }
        var otherGroups = package
        otherGroups.groups[2].id = "renamed"
        #expect(throws: AttributionError.self) { try Attribution(baseline: baseline, package: otherGroups) }
    }
}

@Suite struct GoalSeekTests {
    let template = try! ScenarioTemplate(text: marketText, fileName: "selfcheck.yaml")

    func seek(threshold: Double, lower: Double = -3, upper: Double = 1) -> GoalSeek {
        let target = Target(
            id: "local_share", label: "", variable: .share, region: "EU", segment: allID, group: "local", year: 2025, relativeTo: nil,
            bound: .atLeast(threshold))
        let template = template
        return GoalSeek(target: target, path: "groups.local.appeal", lower: lower, upper: upper) { x in
            try template.scenario(overrides: ["groups.local.appeal=\(formatNumber(x))"])
        }
    }

    @Test func meetsTheTargetToTheSolverTolerance() throws {
        let goal = seek(threshold: 0.3)
        let result = try goal.solve(jobs: 2)
        guard case .met(let x, let value, let crossings, _) = result.outcome else {
            Issue.record("not met: \(result.outcome)")
            return
        }
        #expect(crossings == 1)
        // Brent stops when the bracket is 1e-10 wide; the share moves by less than 1 per unit of appeal.
        #expect(abs(value - 0.3) < 1e-9)
        #expect(abs(try goal.targetValue(at: x) - 0.3) < 1e-9)
        #expect(try goal.targetValue(at: x - 1e-6) < 0.3 && goal.targetValue(at: x + 1e-6) > 0.3)
    }

    @Test func reportsUnreachableWithTheBestValueAndMetThroughout() throws {
        let unreachable = try seek(threshold: 0.95).solve()
        guard case .unreachable(let best, let at) = unreachable.outcome else {
            Issue.record("expected unreachable: \(unreachable.outcome)")
            return
        }
        #expect(at == 1 && best < 0.95 && best == unreachable.scan.last!.targetValue)
        let everywhere = try seek(threshold: 0.01).solve()
        guard case .metThroughout(let least, let where_) = everywhere.outcome else {
            Issue.record("expected met throughout: \(everywhere.outcome)")
            return
        }
        #expect(where_ == -3 && least > 0.01)
    }
}
