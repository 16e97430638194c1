import Foundation
import Testing

@testable import CloudMarket

/// Each lever type changes the quantity of DESIGN §1.3 by the formula's amount, and only while it is in force.
@Suite struct LeverTests {
    /// Levers ramp over 2021.0–2023.0 and end at 2026.0: probes before start, mid-ramp, at full effect, after end.
    static let probes: [(t: Double, rho: Double)] = [(2020.5, 0), (2021.5, 0.25), (2022.0, 0.5), (2024.0, 1), (2026.5, 0)]

    static func lever(_ kind: Lever.Kind, _ filter: Lever.Filter = Lever.Filter()) -> Lever {
        Lever(id: "l", kind: kind, filter: filter, start: 2021, ramp: 2, end: 2026)
    }

    /// The parameters in force at `t` under one lever, as the integrator sees them.
    static func parameters(_ scenario: Scenario, at t: Double) -> ParameterValues {
        let schedule = ParameterSchedule(scenario, layout: Layout(scenario))
        let p = ParameterState(schedule.base)
        schedule.evaluate(into: p, at: t, regime: t)
        return p.values
    }

    static func check(_ kind: Lever.Kind, _ filter: Lever.Filter = Lever.Filter(), expect: (ParameterValues, Double) -> Void) {
        let scenario = Fixture.scenario(regions: nil, levers: [lever(kind, filter)])
        for (t, rho) in probes { expect(parameters(scenario, at: t), rho) }
    }

    // Class 1 ("public") has m = 0.5, σ = 0.4, χ = 0.3, wa = 0.5, ws = 1.5; class 0 is untouched by a classes filter.
    @Test func mandate() {
        Self.check(.mandate(level: 1.0), Lever.Filter(classes: ["public"])) { p, rho in
            #expect(abs(p.mandate[1] - (0.5 + 0.5 * rho)) < 1e-15)
            #expect(p.mandate[0] == 0)
        }
    }

    @Test func qualification() {
        Self.check(.qualification(level: 0.9), Lever.Filter(origins: [.eu])) { p, rho in
            #expect(abs(p.qualified[1] - (0.6 + 0.3 * rho)) < 1e-15)
            #expect(abs(p.qualified[2] - 0.9 * rho) < 1e-15)
            #expect(p.qualified[0] == 0)
        }
    }

    @Test func sensitiveScope() {
        Self.check(.sensitiveScope(level: 0.8), Lever.Filter(classes: ["public"])) { p, rho in
            #expect(abs(p.sensitive[1] - (0.4 + 0.4 * rho)) < 1e-15)
            #expect(p.sensitive[0] == 0)
        }
    }

    @Test func portability() {
        Self.check(.portability(churnMultiplier: 3)) { p, rho in
            #expect(abs(p.churn[0] - 0.1 * (1 + 2 * rho)) < 1e-15)
            #expect(abs(p.churn[1] - 0.3 * (1 + 2 * rho)) < 1e-15)
        }
    }

    @Test func procurement() {
        Self.check(.procurement(bonus: 0.7), Lever.Filter(groups: ["fr"], classes: ["public"])) { p, rho in
            // (r=0, c=1, g=1) is the one matched cell.
            #expect(abs(p.procurementBonus[1 * 3 + 1] - 0.7 * rho) < 1e-15)
            #expect(p.procurementBonus.enumerated().allSatisfy { $0.offset == 4 || $0.element == 0 })
        }
    }

