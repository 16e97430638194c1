import Foundation
import Testing

/// Every class of invalid input: exit 65, a message naming the path, and no output folder created or changed.
@Suite struct InvalidInputTests {
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let replace: String
        let with: String
        /// Text the message must contain.
        let expect: [String]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "unknown key", replace: "qualified: 0.5,", with: "qualifed: 0.5,",
            expect: ["groups.fr.qualifed", "did you mean 'qualified'"]),
        Case(
            name: "wrong type", replace: "appeal: {IaaS: 0.2,", with: "appeal: {IaaS: high,", expect: ["groups.fr.appeal.IaaS", "number"]),
        Case(name: "out of range", replace: "churn: 0.1}", with: "churn: -0.1}", expect: ["classes.public.churn"]),
        Case(
            name: "shares do not sum to 1", replace: "IaaS: {us: 0.7, fr: 0.3,", with: "IaaS: {us: 0.7, fr: 0.2,",
            expect: ["regions.FR.shares.IaaS", "0.9"]),
        Case(
            name: "mix does not sum to 1", replace: "{public: 0.3, sme: 0.7}", with: "{public: 0.3, sme: 0.6}",
            expect: ["regions.FR.classes"]),
        Case(
            name: "unknown id in a filter", replace: "regions: [FR], classes: [public]", with: "regions: [FR], classes: [publik]",
            expect: ["levers.cloud_au_centre.classes", "did you mean 'public'"]),
        Case(
            name: "filter the lever type does not use", replace: "groups: [fr], start: 2021.84",
            with: "groups: [fr], regions: [FR], start: 2021.84", expect: ["levers.pia4.regions"]),
        Case(
            name: "funding a group without investment", replace: "groups: [fr], start: 2021.84", with: "groups: [us], start: 2021.84",
            expect: ["levers.pia4", "investment"]),
        Case(
            name: "late entrant with an initial share", replace: "IaaS: {us: 0.7, fr: 0.3, hybrid: 0}",
            with: "IaaS: {us: 0.6, fr: 0.3, hybrid: 0.1}", expect: ["regions.FR.shares.IaaS.hybrid", "available_from"]),
        Case(name: "YAML syntax", replace: "segments: [IaaS, SaaS]", with: "segments: [IaaS, SaaS", expect: ["small.yaml:"]),
        Case(
            name: "unknown lever type", replace: "type: demand", with: "type: demnad",
            expect: ["levers.surge.type", "did you mean 'demand'"]),
    ]

    @Test(arguments: cases)
    func rejected(_ c: Case) throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        #expect(smallScenario.contains(c.replace), "fixture drifted: \(c.replace)")
        try cli.write("good.yaml", smallScenario)
        try cli.write("small.yaml", smallScenario.replacingOccurrences(of: c.replace, with: c.with))
        #expect(try cli.run("run", "good.yaml", "--out", "existing").status == 0)
        let before = try cli.snapshot("existing")

        for arguments in [
            ["run", "small.yaml", "--out", "existing"], ["run", "small.yaml", "--out", "fresh"], ["validate", "small.yaml"],
        ] {
            let result = try cli.run(arguments: arguments)
            #expect(result.status == 65, "\(arguments): \(result.stderr)")
            for text in c.expect { #expect(result.stderr.contains(text), "missing '\(text)' in: \(result.stderr)") }
            #expect(result.stderr.contains("small.yaml:"), "no file:line:col in: \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count <= 24, "more than a screen: \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
        }
        #expect(!cli.exists("fresh"))
        #expect(try cli.snapshot("existing") == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func unknownOverridePathIsInvalidInput() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        let result = try cli.run("run", "small.yaml", "--set", "model.price_sensitivty=2", "--out", "out")
        #expect(result.status == 65)
        #expect(result.stderr.contains("model.price_sensitivty"))
        #expect(result.stderr.contains("did you mean 'price_sensitivity'"))
        #expect(!cli.exists("out"))
    }

    @Test func missingFileIsInvalidInput() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        let result = try cli.run("run", "nowhere.yaml")
        #expect(result.status == 65)
        #expect(result.stderr.contains("nowhere.yaml"))
    }
}
