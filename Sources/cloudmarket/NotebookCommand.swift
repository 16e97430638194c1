import ArgumentParser
import Foundation
import Reports

struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Write a Jupyter notebook that charts a run, experiment, attribution or comparison folder.",
        discussion: """
            The notebook (nbformat 4.5, Python 3 with pandas and matplotlib) opens with the folder's manifest, then \
            reads the folder's CSV files and draws the charts its kind calls for: a run's shares by origin and by group, \
            market size, flow against installed share and targets; a sweep's KPI distributions; Monte Carlo quantile \
            bands; Sobol indices with their intervals, or Morris μ* and σ; an attribution's Shapley waterfall; a \
            comparison's headline differences. It reads the folder by its path relative to the notebook's own folder, \
            so both can move together; written to standard output (--out -), it reads the folder by its absolute path.

            The default file, FOLDER/notebook.ipynb, and its HTML export notebook.html are the names in a folder that \
            a re-run of the command that wrote the folder replaces with it; a notebook under another name inside the \
            folder makes the folder foreign to the tool, which then refuses to replace it.
            """)

    @Argument(help: "The folder to chart.", completion: .directory)
    var folder: String

    @Option(
        name: .shortAndLong, help: "The notebook file, or - for standard output (default: FOLDER/notebook.ipynb).",
        completion: .file(extensions: ["ipynb"]))
    var out: String?

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        let source = try NotebookSource(path: folder)
        if out == "-" {
            let notebook = Notebook(charting: source, folderReference: URL(fileURLWithPath: folder).standardizedFileURL.path)
            print(try notebook.json(), terminator: "")
            return
        }
        let name = out ?? URL(fileURLWithPath: folder).appendingPathComponent("notebook.ipynb").relativePath
        let file = URL(fileURLWithPath: name)
        let notebook = Notebook(charting: source, folderReference: Notebook.reference(to: folder, from: file))
        try notebook.write(to: file)
        guard !quiet else { return }
        let charts = notebook.cells.filter { $0.tags.contains("chart") }.count
        FileHandle.standardError.write(
            Data(
                "wrote \(name): \(source.kind.rawValue) folder \(folder), \(notebook.cells.count) cells, \(charts) chart\(charts == 1 ? "" : "s")\n"
                    .utf8))
    }
}
