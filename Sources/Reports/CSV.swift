import Foundation

/// RFC 4180 CSV: comma-separated, CRLF line ends, fields quoted only when they must be.
public struct CSVTable {
    public private(set) var text: String

    public init(header: [String]) {
        text = ""
        append(header)
    }

    /// Rows only, no header line (a chunk of a table whose header is written elsewhere).
    public init() { text = "" }

    public mutating func append(_ fields: [String]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { text.append(",") }
            text.append(Self.field(field))
        }
        text.append("\r\n")
    }

    /// `value` as a row holds it: quoted only when it must be.
    public static func field(_ value: String) -> String {
        // Comma, quote, CR or LF: the only bytes that force quoting.
        guard value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
