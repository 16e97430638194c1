import CloudMarket
import Foundation
import Testing

@testable import ScenarioIO

/// A bad history file and what its one problem must say.
struct BadHistory: Sendable, CustomStringConvertible {
    let label: String
    let text: String
    /// `line:column`, or "" for a whole-file problem.
    let at: String
    let path: String
    let message: String
    var suggestion: String? = nil
    var description: String { label }
}

let historyHeader = "time,variable,region,segment,group,value,weight,source\n"

let badHistories: [BadHistory] = [
    BadHistory(
        label: "unknown variable", text: historyHeader + "2021.375,shares,FR,IaaS,us_hyperscalers,0.7,,x\n", at: "2:10",
        path: "variable", message: "unknown variable 'shares'", suggestion: "share"),
    BadHistory(
        label: "unknown region", text: historyHeader + "2021.375,share,FRA,IaaS,us_hyperscalers,0.7,,x\n", at: "2:16", path: "region",
        message: "unknown region 'FRA'", suggestion: "FR"),
    BadHistory(
        label: "unknown segment in a sum", text: historyHeader + "2021.375,share,FR,IaaS+Paas,us_hyperscalers,0.7,,x\n", at: "2:19",
        path: "segment", message: "unknown segment 'Paas'", suggestion: "PaaS"),
    BadHistory(
        label: "unknown group", text: historyHeader + "2021.375,share,FR,IaaS,us_hyperscaler,0.7,,x\n", at: "2:24", path: "group",
        message: "unknown group 'us_hyperscaler'", suggestion: "us_hyperscalers"),
    BadHistory(
        label: "capability summed over an origin", text: historyHeader + "2021.375,capability,,,eu,0.7,,x\n", at: "2:23", path: "group",
        message: "capability cannot be summed over groups"),
    BadHistory(
        label: "time outside the horizon", text: historyHeader + "2019.5,share,FR,IaaS,us_hyperscalers,0.7,,x\n", at: "2:1",
        path: "time", message: "2019.5 is outside the scenario's horizon 2020–2030"),
    BadHistory(
        label: "value not a number", text: historyHeader + "2021.5,share,FR,IaaS,us_hyperscalers,0,7,,x\n", at: "2:1", path: "",
        message: "expected 8 fields as in the header, found 9"),
    BadHistory(
        label: "value text", text: historyHeader + "2021.5,share,FR,IaaS,us_hyperscalers,seventy,,x\n", at: "2:38", path: "value",
        message: "expected a number, found 'seventy'"),
    BadHistory(
        label: "negative weight", text: historyHeader + "2021.5,share,FR,IaaS,us_hyperscalers,0.7,-4,x\n", at: "2:42", path: "weight",
        message: "expected a positive weight (1/σ²), found -4"),
    BadHistory(
        label: "group where none applies", text: historyHeader + "2021.5,market_size,FR,IaaS,us_hyperscalers,2500,,x\n", at: "2:28",
        path: "group", message: "market_size has no group: leave it empty"),
    BadHistory(
        label: "missing segment", text: historyHeader + "2021.5,share,FR,,us_hyperscalers,0.7,,x\n", at: "2:17", path: "segment",
        message: "share needs a segment"),
    BadHistory(
        label: "growth over ALL segments", text: historyHeader + "2021.5,growth,FR,ALL,,0.3,,x\n", at: "2:18", path: "segment",
        message: "growth is reported for real segments only; name them (IaaS+PaaS)"),
    BadHistory(
        label: "unknown column", text: "time,variable,region,segment,group,value,wieght\n", at: "1:42", path: "wieght",
        message: "unknown column; expected time,variable,region,segment,group,value and optionally weight, source, note",
        suggestion: "weight"),
    BadHistory(
        label: "missing column", text: "time,variable,region,segment,value\n2021,adoption,FR,,0.3\n", at: "1:1", path: "group",
        message: "the header has no 'group' column"),
    BadHistory(
        label: "unclosed quote", text: historyHeader + "2021.5,share,FR,IaaS,us_hyperscalers,0.7,,\"Markess\n", at: "2:43", path: "",
        message: "a quoted field is never closed"),
    BadHistory(
        label: "header only", text: historyHeader, at: "", path: "", message: "no observations: the file has a header and nothing else"),
    BadHistory(
        label: "empty file", text: "", at: "", path: "",
        message: "the file is empty: expected a header time,variable,region,segment,group,value,weight"),
]

@Suite struct HistoryFileTests {
    let scenario = try! ScenarioLoader.load(text: fixture, fileName: "fixture.yaml").scenario

