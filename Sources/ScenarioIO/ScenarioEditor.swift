/// A number to rewrite in a scenario file, with the note that goes into its line's comment.
public struct NumberEdit: Sendable {
    public let location: ValueLocation
    public let value: Double
    public let note: String

    public init(location: ValueLocation, value: Double, note: String) {
        self.location = location
        self.value = value
        self.note = note
    }
}

/// Rewrites numbers in a scenario's text in place, so comments, order and layout survive (a calibrated scenario is the
/// analyst's file with new values, not a re-emitted one).
public enum ScenarioEditor {
    /// Separates a calibration note from the comment that was there before it; a later calibration replaces the note.
    static let noteSeparator = " | "

    /// `text` with each number replaced (shortest round-trip form) and its line's comment led by the notes of that line.
    public static func apply(_ edits: [NumberEdit], to text: String) throws(EditError) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array(String($0).unicodeScalars) }
        for (line, lineEdits) in Dictionary(grouping: edits, by: \.location.line) {
            guard line >= 1, line <= lines.count else { throw EditError(edit: lineEdits[0], reason: "the line is not in the file") }
            var scalars = lines[line - 1]
            let comment = commentStart(scalars)
            let originalCount = scalars.count
            for edit in lineEdits.sorted(by: { $0.location.column > $1.location.column }) {
                let start = edit.location.column - 1
                let written = Array(edit.location.text.unicodeScalars)
                guard start >= 0, start + written.count <= (comment ?? scalars.count),
                    Array(scalars[start..<(start + written.count)]) == written
                else {
                    throw EditError(edit: edit, reason: "the file no longer has '\(edit.location.text)' there")
                }
                scalars.replaceSubrange(start..<(start + written.count), with: formatNumber(edit.value).unicodeScalars)
            }
            if let comment { keepCommentColumn(&scalars, comment: comment, grownBy: scalars.count - originalCount) }
            // Tied paths on one line share one note.
            var notes: [String] = []
            for edit in lineEdits.sorted(by: { $0.location.column < $1.location.column }) where !notes.contains(edit.note) {
                notes.append(edit.note)
            }
            lines[line - 1] = Array(withNote(notes.joined(separator: "; "), String(String.UnicodeScalarView(scalars))).unicodeScalars)
        }
        return lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
    }

    /// Keeps a trailing comment in its column when the number before it changed length, as long as two blanks remain.
    private static func keepCommentColumn(_ scalars: inout [Unicode.Scalar], comment: Int, grownBy change: Int) {
        let hash = comment + change
        if change < 0 {
            scalars.insert(contentsOf: repeatElement(" ", count: -change), at: hash)
            return
        }
        var blanks = 0
        while blanks < hash, scalars[hash - 1 - blanks] == " " { blanks += 1 }
        let removable = min(change, max(0, blanks - 2))
        scalars.removeSubrange((hash - removable)..<hash)
    }

    /// The line with `note` leading its comment, replacing an earlier note.
    private static func withNote(_ note: String, _ line: String) -> String {
        let scalars = Array(line.unicodeScalars)
        guard let hash = commentStart(scalars) else { return line + "   # " + note }
        let code = String(String.UnicodeScalarView(scalars[..<hash]))
        var comment = String(String.UnicodeScalarView(scalars[(hash + 1)...])).trimmingPrefixSpaces()
        if comment.hasPrefix(notePrefix), let range = comment.range(of: noteSeparator) {
            comment = String(comment[range.upperBound...])
        } else if comment.hasPrefix(notePrefix) {
            comment = ""
        }
        return code + "# " + note + (comment.isEmpty ? "" : noteSeparator + comment)
    }

    /// Every calibration note starts with this word, which is how a later calibration recognises it.
    public static let notePrefix = "calibrated"

    /// Index of the `#` that starts the line's comment: at the line's start or after a blank, outside quotes.
    static func commentStart(_ scalars: [Unicode.Scalar]) -> Int? {
        var quote: Unicode.Scalar?
        for (i, c) in scalars.enumerated() {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#", i == 0 || scalars[i - 1] == " " || scalars[i - 1] == "\t" {
                return i
            }
        }
        return nil
    }
}

public struct EditError: Error, CustomStringConvertible, Sendable {
    public let edit: NumberEdit
    public let reason: String
    public var description: String {
        "\(edit.location.file):\(edit.location.line):\(edit.location.column): cannot rewrite the number: \(reason)"
    }
}

extension String {
    fileprivate func trimmingPrefixSpaces() -> String { String(drop { $0 == " " }) }
}
