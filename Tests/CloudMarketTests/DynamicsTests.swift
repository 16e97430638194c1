import Foundation
import Testing

@testable import CloudMarket

@Suite struct DynamicsTests {
    /// Σg X grows at exactly γ = ln(1+g): annual points compound exactly.
    @Test func marketSizeCompoundsAtWholeYears() throws {
        let markets = [SegmentMarket(size: 2500, growth: Growth(rate: 0.30)), SegmentMarket(size: 6800, growth: Growth(rate: 0.17))]
        let groups = Fixture.threeGroups.map { g in
            var g = g
            g.appeal = [g.appeal[0], g.appeal[0] - 0.3]
            g.price = [g.price[0], g.price[0]]
            return g
        }
        let region = Region(
            id: "FR", name: "France", markets: markets, classMix: [0.7, 0.3], initialShares: [[0.6, 0.3, 0.1], [0.5, 0.25, 0.25]])
        let scenario = Fixture.scenario(
            segments: ["IaaS", "SaaS"], regions: [region], groups: groups, horizon: Horizon(start: 2020, end: 2035))
        let run = try Simulation(scenario: scenario).run()
        #expect(run.times.count == 16)
        for (k, t) in run.times.enumerated() {
            for (s, segment) in ["IaaS", "SaaS"].enumerated() {
                let expected = markets[s].size * pow(1 + markets[s].growth.rate, Double(k))
                let size = try #require(run.value(.marketSize, region: "FR", segment: segment, at: t))
                #expect(abs(size / expected - 1) < 1e-9, "\(segment) at \(t): \(size) vs \(expected)")
                #expect(abs(try #require(run.value(.growth, region: "FR", segment: segment, at: t)) - markets[s].growth.rate) < 1e-14)
            }
        }
    }

    /// With constant parameters and no network effect, each class's share relaxes as S = P + (S0 − P)·e^(−a(t−t0)).
    @Test func sharesRelaxToLogitInClosedForm() throws {
        let scenario = Fixture.scenario()
        let run = try Simulation(scenario: scenario).run()
        let gamma = log(1.25)
        let classes = scenario.classes
        let probabilities = classes.map { ReferenceChoice.probabilities(groups: scenario.groups, customerClass: $0, beta: 1.2) }
        let mix = scenario.regions[0].classMix
        let s0 = scenario.regions[0].initialShares[0]
        for t in run.times {
            for (g, group) in scenario.groups.enumerated() {
                var expected = 0.0
                for c in classes.indices {
                    let a = gamma + classes[c].churn
                    expected += mix[c] * (probabilities[c][g] + (s0[g] - probabilities[c][g]) * exp(-a * (t - 2020)))
                }
                let share = try #require(run.value(.share, region: "FR", segment: "IaaS", group: group.id, at: t))
                #expect(abs(share - expected) < 1e-9, "\(group.id) at \(t): \(share) vs \(expected)")
            }
        }
        // Flows are weighted by a·M per class, with M_c = mix_c·M because every class grows alike.
        let weights = classes.indices.map { mix[$0] * (gamma + classes[$0].churn) }
        for (g, group) in scenario.groups.enumerated() {
            let expected = classes.indices.map { weights[$0] * probabilities[$0][g] }.reduce(0, +) / weights.reduce(0, +)
            let flow = try #require(run.value(.flowShare, region: "FR", segment: "IaaS", group: group.id, at: 2025))
            #expect(abs(flow - expected) < 1e-12)
        }
        // Only the public class has sensitive workloads: m of them go to qualified offers, the rest as Psens says.
        let c = classes[1]
        let sens = ReferenceChoice.probabilities(
            groups: scenario.groups,
            customerClass: Fixture.customerClass("x", sovereignty: c.sovereigntyPreference + c.sensitivePreference), beta: 1.2)
        let expectedQualified = c.mandate + (1 - c.mandate) * zip(sens, scenario.groups).map { $0 * $1.qualified }.reduce(0, +)
        #expect(abs(try #require(run.value(.sensitiveQualified, region: "FR", segment: "IaaS", at: 2025)) - expectedQualified) < 1e-12)
    }

    /// Knowledge stocks start on their steady-growth path: K/K0 = (1+ι)^(t−t0), so C = θ·(t−t0)·ln(1+ι).
    @Test func capabilityFollowsSteadyGrowthPath() throws {
        var groups = Fixture.threeGroups
        groups[1].investment = Investment(level: 50, growth: 0.08)
        let run = try Simulation(scenario: Fixture.scenario(groups: groups)).run()
        for t in run.times {
            let expected = 0.3 * (t - 2020) * log(1.08)
            #expect(abs(try #require(run.value(.capability, group: "fr", at: t)) - expected) < 1e-9)
            #expect(abs(try #require(run.value(.investment, group: "fr", at: t)) - 50 * pow(1.08, t - 2020)) < 1e-9)
        }
        #expect(run.value(.capability, group: "us", at: 2025) == nil)
    }