    @Test(arguments: badHistories)
    func reportsLineColumnPathAndSuggestion(_ bad: BadHistory) throws {
        do {
            _ = try HistoryFile.parse(text: bad.text, fileName: "history.csv", for: scenario)
            Issue.record("\(bad.label): parsed without error")
        } catch {
            #expect(error.problems.count == 1, "\(error)")
            let problem = try #require(error.problems.first)
            let at = [problem.line, problem.column].compactMap { $0 }.map(String.init).joined(separator: ":")
            #expect(problem.file == "history.csv")
            #expect(at == bad.at, "\(error)")
            #expect(problem.path == bad.path)
            #expect(problem.message == bad.message)
            #expect(problem.suggestion == bad.suggestion)
        }
    }

    @Test func readsSumsOriginsQuotesAndDefaults() throws {
        let text = """
            value,time,variable,region,segment,group,source
            0.71,2021.375,share,FR,IaaS+PaaS,us_hyperscalers,"Markess, via ""Le Monde""\"
            0.16,2021.375,share_eu,ALL,IaaS+PaaS,,Synergy
            0.2,2024,share,ALL,ALL,eu,x
            0.3,2020,adoption,FR,,,Eurostat

            """
        let observations = try HistoryFile.parse(text: text, fileName: "h.csv", for: scenario)
        #expect(observations.map(\.line) == [2, 3, 4, 5])
        #expect(observations[0].source == "Markess, via \"Le Monde\"")
        #expect(observations[0].measure.description == "share FR IaaS+PaaS us_hyperscalers")
        #expect(observations.allSatisfy { $0.weight == 1 })
        #expect(observations.map(\.time) == [2021.375, 2021.375, 2024, 2020])
    }

    /// What spreadsheets write: a byte-order mark, CRLF line ends, a quoted field with a line break, a blank last line.
    @Test func readsSpreadsheetCSV() throws {
        let text =
            "\u{FEFF}time,variable,region,segment,group,value,note\r\n2021,adoption,FR,,,0.29,\"two\r\nlines\"\r\n2022,adoption,FR,,,0.3,\r\n\r\n"
        let observations = try HistoryFile.parse(text: text, fileName: "h.csv", for: scenario)
        #expect(observations.map(\.line) == [2, 4])
        #expect(observations.map(\.value) == [0.29, 0.3])
    }

    @Test func unreadableFileIsADataError() throws {
        do {
            _ = try HistoryFile.read(file: "/nonexistent/history.csv", for: scenario)
            Issue.record("read a missing file")
        } catch {
            #expect(error.description == "/nonexistent/history.csv: error: cannot read data file '/nonexistent/history.csv': no such file")
        }
    }

    @Test func allRowProblemsAreCollected() throws {
        let text = historyHeader + "2021.5,share,XX,IaaS,us_hyperscalers,0.7,,x\n2021.5,share,FR,IaaS,nobody,0.7,,x\n"
        do {
            _ = try HistoryFile.parse(text: text, fileName: "h.csv", for: scenario)
            Issue.record("parsed")
        } catch {
            #expect(error.problems.map(\.path) == ["region", "group"])
        }
    }
}

@Suite struct TemplateAndEditorTests {
    @Test func templateInstantiatesWithValuesAndLocatesNumbers() throws {
        let template = try ScenarioTemplate(text: fixture, fileName: "fixture.yaml")
        let scenario = try template.scenario(setting: [("model.price_sensitivity", 0.123456789012345), ("groups.fr_providers.appeal", -2)])
        #expect(scenario.model.priceSensitivity == 0.123456789012345)
        #expect(scenario.groups[1].appeal == [-2, -2, -2])
        let location = try template.location(of: "regions.FR.segments.PaaS.growth.long_run").get()
        #expect("\(location.line):\(location.column)" == position(of: "long_run: 0.10", in: fixture, shift: 10))
        #expect(location.file == "fixture.yaml" && location.text == "0.10")
        #expect(throws: ValueLocation.Missing.self) { try template.location(of: "groups.fr_providers.appeal.IaaS").get() }
        let lever = try template.location(of: "levers.cloud_au_centre.level").get()
        #expect("\(lever.line):\(lever.column)" == position(of: "level: 1.0", in: fixture, shift: 7) && lever.text == "1.0")
        #expect(throws: ValueLocation.Missing.self) { try template.location(of: "model.network_effect").get() }
        #expect(throws: ScenarioError.self) { try template.scenario(setting: [("regions.FR.classes.public", 2)]) }
    }