    @Test func demand() {
        Self.check(.demand(extraGrowth: 0.1)) { p, rho in #expect(abs(p.growth[0] - (0.25 + 0.1 * rho)) < 1e-15) }
    }

    @Test func price() {
        Self.check(.price(factor: 0.5), Lever.Filter(groups: ["us"])) { p, rho in
            #expect(abs(p.price[0] - (1 - 0.5 * rho)) < 1e-15)
            #expect(p.price[1] == 0.9)
        }
    }

    @Test func appeal() {
        Self.check(.appeal(delta: -0.4), Lever.Filter(origins: [.nonEU])) { p, rho in
            #expect(abs(p.appeal[0] - (1 - 0.4 * rho)) < 1e-15)
            #expect(p.appeal[1] == 0.2)
        }
    }

    @Test func adoption() {
        var scenario = Fixture.scenario(levers: [Self.lever(.adoption(pFactor: 2, qFactor: 0.5))])
        scenario.regions[0].adoption = Adoption(initial: 0.2, ceiling: 0.9, p: 0.01, q: 0.4)
        for (t, rho) in Self.probes {
            let p = Self.parameters(scenario, at: t)
            #expect(abs(p.bassP[0] - 0.01 * (1 + rho)) < 1e-15)
            #expect(abs(p.bassQ[0] - 0.4 * (1 - 0.5 * rho)) < 1e-15)
        }
    }

    /// Both sovereignty preferences × (1 + μ·2^(−(t−start)/h)) from the start on; nothing before.
    @Test func trustShock() {
        let shock = Lever(
            id: "schrems", kind: .trustShock(magnitude: 1.5, halfLife: 2), filter: Lever.Filter(classes: ["public"]), start: 2020.54)
        let scenario = Fixture.scenario(levers: [shock])
        #expect(Self.parameters(scenario, at: 2020.5).sovereigntyPreference[1] == 0.5)
        for t in [2020.54, 2021.0, 2024.0] {
            let factor = 1 + 1.5 * pow(2, -(t - 2020.54) / 2)
            let p = Self.parameters(scenario, at: t)
            #expect(abs(p.sovereigntyPreference[1] - 0.5 * factor) < 1e-14)
            #expect(abs(p.sensitivePreference[1] - 1.5 * factor) < 1e-14)
            #expect(p.sovereigntyPreference[0] == 0)
        }
    }

    /// I[g] += amount·(1+leverage)·w[g]/years inside [start, start+years), with the split normalised.
    @Test func funding() {
        var groups = Fixture.threeGroups
        groups[1].investment = Investment(level: 50, growth: 0)
        groups[2].investment = Investment(level: 30, growth: 0)
        let fund = Lever(
            id: "pia4", kind: .funding(amount: 400, years: 4, leverage: 1, split: ["fr": 3, "eu": 1]), filter: Lever.Filter(origins: [.eu]),
            start: 2021)
        let scenario = Fixture.scenario(groups: groups, levers: [fund])
        for (t, inWindow) in [(2020.9, false), (2021.0, true), (2024.9, true), (2025.0, false)] {
            let p = Self.parameters(scenario, at: t)
            #expect(p.investment[1] == 50 + (inWindow ? 800 * 0.75 / 4 : 0))
            #expect(p.investment[2] == 30 + (inWindow ? 800 * 0.25 / 4 : 0))
        }
    }

    /// Inside a funding window K' = I0 + F − δK from the steady path, so K = K0 + F·(1 − e^(−δ(t−s)))/δ.
    @Test func fundingBuildsKnowledgeStockInClosedForm() throws {
        var groups = Fixture.threeGroups
        groups[1].investment = Investment(level: 50, growth: 0)
        let fund = Lever(
            id: "pia4", kind: .funding(amount: 400, years: 4, leverage: 0, split: nil), filter: Lever.Filter(groups: ["fr"]), start: 2021.5)
        let run = try Simulation(scenario: Fixture.scenario(groups: groups, levers: [fund])).run()
        let k0 = 50 / 0.15
        for t in run.times {
            let inside = min(max(t - 2021.5, 0), 4)
            var expected = k0 + 100 * (1 - exp(-0.15 * inside)) / 0.15
            if t > 2025.5 { expected = k0 + (expected - k0) * exp(-0.15 * (t - 2025.5)) }
            #expect(abs(try #require(run.value(.knowledgeStock, group: "fr", at: t)) - expected) < 1e-8)
        }
    }

    /// A region's class factors are the first region's unless a trust shock or a procurement bonus covers one and not
    /// the other; other levers leave them alike.
    @Test func classInputsFollowFirstRegionUnlessALeverTellsThemApart() {
        let france = Fixture.scenario().regions[0]
        var germany = france
        germany.id = "DE"
        let follow = { (lever: Lever?) in
            let scenario = Fixture.scenario(regions: [france, germany], levers: lever.map { [$0] } ?? [])
            return ParameterSchedule(scenario, layout: Layout(scenario)).classInputsFollowFirstRegion
        }
        let inGermany = Lever.Filter(regions: ["DE"])
        #expect(follow(nil) == [true, true])
        #expect(follow(Lever(id: "t", kind: .trustShock(magnitude: 1, halfLife: 2), start: 2021)) == [true, true])
        #expect(follow(Lever(id: "t", kind: .trustShock(magnitude: 1, halfLife: 2), filter: inGermany, start: 2021)) == [true, false])
        #expect(follow(Lever(id: "b", kind: .procurement(bonus: 0.5), filter: inGermany, start: 2021)) == [true, false])
        #expect(follow(Lever(id: "m", kind: .mandate(level: 1), filter: inGermany, start: 2021)) == [true, true])
    }

    /// Two identical regions choose alike, and apart when a procurement bonus favours a group in one of them only.
    @Test func regionsChooseApartUnderARegionalBonus() throws {
        let france = Fixture.scenario().regions[0]
        var germany = france
        germany.id = "DE"
        let bonus = Lever(id: "b", kind: .procurement(bonus: 0.5), filter: Lever.Filter(regions: ["DE"], groups: ["eu"]), start: 2021)
        for (levers, apart) in [([Lever](), false), ([bonus], true)] {
            let run = try Simulation(scenario: Fixture.scenario(regions: [france, germany], levers: levers)).run()
            let share = { (region: String) in try #require(run.value(.share, region: region, segment: "IaaS", group: "eu", at: 2025)) }
            #expect(try (share("DE") > share("FR")) == apart)
            if !apart { #expect(try share("DE") == share("FR")) }
        }
    }

    /// Levers apply in file order: a later mandate pulls from the value the earlier one left.
    @Test func leversApplyInFileOrder() {
        let first = Lever(id: "a", kind: .mandate(level: 1), start: 2021)
        let second = Lever(id: "b", kind: .mandate(level: 0.2), start: 2021, ramp: 2)
        let p = Self.parameters(Fixture.scenario(levers: [first, second]), at: 2022)
        let expected: Double = 1 + (0.2 - 1) * 0.5
        #expect(abs(p.mandate[0] - expected) < 1e-15)
    }

    /// A step lever starting exactly at a reporting time counts at that time (DESIGN §1.6).
    @Test func stepAtReportingTimeCounts() throws {
        let step = Lever(id: "boost", kind: .demand(extraGrowth: 0.05), start: 2025)
        let run = try Simulation(scenario: Fixture.scenario(levers: [step])).run()
        #expect(try #require(run.value(.growth, region: "FR", segment: "IaaS", at: 2024)) == 0.25)
        #expect(abs(try #require(run.value(.growth, region: "FR", segment: "IaaS", at: 2025)) - 0.30) < 1e-15)
        // Growth before the step compounds at 25%, after it at 30%.
        let size2027 = try #require(run.value(.marketSize, region: "FR", segment: "IaaS", at: 2027))
        #expect(abs(size2027 / (1000 * pow(1.25, 5) * pow(1.30, 2)) - 1) < 1e-9)
    }
}

@Suite struct BreakpointTests {
    /// A three-week demand pulse at a non-integer time: the driver must stop at both edges, so a loose
    /// tolerance gives the tight answer (an adaptive step over the pulse would miss it entirely).
    @Test func pulseIsNotSteppedOver() throws {
        let pulse = Lever(id: "pulse", kind: .demand(extraGrowth: 2.0), start: 2023.37, end: 2023.43)
        let expected = 1000 * pow(1.25, 2023.37 - 2020) * pow(3.25, 0.06) * pow(1.25, 2030 - 2023.43)
        // Missing the pulse would be 5.6% off; each bound is the method's global error at that tolerance.
        let cases: [(SolverMethod, tolerance: Double, bound: Double)] = [
            (.rkf45, 1e-3, 5e-3), (.rk8pd, 1e-12, 1e-9), (.msbdf, 1e-7, 1e-4), (.rk4, 1e-3, 5e-3),
        ]
        for (method, tolerance, bound) in cases {
            let solver = SolverSettings(method: method, absoluteTolerance: tolerance, relativeTolerance: tolerance, initialStep: 0.5)
            let run = try Simulation(scenario: Fixture.scenario(levers: [pulse], solver: solver)).run()
            let size = try #require(run.value(.marketSize, at: 2030))
            #expect(abs(size / expected - 1) < bound, "\(method) tol \(tolerance): \(size) vs \(expected)")
        }
    }
}

@Suite struct ConservationTests {
    /// Every lever, the network effect and a late entrant shake the shares; none of it may create or
    /// destroy revenue: the market compounds at its growth, shares stay on the simplex.
    @Test func choiceDynamicsConserveRevenue() throws {
        var groups = Fixture.threeGroups.map { g in
            var g = g
            g.appeal = [g.appeal[0], g.appeal[0] + 0.2, g.appeal[0] - 0.5]
            g.price = Array(repeating: g.price[0], count: 3)
            return g
        }
        groups[1].investment = Investment(level: 40, growth: 0.05)
        groups.append(Fixture.group("hybrid", .euLicensed, appeal: 0.4, qualified: 0.3, segments: 3, availableFrom: 2024))
        let segments = ["IaaS", "PaaS", "SaaS"]
        let regions = [("FR", 1000.0, 0.3), ("EU_OTHER", 5000.0, 0.2)].map { id, size, rate in
            Region(
                id: id, name: id, markets: segments.map { _ in SegmentMarket(size: size, growth: Growth(rate: rate)) },
                classMix: [0.55, 0.45],
                initialShares: segments.map { _ in [0.6, 0.2, 0.2, 0] })
        }
        let levers = [
            Lever(id: "m", kind: .mandate(level: 1), filter: Lever.Filter(regions: ["FR"], classes: ["public"]), start: 2021.5, ramp: 2),
            Lever(id: "q", kind: .qualification(level: 0.9), filter: Lever.Filter(groups: ["fr"]), start: 2022.3, ramp: 1),
            Lever(id: "s", kind: .sensitiveScope(level: 0.6), start: 2023.1, end: 2027.7),
            Lever(id: "p", kind: .portability(churnMultiplier: 2), start: 2027.03),
            Lever(id: "b", kind: .procurement(bonus: 0.5), filter: Lever.Filter(origins: [.eu]), start: 2024.2),
            Lever(id: "t", kind: .trustShock(magnitude: 2, halfLife: 1.5), start: 2020.54),
            Lever(id: "pr", kind: .price(factor: 0.8), filter: Lever.Filter(segments: ["IaaS"], groups: ["us"]), start: 2025.5, ramp: 3),
            Lever(id: "a", kind: .appeal(delta: 0.3), filter: Lever.Filter(groups: ["eu"]), start: 2026, ramp: 0.5, end: 2029),
            Lever(
                id: "f", kind: .funding(amount: 600, years: 4, leverage: 1, split: nil), filter: Lever.Filter(groups: ["fr"]),
                start: 2021.84),
        ]
        let model = ModelParameters(priceSensitivity: 1.1, capabilityElasticity: 0.4, depreciation: 0.15, networkEffect: 0.3)
        let scenario = Fixture.scenario(
            segments: segments, regions: regions, groups: groups, levers: levers, model: model,
            horizon: Horizon(start: 2020, end: 2035, stepsPerYear: 4))
        let run = try Simulation(scenario: scenario).run()
        #expect(run.times.count == 61)
        for t in run.times {
            for (region, size, rate) in [("FR", 1000.0, 0.3), ("EU_OTHER", 5000.0, 0.2)] {
                for segment in segments {
                    let market = try #require(run.value(.marketSize, region: region, segment: segment, at: t))
                    #expect(abs(market / (size * pow(1 + rate, t - 2020)) - 1) < 1e-9)
                }
            }
            for region: String in ["FR", "EU_OTHER", allID] {
                for segment: String in segments + [allID] {
                    let market = try #require(run.value(.marketSize, region: region, segment: segment, at: t))
                    var revenue = 0.0
                    var shares = 0.0
                    var flows = 0.0
                    for group in groups {
                        let share = try #require(run.value(.share, region: region, segment: segment, group: group.id, at: t))
                        let flow = try #require(run.value(.flowShare, region: region, segment: segment, group: group.id, at: t))
                        #expect(share >= 0 && share <= 1)
                        #expect(flow >= 0 && flow <= 1)
                        revenue += try #require(run.value(.revenue, region: region, segment: segment, group: group.id, at: t))
                        shares += share
                        flows += flow
                    }
                    #expect(abs(revenue / market - 1) < 1e-12)
                    #expect(abs(shares - 1) < 1e-12)
                    #expect(abs(flows - 1) < 1e-12)
                    var originShares = 0.0
                    for variable: Variable in [.shareEU, .shareEULicensed, .shareNonEU] {
                        originShares += try #require(run.value(variable, region: region, segment: segment, at: t))
                    }
                    #expect(abs(originShares - 1) < 1e-12)
                }
            }
        }
        // The levers did move things: the French public mandate and funding raise fr's French share.
        #expect(try #require(run.value(.share, region: "FR", group: "fr", at: 2035)) > 0.25)
    }
}