    /// Bass diffusion with constant p, q: (p + qA)/(c − A) = R0·e^((p+qc)(t−t0)).
    @Test func adoptionMatchesBassClosedForm() throws {
        let adoption = Adoption(initial: 0.27, ceiling: 0.9, p: 0.01, q: 0.35)
        var scenario = Fixture.scenario()
        scenario.regions[0].adoption = adoption
        let run = try Simulation(scenario: scenario).run()
        let r0 = (adoption.p + adoption.q * adoption.initial) / (adoption.ceiling - adoption.initial)
        for t in run.times {
            let r = r0 * exp((adoption.p + adoption.q * adoption.ceiling) * (t - 2020))
            let expected = (adoption.ceiling * r - adoption.p) / (adoption.q + r)
            #expect(abs(try #require(run.value(.adoption, region: "FR", at: t)) - expected) < 1e-10)
        }
    }

    /// A group outside the choice set until `available_from` earns nothing before and enters after.
    @Test func groupEntersAtAvailableFrom() throws {
        var groups = Fixture.threeGroups
        groups.append(Fixture.group("hybrid", .euLicensed, appeal: 0.5, availableFrom: 2024.0))
        let run = try Simulation(scenario: Fixture.scenario(groups: groups)).run()
        for t in run.times {
            let revenue = try #require(run.value(.revenue, region: "FR", segment: "IaaS", group: "hybrid", at: t))
            let flow = try #require(run.value(.flowShare, region: "FR", segment: "IaaS", group: "hybrid", at: t))
            if t < 2024 {
                #expect(revenue == 0)
                #expect(flow == 0)
            } else if t > 2024 {
                #expect(revenue > 0)
                #expect(flow > 0)
            }
        }
        #expect(try #require(run.value(.shareEULicensed, at: 2030)) > 0.05)
    }

    /// An entrant's share rising through `share_floor` puts a kink in the network term, ln(max(S, floor)). The driver
    /// stops where it happens instead of stepping across it, so the default rkf45 tolerances give the 1e-13 answer to
    /// 6e-9 (relative); stepping across the kink, they gave it to 9e-8.
    @Test func shareCrossingTheFloorKeepsTheSolverAccuracy() throws {
        var groups = Fixture.threeGroups
        groups.append(Fixture.group("hybrid", .euLicensed, appeal: 0.5, availableFrom: 2024.0))
        let model = ModelParameters(priceSensitivity: 1.2, networkEffect: 0.8, shareFloor: 0.01)
        let run = { (solver: SolverSettings) in
            try Simulation(scenario: Fixture.scenario(groups: groups, model: model, solver: solver)).run()
        }
        let (standard, reference) = (
            try run(SolverSettings()), try run(SolverSettings(method: .rk8pd, absoluteTolerance: 1e-13, relativeTolerance: 1e-13))
        )
        let share = { (t: Double) in try #require(reference.value(.share, region: "FR", segment: "IaaS", group: "hybrid", at: t)) }
        #expect(try share(2024) < 0.01 && share(2030) > 0.01, "the entrant's share must cross the floor")
        for t in reference.times {
            for group in groups.map(\.id) {
                let expected = try #require(reference.value(.revenue, region: "FR", segment: "IaaS", group: group, at: t))
                let value = try #require(standard.value(.revenue, region: "FR", segment: "IaaS", group: group, at: t))
                #expect(abs(value - expected) <= 2e-8 * max(expected, 1), "\(group) at \(t): \(value) vs \(expected)")
            }
        }
    }

    @Test func growthBelowMinusOneIsAnError() throws {
        let crash = Lever(id: "crash", kind: .demand(extraGrowth: -1.5), start: 2022)
        #expect(throws: SimulationError.self) { try Simulation(scenario: Fixture.scenario(levers: [crash])).run() }
    }

    /// Targets read the reported value, as a ratio when `relative_to` is set.
    @Test func targetsAreEvaluated() throws {
        let targets = [
            Target(id: "grow", label: "", variable: .marketSize, year: 2025, relativeTo: 2020, bound: .atLeast(3.0)),
            Target(id: "cap", label: "", variable: .share, group: "us", year: 2030, bound: .atMost(0.2)),
        ]
        let run = try Simulation(scenario: Fixture.scenario(targets: targets)).run()
        let results = run.evaluate(targets)
        #expect(abs(try #require(results[0].value) - pow(1.25, 5)) < 1e-9)
        #expect(results[0].met)
        #expect(results[1].value == run.value(.share, group: "us", at: 2030))
        #expect(!results[1].met)
    }
}

@Suite struct HorizonTests {
    /// One grid rule for validation, integration stops and lookups: start + k/steps_per_year up to the end.
    @Test func reportingGrid() {
        let quarterly = Horizon(start: 2020, end: 2022, stepsPerYear: 4)
        #expect(quarterly.reportingTimes == [2020, 2020.25, 2020.5, 2020.75, 2021, 2021.25, 2021.5, 2021.75, 2022])
        #expect(quarterly.reportingIndex(of: 2021.75) == 7)
        #expect(quarterly.reportingIndex(of: 2020 + 0.1 + 0.15) == 1)  // 2020.25 up to rounding
        #expect(quarterly.reportingIndex(of: 2021.3) == nil)
        #expect(quarterly.reportingIndex(of: 2022.25) == nil)
        #expect(quarterly.reportingIndex(of: 2019.75) == nil)
    }
}
