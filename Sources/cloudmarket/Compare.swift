import ArgumentParser
import Foundation
import Reports

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two run folders: every value, the difference B − A and the ratio B / A.",
        discussion: """
            Writes comparison.csv (tidy: time,region,segment,group,variable,unit,a,b,difference,ratio), its \
            datapackage.json and a manifest.json naming both runs into the output folder, and prints the Europe-wide headline figures at the milestone years, then the largest moves in any share. \
            Runs whose regions, segments, groups or reporting times differ are refused.
            """)

    @Argument(help: "Run folder A (the reference).", completion: .directory)
    var runA: String

    @Argument(help: "Run folder B.", completion: .directory)
    var runB: String

    @Option(name: .shortAndLong, help: "Output folder (default: Outputs/<A's scenario>-vs-<B's scenario>).", completion: .directory)
    var out: String?

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        let started = Date()
        let comparison = try Comparison(RunSeries.read(folder: runA), RunSeries.read(folder: runB))
        let folderName = out ?? "Outputs/\(comparison.a.scenario)-vs-\(comparison.b.scenario)"
        let invocation = Invocation(sources: [], startedAt: started)
        try RunFolder.write(try comparison.files(invocation: invocation), to: URL(fileURLWithPath: folderName))
        guard !quiet else { return }
        FileHandle.standardError.write(Data("wrote \(folderName)/comparison.csv (\(comparison.rows.count) rows)\n\n".utf8))
        print(comparison.table(), terminator: "")
    }
}
