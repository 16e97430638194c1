/// One record of a CSV file, with where each field starts (for messages that point at it).
public struct CSVRecord: Sendable {
    public var fields: [String] = []
    public var line = 0
    public var columns: [Int] = []
}

/// Reads RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF line ends.
/// Fails, with the line and column of the fault, when a quoted field is malformed.
public func readCSV(_ text: String) -> Result<[CSVRecord], CSVSyntaxError> {
    var records: [CSVRecord] = []
    var record = CSVRecord(line: 1)
    var field = ""
    var line = 1
    var column = 1
    var fieldColumn = 1
    var quoted = false
    var afterQuote = false
    var chars = Array(text)
    if chars.first == "\u{FEFF}" { chars.removeFirst() }
    func endField() {
        record.fields.append(field)
        record.columns.append(fieldColumn)
        field = ""
        afterQuote = false
    }
    var i = 0
    while i < chars.count {
        let c = chars[i]
        i += 1
        if quoted {
            if c == "\"" {
                if i < chars.count, chars[i] == "\"" {
                    field.append("\"")
                    i += 1
                    column += 2
                    continue
                }
                quoted = false
                afterQuote = true
            } else {
                field.append(c)
            }
            if c == "\n" || c == "\r\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            continue
        }
        switch c {
        case ",":
            endField()
            column += 1
            fieldColumn = column
        case "\n", "\r\n", "\r":
            endField()
            if record.fields != [""] { records.append(record) }
            line += 1
            column = 1
            fieldColumn = 1
            record = CSVRecord(line: line)
        case "\"" where field.isEmpty && !afterQuote:
            quoted = true
            column += 1
        default:
            if afterQuote {
                return .failure(
                    CSVSyntaxError(line: line, column: column, message: "text after a closing quote; expected ',' or a line end"))
            }
            if c == "\"" {
                return .failure(
                    CSVSyntaxError(line: line, column: column, message: "a quote inside an unquoted field; quote the whole field"))
            }
            field.append(c)
            column += 1
        }
    }
    if quoted {
        return .failure(CSVSyntaxError(line: record.line, column: fieldColumn, message: "a quoted field is never closed"))
    }
    endField()
    if record.fields != [""] { records.append(record) }
    return .success(records)
}

public struct CSVSyntaxError: Error, Sendable {
    public let line: Int
    public let column: Int
    public let message: String
}
