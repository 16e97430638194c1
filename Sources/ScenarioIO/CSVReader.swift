/// One record of a CSV file, with where each field starts (for messages that point at it).
public struct CSVRecord: Sendable {
    public var fields: [String] = []
    public var line = 0
    public var columns: [Int] = []
}

/// Reads RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF line ends; a leading
/// byte-order mark is skipped. Fails, with the line and column of the fault, when a quoted field is malformed.
///
/// Works on UTF-8 bytes (experiments read back files of millions of rows); columns count characters, as editors do.
public func readCSV(_ text: String) -> Result<[CSVRecord], CSVSyntaxError> {
    let quote = UInt8(ascii: "\"")
    let comma = UInt8(ascii: ",")
    let newline = UInt8(ascii: "\n")
    let carriage = UInt8(ascii: "\r")
    var bytes = Array(text.utf8)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    var records: [CSVRecord] = []
    var record = CSVRecord(line: 1)
    var field: [UInt8] = []
    var line = 1
    var column = 1
    var fieldColumn = 1
    var quoted = false
    var afterQuote = false
    func endField() {
        record.fields.append(String(decoding: field, as: UTF8.self))
        record.columns.append(fieldColumn)
        field.removeAll(keepingCapacity: true)
        afterQuote = false
    }
    func endRecord() {
        endField()
        if record.fields != [""] { records.append(record) }
    }
    var i = 0
    while i < bytes.count {
        let b = bytes[i]
        i += 1
        // A UTF-8 continuation byte belongs to the character before it.
        if b & 0xC0 != 0x80 { column += 1 }
        if quoted {
            if b == quote {
                if i < bytes.count, bytes[i] == quote {
                    field.append(quote)
                    i += 1
                    column += 1
                    continue
                }
                quoted = false
                afterQuote = true
            } else {
                field.append(b)
                if b == newline {
                    line += 1
                    column = 1
                }
            }
            continue
        }
        switch b {
        case comma:
            endField()
            fieldColumn = column
        case carriage where i < bytes.count && bytes[i] == newline:
            continue
        case newline, carriage:
            endRecord()
            line += 1
            column = 1
            fieldColumn = 1
            record = CSVRecord(line: line)
        case quote where field.isEmpty && !afterQuote:
            quoted = true
        default:
            if afterQuote {
                return .failure(
                    CSVSyntaxError(line: line, column: column - 1, message: "text after a closing quote; expected ',' or a line end"))
            }
            if b == quote {
                return .failure(
                    CSVSyntaxError(line: line, column: column - 1, message: "a quote inside an unquoted field; quote the whole field"))
            }
            field.append(b)
        }
    }
    if quoted {
        return .failure(CSVSyntaxError(line: record.line, column: fieldColumn, message: "a quoted field is never closed"))
    }
    endRecord()
    return .success(records)
}

public struct CSVSyntaxError: Error, Sendable {
    public let line: Int
    public let column: Int
    public let message: String
}
