import Foundation

@testable import CloudMarket

/// Small scenarios built in code, so the model's tests do not depend on the file format.
enum Fixture {
    static let tight = SolverSettings(method: .rk8pd, absoluteTolerance: 1e-12, relativeTolerance: 1e-12, initialStep: 1e-3)

    static func group(
        _ id: String, _ origin: Origin, appeal: Double, price: Double = 1, qualified: Double = 0, segments: Int = 1,
        investment: Investment? = nil, availableFrom: Double? = nil
    ) -> Group {
        Group(
            id: id, name: id, origin: origin, sovereignty: origin.defaultSovereignty, appeal: Array(repeating: appeal, count: segments),
            price: Array(repeating: price, count: segments), qualified: qualified, investment: investment, availableFrom: availableFrom)
    }

    static func customerClass(
        _ id: String, sensitive: Double = 0, sovereignty: Double = 0, sensitivePreference: Double = 0, mandate: Double = 0,
        churn: Double = 0.1
    ) -> CustomerClass {
        CustomerClass(
            id: id, name: id, sensitive: sensitive, sovereigntyPreference: sovereignty, sensitivePreference: sensitivePreference,
            mandate: mandate, churn: churn)
    }

    /// Two classes that exercise every pool of the choice: a plain one, and one with sensitive workloads under a mandate.
    static let twoClasses = [
        customerClass("sme", churn: 0.1),
        customerClass("public", sensitive: 0.4, sovereignty: 0.5, sensitivePreference: 1.5, mandate: 0.5, churn: 0.3),
    ]

    static let threeGroups = [
        group("us", .nonEU, appeal: 1.0),
        group("fr", .eu, appeal: 0.2, price: 0.9, qualified: 0.6),
        group("eu", .eu, appeal: 0.0, price: 1.1),
    ]

    /// One region, one segment, unless told otherwise.
    static func scenario(
        segments: [String] = ["IaaS"], regions: [Region]? = nil, groups: [Group] = threeGroups, classes: [CustomerClass] = twoClasses,
        levers: [Lever] = [],
        model: ModelParameters = ModelParameters(priceSensitivity: 1.2, capabilityElasticity: 0.3, depreciation: 0.15, networkEffect: 0),
        horizon: Horizon = Horizon(start: 2020, end: 2030), solver: SolverSettings = tight, targets: [Target] = []
    ) -> Scenario {
        let defaultRegion = Region(
            id: "FR", name: "France", markets: segments.map { _ in SegmentMarket(size: 1000, growth: Growth(rate: 0.25)) },
            classMix: Array(repeating: 1 / Double(classes.count), count: classes.count),
            initialShares: segments.map { _ in evenShares(groups) })
        return Scenario(
            name: "fixture", description: "", horizon: horizon, solver: solver, model: model, segments: segments,
            regions: regions ?? [defaultRegion], groups: groups, classes: classes, levers: levers, targets: targets)
    }

    /// Equal shares over the groups available at the start.
    static func evenShares(_ groups: [Group]) -> [Double] {
        let open = groups.filter { $0.availableFrom == nil }.count
        return groups.map { $0.availableFrom == nil ? 1 / Double(open) : 0 }
    }
}

/// DESIGN §1.4 written out again, independently of `ChoiceModel`, for closed-form expectations.
enum ReferenceChoice {
    static func softmax(_ u: [Double]) -> [Double] {
        let e = u.map { Foundation.exp($0) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    /// P[g] for one class with constant parameters and no capability or network terms.
    static func probabilities(groups: [Group], segment s: Int = 0, customerClass c: CustomerClass, beta: Double) -> [Double] {
        let v = groups.map { $0.appeal[s] - beta * Foundation.log($0.price[s]) }
        let free = softmax(zip(v, groups).map { $0 + c.sovereigntyPreference * $1.sovereignty })
        let sensU = zip(v, groups).map { $0 + (c.sovereigntyPreference + c.sensitivePreference) * $1.sovereignty }
        let sens = softmax(sensU)
        let qualWeights = zip(sensU, groups).map { $1.qualified * Foundation.exp($0) }
        let qualTotal = qualWeights.reduce(0, +)
        return groups.indices.map { g in
            let sensitivePool =
                qualTotal > 0 ? c.mandate * qualWeights[g] / qualTotal + (1 - c.mandate) * sens[g] : sens[g]
            return (1 - c.sensitive) * free[g] + c.sensitive * sensitivePool
        }
    }
}
