import Foundation
import Testing

@testable import CloudMarket

@Suite struct MeasureTests {
    /// Two regions, two segments growing at different rates, three groups of two origins.
    static let scenario: Scenario = {
        let groups = [
            Fixture.group("us", .nonEU, appeal: 1.0, segments: 2), Fixture.group("fr", .eu, appeal: 0.2, qualified: 0.6, segments: 2),
            Fixture.group("other", .eu, appeal: 0.0, price: 1.1, segments: 2),
        ]
        var s = Fixture.scenario(segments: ["IaaS", "PaaS"], groups: groups)
        let fr = s.regions[0]
        var markets = fr.markets
        markets[1] = SegmentMarket(size: 600, growth: Growth(rate: 0.1))
        s.regions[0].markets = markets
        s.regions.append(
            Region(
                id: "DE", name: "Germany", markets: [SegmentMarket(size: 3000, growth: Growth(rate: 0.3)), markets[1]],
                classMix: fr.classMix, initialShares: [[0.7, 0.1, 0.2], [0.5, 0.2, 0.3]]))
        return s
    }()

    func measure(_ variable: String, _ region: String, _ segment: String, _ group: String) throws(Measure.Problem) -> Measure {
        try Measure(variable: variable, region: region, segment: segment, group: group, in: Self.scenario)
    }

    /// Sampling at any moment: the closed-form relaxation of DESIGN §1.5 holds at quarter mid-points, between reporting times.
    @Test func snapshotsAtAnyTimeMatchTheClosedForm() throws {
        let scenario = Fixture.scenario()
        let times = [2020.125, 2021.375, 2027.875]
        let snapshots = try Simulation(scenario: scenario).snapshots(at: times)
        let probabilities = scenario.classes.map { ReferenceChoice.probabilities(groups: scenario.groups, customerClass: $0, beta: 1.2) }
        let mix = scenario.regions[0].classMix
        let s0 = scenario.regions[0].initialShares[0]
        for (t, snap) in zip(times, snapshots) {
            #expect(snap.time == t)
            for (g, group) in scenario.groups.enumerated() {
                var expected = 0.0
                for c in scenario.classes.indices {
                    let a = log(1.25) + scenario.classes[c].churn
                    expected += mix[c] * (probabilities[c][g] + (s0[g] - probabilities[c][g]) * exp(-a * (t - 2020)))
                }
                let m = try Measure(variable: "share", region: "FR", segment: "IaaS", group: group.id, in: scenario)
                #expect(abs(try #require(m.value(in: snap)) - expected) < 1e-9, "\(group.id) at \(t)")
            }
        }
    }

    @Test func sampledSnapshotsEqualTheReportedOnes() throws {
        let simulation = Simulation(scenario: Self.scenario)
        let run = try simulation.run()
        let sampled = try simulation.snapshots(at: Self.scenario.horizon.reportingTimes)
        for (snap, reported) in zip(sampled, run.snapshots) {
            #expect(snap.time == reported.time && snap.revenue == reported.revenue && snap.flowShare == reported.flowShare)
        }
        let twice = try simulation.snapshots(at: [2023.5, 2023.5])
        #expect(twice.count == 2 && twice[0].revenue == twice[1].revenue)
    }

