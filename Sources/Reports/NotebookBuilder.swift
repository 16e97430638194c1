import Foundation

extension Notebook {
    /// The notebook that charts `source`: its manifest first, the shared Python, then the charts its kind calls for.
    /// `folderReference` is where the notebook reads the folder: relative to the notebook's own folder, or absolute.
    public init(charting source: NotebookSource, folderReference: String) {
        let charts: [Cell] =
            switch source.kind {
            case .run: NotebookRunCells.cells(targets: source.targets)
            case .sweep, .montecarlo, .sobol, .morris: NotebookExperimentCells.cells(source.kind)
            case .attribution: NotebookPolicyCells.attribution
            case .comparison: NotebookPolicyCells.comparison
            }
        self.init(cells: NotebookCells.header(source, folderReference: folderReference) + [NotebookCells.setup()] + charts)
    }

    /// The path from the folder holding `notebook` to `folder`, both taken against the working folder when relative:
    /// what a notebook reads wherever it is written, and goes on reading when both move together.
    public static func reference(to folder: String, from notebook: URL) -> String {
        let target = URL(fileURLWithPath: folder).standardizedFileURL.pathComponents
        let start = notebook.standardizedFileURL.deletingLastPathComponent().pathComponents
        let common = zip(target, start).prefix { $0 == $1 }.count
        let path = Array(repeating: "..", count: start.count - common) + target.dropFirst(common)
        return path.isEmpty ? "." : path.joined(separator: "/")
    }

    /// Writes the `.ipynb` file whole or not at all, creating its folder when missing; an existing folder of that name
    /// is refused rather than written into.
    public func write(to file: URL) throws(ReportError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ReportError(path: file.relativePath, reason: "it is a folder; --out takes the notebook's file name (FILE.ipynb) or -")
        }
        // A parent that cannot be created is reported by the write.
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try RunFolder.writeFile(try json(), to: file)
    }
}
