import CloudMarket
import Foundation
import Testing

@testable import ScenarioIO

@Suite struct LoadTests {
    func loadFixture(overrides: [String] = []) throws(ScenarioError) -> LoadedScenario {
        try ScenarioLoader.load(text: fixture, fileName: "fixture.yaml", overrides: overrides)
    }

    @Test func loadsTypedValues() throws {
        let loaded = try loadFixture()
        let s = loaded.scenario
        #expect(loaded.files == ["fixture.yaml"])
        #expect(s.name == "fixture")
        #expect(s.description == "A small test market")
        #expect(s.horizon == Horizon(start: 2020, end: 2030, stepsPerYear: 1))
        #expect(s.solver.method.rawValue == "rk8pd")
        #expect(s.solver.absoluteTolerance == 1e-10)
        #expect(s.solver.relativeTolerance == 1e-8)  // default
        #expect(s.solver.initialStep == 0.01)  // default
        #expect(
            s.model
                == ModelParameters(priceSensitivity: 1.5, capabilityElasticity: 0.3, depreciation: 0.2, networkEffect: 0, shareFloor: 1e-4))
        #expect(s.segments == ["IaaS", "PaaS", "SaaS"])

        #expect(s.regions.map(\.id) == ["FR", "EU_OTHER"])
        let fr = s.regions[0]
        #expect(fr.name == "France")
        #expect(s.regions[1].name == "EU_OTHER")  // default: the id
        #expect(fr.markets[0] == SegmentMarket(size: 2500, growth: Growth(rate: 0.3)))
        #expect(fr.markets[1] == SegmentMarket(size: 1200, growth: Growth(rate: 0.22, longRun: 0.1, halfLife: 6)))
        #expect(fr.classMix == [0.3, 0.5, 0.2])
        #expect(fr.initialShares[2] == [0.5, 0.25, 0.25, 0])
        #expect(fr.adoption == Adoption(initial: 0.27, ceiling: 0.9, p: 0.01, q: 0.35))
        #expect(s.regions[1].adoption == nil)

        #expect(s.groups.map(\.id) == ["us_hyperscalers", "fr_providers", "eu_providers", "trusted_hybrids"])
        let us = s.groups[0]
        let fr2 = s.groups[1]
        let eu = s.groups[2]
        let th = s.groups[3]
        #expect(us.name == "US hyperscalers")
        #expect(us.origin == .nonEU)
        #expect(us.sovereignty == 0)  // default by origin
        #expect(us.appeal == [1.2, 1.5, 0.4])
        #expect(us.price == [0.9, 0.9, 0.9])  // one number for all
        #expect(us.qualified == 0)
        #expect(fr2.name == "fr_providers")
        #expect(fr2.sovereignty == 1)
        #expect(fr2.appeal == [0.5, 0.5, 0.5])
        #expect(fr2.price == [1, 1, 1])  // default
        #expect(fr2.investment == Investment(level: 300, growth: 0.1))
        #expect(eu.sovereignty == 0.8)
        #expect(eu.price == [1.1, 1.0, 1.2])
        #expect(th.origin == .euLicensed)
        #expect(th.sovereignty == 0.6)
        #expect(th.availableFrom == 2024.5)
        #expect(th.qualified == 1)

