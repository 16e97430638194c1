import Foundation
import Testing

/// The shipped baseline against the published figures it was built to reproduce.
@Suite struct BaselineTests {
    /// value[(region, segment, group, variable)] at one time, from a run's timeseries.csv.
    static func values(in csv: String, at time: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in csv.split(separator: "\r\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f[1] == time else { continue }
            out["\(f[2])/\(f[3])/\(f[4])/\(f[5])"] = Double(f[6])
        }
        return out
    }

    @Test func reproducesSynergySharesOf2021() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        #expect(try cli.run("run", "--quiet").status == 0)
        let v = Self.values(in: try cli.read("Outputs/baseline/timeseries.csv"), at: "2021")
        let groups = ["us_hyperscalers", "other_non_eu", "fr_providers", "eu_providers", "trusted_hybrids"]
        // Synergy's scope is cloud infrastructure services: IaaS + PaaS, all of Europe.
        let infrastructure = { (g: String) in try #require(v["ALL/IaaS/\(g)/revenue"]) + #require(v["ALL/PaaS/\(g)/revenue"]) }
        let total = try groups.map(infrastructure).reduce(0, +)
        let european = try (infrastructure("fr_providers") + infrastructure("eu_providers")) / total
        let bigThree = try infrastructure("us_hyperscalers") / total
        // data/history/synergy_europe.csv: European providers 16% (2021.375), AWS+Microsoft+Google 69% (2021.375).
        #expect(abs(european - 0.16) < 0.015, "European providers' share of IaaS+PaaS in 2021: \(european)")
        #expect(abs(bigThree - 0.69) < 0.03, "big three's share of IaaS+PaaS in 2021: \(bigThree)")
        // data/history/france_infra_shares.csv (Markess, 2021): AWS 46% + Microsoft 17% + Google 8% of French IaaS+PaaS.
        let french = { (g: String) in try #require(v["FR/IaaS/\(g)/revenue"]) + #require(v["FR/PaaS/\(g)/revenue"]) }
        let frenchBigThree = try french("us_hyperscalers") / groups.map(french).reduce(0, +)
        #expect(abs(frenchBigThree - 0.71) < 0.01, "big three's share of French IaaS+PaaS in 2021: \(frenchBigThree)")
        // data/seed-facts.md: Europe 2020 = 59 bn (IDC), and France "more than 50%" growth 2020–2022.
        let france2022 = try #require(Self.values(in: try cli.read("Outputs/baseline/timeseries.csv"), at: "2022")["FR/ALL//market_size"])
        let france2020 = try #require(Self.values(in: try cli.read("Outputs/baseline/timeseries.csv"), at: "2020")["FR/ALL//market_size"])
        #expect(france2022 / france2020 > 1.5)
    }
}
