import Foundation

/// A Jupyter notebook in nbformat 4.5, the version that gives every cell an id (nbformat's `nbformat.v4.5.schema.json`).
///
/// Only what a generated, unexecuted notebook holds: markdown and code cells without outputs, and a Python 3 kernel.
public struct Notebook: Encodable, Sendable {
    public struct Cell: Encodable, Sendable {
        public enum Kind: String, Sendable {
            case markdown, code
        }

        /// Unique in the notebook; readable (`shares-by-origin`) so that diffs and tests can name cells.
        public let id: String
        public let kind: Kind
        public let source: String
        /// Cell tags (`chart` marks a cell that draws a figure).
        public let tags: [String]

        public static func markdown(_ id: String, _ source: String) -> Cell { Cell(id: id, kind: .markdown, source: source, tags: []) }

        public static func code(_ id: String, _ source: String, tags: [String] = []) -> Cell {
            Cell(id: id, kind: .code, source: source, tags: tags)
        }

        enum CodingKeys: String, CodingKey {
            case id, metadata, source, outputs
            case kind = "cell_type"
            case executionCount = "execution_count"
        }

        struct Metadata: Encodable {
            let tags: [String]?
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(kind.rawValue, forKey: .kind)
            try container.encode(Metadata(tags: tags.isEmpty ? nil : tags), forKey: .metadata)
            try container.encode(Self.lines(source), forKey: .source)
            if kind == .code {
                // The schema requires both keys on a code cell, `execution_count` as an explicit null.
                try container.encodeNil(forKey: .executionCount)
                try container.encode([String](), forKey: .outputs)
            }
        }

        /// Jupyter's own layout of a multi-line string: one string per line, each but the last ending in a newline.
        static func lines(_ text: String) -> [String] {
            let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            return parts.enumerated().map { $0.offset < parts.count - 1 ? $0.element + "\n" : $0.element }.filter { !$0.isEmpty }
        }
    }

    public let cells: [Cell]

    public init(cells: [Cell]) {
        self.cells = cells
    }

    struct KernelSpec: Encodable {
        let name = "python3"
        let displayName = "Python 3 (ipykernel)"
        let language = "python"

        enum CodingKeys: String, CodingKey {
            case name, language
            case displayName = "display_name"
        }
    }

    struct LanguageInfo: Encodable {
        let name = "python"
    }

    struct Metadata: Encodable {
        let kernelspec = KernelSpec()
        let languageInfo = LanguageInfo()

        enum CodingKeys: String, CodingKey {
            case kernelspec
            case languageInfo = "language_info"
        }
    }

    enum CodingKeys: String, CodingKey {
        case cells, metadata
        case major = "nbformat"
        case minor = "nbformat_minor"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cells, forKey: .cells)
        try container.encode(Metadata(), forKey: .metadata)
        try container.encode(4, forKey: .major)
        try container.encode(5, forKey: .minor)
    }

    /// The `.ipynb` text: JSON with sorted keys, indented like Jupyter's own files, with a final newline.
    public func json() throws(ReportError) -> String {
        try encodeJSON(self, for: "notebook")
    }
}
