import ArgumentParser
import Foundation
import ScenarioIO

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of scenario files, for editors.",
        discussion: """
            Written from the definitions `cloudmarket validate` checks by, so an editor that knows it (VS Code's YAML             extension, any yaml-language-server client) completes keys and flags misspelt ones and out-of-range numbers as             you type. Point a scenario at it with a first line such as             `# yaml-language-server: $schema=scenario.schema.json`; the shipped copy is Scenarios/scenario.schema.json. A             file that `extends` another is checked as a partial scenario. What needs the resolved scenario (known ids,             shares summing to 1, reporting dates) is left to `cloudmarket validate`.
            """)

    @Option(help: ArgumentHelp("Write the schema to this file instead of stdout (replaced atomically).", valueName: "FILE"))
    var out: String = "-"

    func run() throws {
        let document = ScenarioJSONSchema.document()
        guard out != "-" else { return print(document, terminator: "") }
        do {
            try Data(document.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            CloudMarketTool.fail("error: cannot write the schema to \(out): \(error.localizedDescription)", status: 74)
        }
    }
}