    /// Sums over segments and groups are the sums of their parts, and ratios are ratios of sums (not sums of ratios).
    @Test func sumsAndOriginsAreConsistentWithTheirParts() throws {
        let snap = try #require(Simulation(scenario: Self.scenario).snapshots(at: [2024.625]).first)
        let value = { (v: String, r: String, s: String, g: String) in try #require(try self.measure(v, r, s, g).value(in: snap)) }
        for region in ["FR", "DE", "ALL"] {
            let revenue = { (s: String, g: String) in try value("revenue", region, s, g) }
            let market = { (s: String) in try value("market_size", region, s, "") }
            let sumRevenue = try revenue("IaaS", "fr") + revenue("PaaS", "fr") + revenue("IaaS", "other") + revenue("PaaS", "other")
            #expect(abs(try revenue("IaaS+PaaS", "fr+other") - sumRevenue) < 1e-9 * sumRevenue)
            #expect(abs(try revenue("ALL", "other+fr") - sumRevenue) < 1e-9 * sumRevenue)
            let totalMarket = try market("IaaS") + market("PaaS")
            #expect(abs(try market("IaaS+PaaS") - totalMarket) < 1e-9 * totalMarket)
            #expect(abs(try value("share", region, "PaaS+IaaS", "other+fr") - sumRevenue / totalMarket) < 1e-12)
            // An origin is the sum of its groups; share_eu over segments is the same ratio of sums.
            #expect(abs(try value("share", region, "IaaS+PaaS", "eu") - sumRevenue / totalMarket) < 1e-12)
            #expect(abs(try value("share_eu", region, "IaaS+PaaS", "") - sumRevenue / totalMarket) < 1e-12)
            #expect(abs(try value("share_non_eu", region, "IaaS+PaaS", "") - (1 - sumRevenue / totalMarket)) < 1e-12)
            // A one-segment measure is the reported value itself.
            #expect(
                try value("flow_share", region, "IaaS", "us") == snap.value(.flowShare, region: regionIndex(region), segment: 0, group: 0))
            // Flow shares over segments: weighted by the business contested in each (Σc a·M).
            let a = { (s: Int) in snap.contested[snap.cell(regionIndex(region), s)] }
            let flows = try ["IaaS", "PaaS"].map { try value("flow_share", region, $0, "us") }
            let expectedFlow = (flows[0] * a(0) + flows[1] * a(1)) / (a(0) + a(1))
            #expect(abs(try value("flow_share", region, "IaaS+PaaS", "us") - expectedFlow) < 1e-12)
            #expect(abs(try value("flow_share_non_eu", region, "IaaS+PaaS", "") - expectedFlow) < 1e-12)
        }
        // Growth over segments: the market-weighted continuous rate, as ALL regions use.
        let sizes = try ["IaaS", "PaaS"].map { try value("market_size", "FR", $0, "") }
        let expected = expm1((sizes[0] * log(1.25) + sizes[1] * log(1.1)) / (sizes[0] + sizes[1]))
        #expect(abs(try value("growth", "FR", "IaaS+PaaS", "") - expected) < 1e-12)
    }

    func regionIndex(_ id: String) -> Int { Self.scenario.regions.firstIndex { $0.id == id } ?? Self.scenario.regions.count }

    @Test func namesAreCheckedWithTheValidNamesForSuggestions() {
        let cases: [(String, String, String, String, Measure.Field, String)] = [
            ("shares", "FR", "IaaS", "us", .variable, "unknown variable 'shares'"),
            ("share", "XX", "IaaS", "us", .region, "unknown region 'XX'"),
            ("share", "FR", "IaaS+SaaS", "us", .segment, "unknown segment 'SaaS'"),
            ("share", "FR", "IaaS+IaaS", "us", .segment, "'IaaS' appears twice in 'IaaS+IaaS'"),
            ("share", "FR", "IaaS", "us+", .group, "empty name in the sum 'us+'"),
            ("share", "FR", "IaaS", "eu_licensed", .group, "no group has origin eu_licensed"),
            ("adoption", "ALL", "", "", .region, "unknown region 'ALL'"),
            ("market_size", "FR", "IaaS", "us", .group, "market_size has no group: leave it empty"),
            ("capability", "", "", "us+fr", .group, "capability cannot be summed over groups"),
            ("sensitive_qualified", "FR", "IaaS+PaaS", "", .segment, "sensitive_qualified cannot be summed over segments"),
        ]
        for (v, r, s, g, field, message) in cases {
            do {
                _ = try measure(v, r, s, g)
                Issue.record("\(v) \(r) \(s) \(g): accepted")
            } catch {
                #expect(error.field == field && error.message == message, "\(error.message)")
            }
        }
    }
}