    /// Experiments set plain numbers on the typed scenario: the result must be the file path's, and a value out of range
    /// must fail with the file path's message.
    @Test(arguments: [
        ("model.network_effect", 0.7, .nan), ("model.share_floor", 0.01, 1.0), ("model.price_sensitivity", -0.5, .infinity),
        ("model.capability_elasticity", 0.2, .nan), ("classes.public.churn", 0.15, -0.1), ("classes.large.sensitive", 0.4, 1.5),
        ("classes.sme.sovereignty_pref", 0.6, .nan), ("classes.public.sensitive_pref", 3, .infinity),
        ("classes.public.mandate", 0.5, -1), ("groups.fr_providers.appeal", -0.25, .nan),
        ("groups.us_hyperscalers.appeal.PaaS", 2, .infinity), ("groups.eu_providers.appeal.SaaS", 0.1, .nan),
        ("groups.trusted_hybrids.qualified", 0.5, 2), ("groups.eu_providers.sovereignty", 0.3, -0.3),
        ("regions.EU_OTHER.segments.PaaS.size", 123.456, -1),
        // Not plain numbers: they always take the file path.
        ("model.depreciation", 0.1, -1), ("regions.FR.classes.public", 0.3, 2), ("levers.data_act.churn_multiplier", 2, -1),
    ])
    func instantiatorMatchesTheFilePath(path: String, valid: Double, invalid: Double) throws {
        let template = try ScenarioTemplate(text: fixture, fileName: "fixture.yaml")
        let overrides = ["model.network_effect=0.3"]
        let make = template.instantiator(overrides: overrides, paths: [path, "classes.sme.churn"])
        let viaFile = { (x: Double) in
            try template.scenario(overrides: overrides + ["\(path)=\(formatNumber(x))", "classes.sme.churn=0.2"])
        }
        #expect(try make([valid, 0.2]) == viaFile(valid))
        var messages: [String] = []
        for attempt in [{ try make([invalid, 0.2]) }, { try viaFile(invalid) }] {
            do {
                _ = try attempt()
                Issue.record("\(path)=\(invalid) was accepted")
            } catch {
                messages.append("\(error)")
            }
        }
        #expect(messages.count == 2 && messages[0] == messages[1])
    }

    /// `describe`'s source column: the comment on the value's line, or the one-number form's for a path inside it.
    @Test func sourcesAreTheCommentsWhereValuesAreWritten() throws {
        let text = edited(
            fixture,
            [
                ("price_sensitivity: 1.5", "price_sensitivity: 1.5   # β — data/seed-facts.md"),
                ("appeal: 0.5", "appeal: 0.5   # assumption: as the others"),
            ])
        let template = try ScenarioTemplate(text: text, fileName: "f.yaml")
        #expect(template.source(of: "model.price_sensitivity") == "β — data/seed-facts.md")
        #expect(template.source(of: "groups.fr_providers.appeal.SaaS") == "assumption: as the others")
        #expect(template.source(of: "model.depreciation") == nil)
        #expect(template.source(of: "model.share_floor") == nil)
    }

    @Test func editorRewritesNumbersKeepsCommentsAndReplacesOldNotes() throws {
        let text = """
            model:
              price_sensitivity: 1.0         # β — assumption: unit elasticity
              network_effect: 0.8
            growth: {rate: 0.35, long_run: 0.10}   # IDC
            """
        let at = { (line: Int, column: Int, text: String) in
            ValueLocation(file: "f.yaml", line: line, column: column, text: text, value: Double(text)!)
        }
        let once = try ScenarioEditor.apply(
            [
                NumberEdit(location: at(2, 22, "1.0"), value: 1.234567, note: "calibrated ± 0.1 on a.csv"),
                NumberEdit(location: at(3, 19, "0.8"), value: 0.5, note: "calibrated ± 0.2 on a.csv"),
                NumberEdit(location: at(4, 16, "0.35"), value: 0.4, note: "calibrated ± 0.01 on a.csv"),
                NumberEdit(location: at(4, 32, "0.10"), value: 0.125, note: "calibrated ± 0.02 on a.csv"),
            ], to: text)
        #expect(
            once == """
                model:
                  price_sensitivity: 1.234567    # calibrated ± 0.1 on a.csv | β — assumption: unit elasticity
                  network_effect: 0.5   # calibrated ± 0.2 on a.csv
                growth: {rate: 0.4, long_run: 0.125}   # calibrated ± 0.01 on a.csv; calibrated ± 0.02 on a.csv | IDC
                """)
        let twice = try ScenarioEditor.apply(
            [NumberEdit(location: at(2, 22, "1.234567"), value: 2, note: "calibrated ± 0.3 on b.csv")], to: once)
        #expect(
            twice.split(separator: "\n")[1]
                == "  price_sensitivity: 2           # calibrated ± 0.3 on b.csv | β — assumption: unit elasticity")
        #expect(throws: EditError.self) {
            try ScenarioEditor.apply([NumberEdit(location: at(3, 19, "0.9"), value: 1, note: "x")], to: text)
        }
    }
}