        #expect(s.classes.map(\.id) == ["public", "large", "sme"])
        #expect(
            s.classes[0]
                == CustomerClass(
                    id: "public", name: "Public administrations", sensitive: 0.35, sovereigntyPreference: 0.3, sensitivePreference: 2,
                    mandate: 0, churn: 0.1))
        #expect(s.classes[2].name == "sme")

        #expect(
            s.levers.map(\.kind.typeName) == [
                "mandate", "qualification", "sensitive_scope", "portability", "procurement", "trust_shock", "demand", "price", "appeal",
                "funding", "adoption",
            ])
        let mandate = s.levers[0]
        #expect(mandate.id == "cloud_au_centre")
        #expect(mandate.label == "Cloud au centre circular")
        #expect(mandate.source == "Prime Minister's circular, 5 July 2021")
        #expect(mandate.filter == Lever.Filter(regions: ["FR"], classes: ["public"]))
        #expect(mandate.start == 2021.5 && mandate.ramp == 2 && mandate.end == nil)
        #expect(mandate.kind == .mandate(level: 1))
        #expect(s.levers[1].kind == .qualification(level: 0.8))
        #expect(s.levers[2].kind == .sensitiveScope(level: 0.5) && s.levers[2].end == 2028 && s.levers[2].ramp == 0)
        #expect(s.levers[3].kind == .portability(churnMultiplier: 1.5) && s.levers[3].filter == Lever.Filter())
        #expect(s.levers[3].label == "" && s.levers[3].source == "")
        #expect(s.levers[4].kind == .procurement(bonus: 0.5) && s.levers[4].filter == Lever.Filter(origins: [.eu], classes: ["public"]))
        #expect(s.levers[5].kind == .trustShock(magnitude: 0.5, halfLife: 2))
        #expect(s.levers[6].kind == .demand(extraGrowth: 0.05) && s.levers[6].filter.segments == ["PaaS"])
        #expect(s.levers[7].kind == .price(factor: 0.9))
        #expect(s.levers[8].kind == .appeal(delta: 0.2))
        #expect(s.levers[9].kind == .funding(amount: 1800, years: 5, leverage: 0.5, split: ["fr_providers": 1]))
        #expect(s.levers[10].kind == .adoption(pFactor: 1.5, qFactor: 1.2) && s.levers[10].ramp == 4)

        #expect(
            s.targets[0]
                == Target(
                    id: "double_french_industry", label: "Double the French cloud industry's revenue by 2025 (vs 2021)", variable: .revenue,
                    region: "FR", segment: "ALL", group: "fr_providers", year: 2025, relativeTo: 2021, bound: .atLeast(2)))
        #expect(
            s.targets[1] == Target(id: "adoption_goal", label: "", variable: .adoption, region: "FR", year: 2030, bound: .atLeast(0.75)))
    }

    @Test func resolvedYAMLReloadsToTheSameScenario() throws {
        let loaded = try loadFixture()
        let again = try ScenarioLoader.load(text: loaded.resolvedYAML, fileName: "resolved.yaml")
        #expect(again.scenario == loaded.scenario)
        #expect(again.resolvedYAML == loaded.resolvedYAML)
        #expect(!loaded.resolvedYAML.contains("extends"))
        #expect(loaded.resolvedYAML.contains("abs_tol: 1.0e-10"))
    }

    @Test func resolvedYAMLQuotesAwkwardStrings() throws {
        let text = edited(
            fixture,
            [
                ("name: fixture", "name: \"yes\""),
                ("description: A small test market", "description: \"line one\\nline \\\"two\\\": {3}\""),
            ])
        let loaded = try ScenarioLoader.load(text: text, fileName: "f.yaml", overrides: ["levers.data_act.start=2026.1"])
        #expect(loaded.scenario.name == "yes")
        let again = try ScenarioLoader.load(text: loaded.resolvedYAML, fileName: "resolved.yaml")
        #expect(again.scenario == loaded.scenario)
    }

    @Test func jsonIsAccepted() throws {
        let json = """
            {"name": "j", "horizon": {"start": 2020, "end": 2022}, "segments": ["S"],
             "regions": {"R": {"segments": {"S": {"size": 10, "growth": 0.1}}, "classes": {"c": 1}, "shares": {"S": {"g": 1}}}},
             "groups": {"g": {"origin": "eu", "appeal": 0}},
             "classes": {"c": {"sensitive": 0, "sovereignty_pref": 0, "sensitive_pref": 0, "mandate": 0, "churn": 0.1}}}
            """
        let s = try ScenarioLoader.load(text: json, fileName: "s.json").scenario
        #expect(s.name == "j")
        #expect(s.regions[0].markets[0].size == 10)
        #expect(s.levers.isEmpty && s.targets.isEmpty)
    }

    @Test func loadsFromFile() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = try dir.write("f.yaml", fixture)
        let loaded = try ScenarioLoader.load(file: path)
        #expect(loaded.files == [path])
        #expect(loaded.scenario == (try loadFixture().scenario))
    }

    // MARK: extends

    @Test func extendsMergesByIDAndRemoves() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try dir.write("base.yaml", fixture)
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let child = try dir.write(
            "sub/child.yaml",
            """
            extends: ../base.yaml
            name: child
            model: {network_effect: 0.2}
            segments: [IaaS, PaaS, SaaS]
            groups:
              fr_providers:
                appeal: {IaaS: 0.7, PaaS: 0.6, SaaS: 0.5}
            levers:
              - id: cloud_au_centre
                level: 0.5
              - id: new_demand
                type: demand
                start: 2025
                extra_growth: 0.02
              - id: egress_cut
                type: appeal
                start: 2027
                delta: -0.1
            remove: [ux_push, adoption_goal]
            """)
        let loaded = try ScenarioLoader.load(file: child)
        let s = loaded.scenario
        #expect(loaded.files == [child, dir.url.appendingPathComponent("base.yaml").path])
        #expect(s.name == "child")
        #expect(s.description == "A small test market")
        #expect(s.model.networkEffect == 0.2 && s.model.priceSensitivity == 1.5)  // deep merge of mappings
        #expect(s.groups[1].appeal == [0.7, 0.6, 0.5])
        #expect(s.groups[1].investment == Investment(level: 300, growth: 0.1))  // kept from the parent
        let ids = s.levers.map(\.id)
        #expect(
            ids == [
                "cloud_au_centre", "secnumcloud", "scope", "data_act", "buy_european", "cloud_act_scare", "ai_boom", "egress_cut",
                "france_2030", "digital_decade", "new_demand",
            ])
        #expect(s.levers[0].kind == .mandate(level: 0.5))
        #expect(s.levers[0].label == "Cloud au centre circular")  // merged, not replaced
        #expect(s.levers[7].kind == .appeal(delta: -0.1) && s.levers[7].filter == Lever.Filter())  // new type: replaced
        #expect(s.targets.map(\.id) == ["double_french_industry"])
        let again = try ScenarioLoader.load(text: loaded.resolvedYAML, fileName: "resolved.yaml")
        #expect(again.scenario == s)
    }

    @Test func extendsIsRecursiveAndNullIsAllowed() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try dir.write("a.yaml", "extends: null\n" + fixture)
        try dir.write("b.yaml", "extends: a.yaml\nname: b\n")
        let c = try dir.write("c.yaml", "extends: b.yaml\ndescription: c\n")
        let loaded = try ScenarioLoader.load(file: c)
        #expect(loaded.files.map { URL(fileURLWithPath: $0).lastPathComponent } == ["c.yaml", "b.yaml", "a.yaml"])
        #expect(loaded.scenario.name == "b" && loaded.scenario.description == "c")
    }

    @Test func problemsInAParentPointAtTheParent() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let baseText = edited(fixture, [("    qualified: 0.4\n", "    qualifed: 0.4\n")])
        let base = try dir.write("base.yaml", baseText)
        let child = try dir.write("child.yaml", "extends: base.yaml\nname: child\n")
        do {
            _ = try ScenarioLoader.load(file: child)
            Issue.record("expected an error")
        } catch {
            let at = position(of: "qualifed", in: baseText)
            #expect(error.description.contains("\(base):\(at): error: groups.fr_providers.qualifed: unknown key"))
            #expect(error.description.contains("did you mean 'qualified'?"))
        }
    }

    // MARK: --set

    @Test func setsScalarPaths() throws {
        let s = try loadFixture(overrides: [
            "model.price_sensitivity=2", "model.network_effect=0.25", "horizon.end=2035", "regions.FR.segments.IaaS.size=3000",
            "classes.public.churn=0.2", "regions.FR.shares.IaaS.us_hyperscalers=0.55", "regions.FR.shares.IaaS.eu_providers=0.15",
            "name=renamed", "solver.method=msbdf",
        ]).scenario
        #expect(s.model.priceSensitivity == 2)
        #expect(s.model.networkEffect == 0.25)
        #expect(s.horizon.end == 2035)
        #expect(s.regions[0].markets[0].size == 3000)
        #expect(s.classes[0].churn == 0.2)
        #expect(s.regions[0].initialShares[0] == [0.55, 0.3, 0.15, 0])
        #expect(s.name == "renamed")
        #expect(s.solver.method.rawValue == "msbdf")
    }

    @Test func setsExpandOneNumberForms() throws {
        let s = try loadFixture(overrides: [
            "groups.fr_providers.appeal.IaaS=0.9",  // appeal: 0.5
            "groups.us_hyperscalers.price.PaaS=1.1",  // price: 0.9
            "groups.fr_providers.price.SaaS=1.3",  // price absent (1.0)
            "regions.FR.segments.IaaS.growth.rate=0.4",  // growth: 0.30
            "regions.FR.segments.SaaS.growth.long_run=0.05", "regions.FR.segments.SaaS.growth.half_life=4",
        ]).scenario
        #expect(s.groups[1].appeal == [0.9, 0.5, 0.5])
        #expect(s.groups[0].price == [0.9, 1.1, 0.9])
        #expect(s.groups[1].price == [1, 1, 1.3])
        #expect(s.regions[0].markets[0].growth == Growth(rate: 0.4))
        #expect(s.regions[0].markets[2].growth == Growth(rate: 0.17, longRun: 0.05, halfLife: 4))
    }

    @Test func setsLeverAndTargetFields() throws {
        let loaded = try loadFixture(overrides: [
            "levers.cloud_au_centre.level=0.7", "levers.cloud_au_centre.start=2022", "levers.cloud_au_centre.end=2029",
            "levers.data_act.ramp=1.5", "levers.france_2030.split.fr_providers=2", "levers.france_2030.amount=900",
            "targets.double_french_industry.at_least=3", "targets.adoption_goal.year=2028",
        ])
        let s = loaded.scenario
        #expect(s.levers[0].kind == .mandate(level: 0.7))
        #expect(s.levers[0].start == 2022 && s.levers[0].end == 2029)
        #expect(s.levers[3].ramp == 1.5)
        #expect(s.levers[9].kind == .funding(amount: 900, years: 5, leverage: 0.5, split: ["fr_providers": 2]))
        #expect(s.targets[0].bound == .atLeast(3))
        #expect(s.targets[1].year == 2028)
        #expect(try ScenarioLoader.load(text: loaded.resolvedYAML, fileName: "r.yaml").scenario == s)
    }

    @Test func everyCatalogPathCanBeSet() throws {
        let base = try loadFixture().scenario
        let entries = ParameterCatalog.entries(for: base)
        let overrides = entries.map { "\($0.path)=\(Emitter.num($0.value))" }
        let again = try loadFixture(overrides: overrides).scenario
        #expect(again == base)
    }

    @Test func setErrorsNameTheOverride() throws {
        for (override, path, message, suggestion) in [
            ("model.price_sensitivty=2", "model.price_sensitivty", "no such parameter", "price_sensitivity"),
            ("levers.cloud_au_centr.level=1", "levers.cloud_au_centr", "no lever has the id 'cloud_au_centr'", "cloud_au_centre"),
            ("regions.FR.segmnts.IaaS.size=3", "regions.FR.segmnts", "no such parameter", "segments"),
            ("levers.cloud_au_centre.factor=1", "levers.cloud_au_centre.factor", "no such parameter", nil),
            ("groups.fr_providers.appeal.iaas=1", "groups.fr_providers.appeal.iaas", "no such parameter", "IaaS"),
            ("model.price_sensitivity=high", "model.price_sensitivity", "expected a number, found the string \"high\"", nil),
            ("model.price_sensitivity=\"2\"", "model.price_sensitivity", "expected a number, found the string \"2\"", nil),
            ("model.price_sensitivity", "", "expected PATH=VALUE", nil),
        ] as [(String, String, String, String?)] {
            do {
                _ = try loadFixture(overrides: [override])
                Issue.record("expected an error for \(override)")
            } catch {
                let head = path.isEmpty ? "--set \(override): error: " : "--set \(override): error: \(path): "
                #expect(error.description.contains(head + message), "\(error.description)")
                if let suggestion { #expect(error.description.contains("did you mean '\(suggestion)'?"), "\(error.description)") }
            }
        }
    }

    // MARK: catalog

    @Test func catalogListsPathsInFileOrder() throws {
        let s = try loadFixture().scenario
        let entries = ParameterCatalog.entries(for: s)
        let byPath = Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byPath.count == entries.count)  // no duplicate paths
        #expect(entries.first?.path == "model.price_sensitivity")
        let expected: [(String, Double, String)] = [
            ("model.price_sensitivity", 1.5, "1"), ("model.depreciation", 0.2, "1/yr"), ("model.share_floor", 1e-4, "fraction"),
            ("regions.FR.segments.IaaS.size", 2500, "MEUR/yr"), ("regions.FR.segments.IaaS.growth.rate", 0.3, "fraction/yr"),
            ("regions.FR.segments.PaaS.growth.long_run", 0.1, "fraction/yr"), ("regions.FR.segments.PaaS.growth.half_life", 6, "yr"),
            ("regions.FR.classes.public", 0.3, "fraction"), ("regions.FR.shares.IaaS.us_hyperscalers", 0.6, "fraction"),
            ("regions.FR.adoption.q", 0.35, "1/yr"), ("regions.EU_OTHER.shares.SaaS.eu_providers", 0.3, "fraction"),
            ("groups.fr_providers.appeal.IaaS", 0.5, "utility"), ("groups.us_hyperscalers.price.SaaS", 0.9, "index"),
            ("groups.us_hyperscalers.sovereignty", 0, "score in [0, 1]"), ("groups.fr_providers.investment.level", 300, "MEUR/yr"),
            ("groups.trusted_hybrids.available_from", 2024.5, "year"), ("classes.public.churn", 0.1, "1/yr"),
            ("levers.cloud_au_centre.level", 1, "fraction"), ("levers.cloud_au_centre.start", 2021.5, "year"),
            ("levers.cloud_au_centre.ramp", 2, "yr"), ("levers.scope.end", 2028, "year"), ("levers.cloud_act_scare.half_life", 2, "yr"),
            ("levers.france_2030.split.fr_providers", 1, "weight"), ("levers.france_2030.leverage", 0.5, "factor"),
            ("levers.digital_decade.p_factor", 1.5, "factor"), ("targets.double_french_industry.at_least", 2, "ratio"),
            ("targets.adoption_goal.at_least", 0.75, "fraction of enterprises"), ("targets.double_french_industry.year", 2025, "year"),
        ]
        for (path, value, unit) in expected {
            #expect(byPath[path]?.value == value, "\(path)")
            #expect(byPath[path]?.unit == unit, "\(path)")
            #expect(byPath[path]?.meaning.isEmpty == false, "\(path)")
        }
        // Absent optional values are not listed; forms with one number are listed per segment.
        #expect(byPath["regions.FR.segments.IaaS.growth.long_run"] == nil)
        #expect(byPath["levers.cloud_au_centre.end"] == nil)
        #expect(byPath["levers.france_2030.ramp"] == nil)
        #expect(byPath["groups.fr_providers.appeal.SaaS"]?.value == 0.5)
        // File order: model, regions, groups, classes, levers, targets.
        func index(_ p: String) -> Int { entries.firstIndex { $0.path == p } ?? -1 }
        #expect(index("model.share_floor") < index("regions.FR.segments.IaaS.size"))
        #expect(index("regions.FR.adoption.q") < index("regions.EU_OTHER.segments.IaaS.size"))
        #expect(index("regions.EU_OTHER.shares.SaaS.trusted_hybrids") < index("groups.us_hyperscalers.sovereignty"))
        #expect(index("groups.trusted_hybrids.available_from") < index("classes.public.sensitive"))
        #expect(index("classes.sme.churn") < index("levers.cloud_au_centre.start"))
        #expect(index("levers.cloud_au_centre.level") < index("levers.secnumcloud.start"))
        #expect(index("levers.digital_decade.q_factor") < index("targets.double_french_industry.year"))
    }
}
