import Yams

/// The scenario as a tree, every node keeping the file, line and column it came from
/// (so that after `extends` a node from the parent file still points at the parent file).
indirect enum YNode: Sendable {
    case scalar(YScalar)
    case map(YMap)
    case seq(YSeq)

    var loc: Loc {
        switch self {
        case .scalar(let s): s.loc
        case .map(let m): m.loc
        case .seq(let s): s.loc
        }
    }

    var isNull: Bool {
        if case .scalar(let s) = self { return s.isNull }
        return false
    }

    /// The text of a non-null scalar.
    var text: String? {
        if case .scalar(let s) = self, !s.isNull { return s.text }
        return nil
    }

    var mapValue: YMap? {
        if case .map(let m) = self { return m }
        return nil
    }

    var seqValue: YSeq? {
        if case .seq(let s) = self { return s }
        return nil
    }
}

struct YScalar: Sendable {
    var text: String
    /// Written without quotes (so it may be a number or null).
    var plain: Bool
    var loc: Loc

    var isNull: Bool { plain && ["", "~", "null", "Null", "NULL"].contains(text) }
}

struct YEntry: Sendable {
    var key: String
    var keyLoc: Loc
    var value: YNode
}

struct YMap: Sendable {
    var entries: [YEntry]
    var loc: Loc

    subscript(key: String) -> YEntry? { entries.first { $0.key == key } }
    var keys: [String] { entries.map(\.key) }

    mutating func set(_ key: String, _ value: YNode, keyLoc: Loc) {
        if let i = entries.firstIndex(where: { $0.key == key }) {
            entries[i].value = value
        } else {
            entries.append(YEntry(key: key, keyLoc: keyLoc, value: value))
        }
    }

    mutating func remove(_ key: String) {
        entries.removeAll { $0.key == key }
    }
}

struct YSeq: Sendable {
    var items: [YNode]
    var loc: Loc
}

/// A number as written in YAML (1.2 core schema): `12`, `-0.5`, `1.0e-9`, `.inf`, `-.inf`, `.nan`.
func parseNumber(_ text: String) -> Double? {
    var body = Substring(text)
    var sign = 1.0
    if let first = body.first, first == "+" || first == "-" {
        sign = first == "-" ? -1 : 1
        body = body.dropFirst()
    }
    switch body {
    case ".inf", ".Inf", ".INF": return sign * .infinity
    case ".nan", ".NaN", ".NAN": return text == body ? .nan : nil
    default: break
    }
    // digits [. digits] [e [+-] digits], at least one digit in the mantissa
    var sawDigit = false
    var sawDot = false
    var sawExp = false
    var previous: Character = " "
    for c in body {
        if c.isASCII, c.isNumber {
            sawDigit = true
        } else if c == ".", !sawDot, !sawExp {
            sawDot = true
        } else if c == "e" || c == "E", sawDigit, !sawExp {
            sawExp = true
        } else if c == "+" || c == "-", previous == "e" || previous == "E" {
        } else {
            return nil
        }
        previous = c
    }
    guard sawDigit, previous != "e", previous != "E", previous != "+", previous != "-" else { return nil }
    if sawExp, let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }), !body[..<e].contains(where: \.isNumber) {
        return nil
    }
    return Double(text)
}

enum Parse {
    /// Parses one YAML document. A syntax error or a duplicate key is reported and gives nil.
    static func document(_ text: String, file: String, diagnostics: Diagnostics) -> YNode? {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                diagnostics.report(
                    .file(file), "",
                    "the file is empty: expected a scenario (a mapping with name, horizon, segments, regions, groups, classes)")
                return nil
            }
            return convert(node, file: file, diagnostics: diagnostics)
        } catch let error as YamlError {
            report(error, text: text, file: file, diagnostics: diagnostics)
            return nil
        } catch {
            diagnostics.report(.file(file), "", "cannot parse YAML: \(error)")
            return nil
        }
    }

    /// The value of a `--set` override, parsed as YAML.
    static func value(_ text: String, loc: Loc, diagnostics: Diagnostics, path: String) -> YNode? {
        // A plain number, by far the most common value (every run of a sweep sets some), needs no YAML parser.
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if parseNumber(trimmed) != nil { return .scalar(YScalar(text: trimmed, plain: true, loc: loc)) }
        do {
            guard let node = try Yams.compose(yaml: text) else { return .scalar(YScalar(text: "", plain: true, loc: loc)) }
            return relocate(convert(node, file: "", diagnostics: diagnostics), to: loc)
        } catch {
            diagnostics.report(loc, path, "the value is not valid YAML")
            return nil
        }
    }

    private static func relocate(_ node: YNode, to loc: Loc) -> YNode {
        switch node {
        case .scalar(var s):
            s.loc = loc
            return .scalar(s)
        case .map(var m):
            m.loc = loc
            m.entries = m.entries.map { YEntry(key: $0.key, keyLoc: loc, value: relocate($0.value, to: loc)) }
            return .map(m)
        case .seq(var s):
            s.loc = loc
            s.items = s.items.map { relocate($0, to: loc) }
            return .seq(s)
        }
    }

    private static func loc(_ mark: Mark?, _ file: String) -> Loc {
        Loc(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, override: nil)
    }

    static func convert(_ node: Node, file: String, diagnostics: Diagnostics) -> YNode {
        switch node {
        case .scalar(let s):
            return .scalar(YScalar(text: s.string, plain: s.style == .plain || s.style == .any, loc: loc(s.mark, file)))
        case .mapping(let m):
            var entries: [YEntry] = []
            for (key, value) in m {
                guard case .scalar(let k) = key else {
                    diagnostics.report(loc(key.mark, file), "", "a mapping key must be a name, not a list or mapping")
                    continue
                }
                let keyLoc = loc(k.mark, file)
                if entries.contains(where: { $0.key == k.string }) {
                    diagnostics.report(keyLoc, k.string, "duplicate key '\(k.string)'")
                    continue
                }
                entries.append(YEntry(key: k.string, keyLoc: keyLoc, value: convert(value, file: file, diagnostics: diagnostics)))
            }
            return .map(YMap(entries: entries, loc: loc(m.mark, file)))
        case .sequence(let s):
            return .seq(YSeq(items: s.map { convert($0, file: file, diagnostics: diagnostics) }, loc: loc(s.mark, file)))
        case .alias:
            return .scalar(YScalar(text: "", plain: true, loc: loc(node.mark, file)))
        }
    }

    private static func report(_ error: YamlError, text: String, file: String, diagnostics: Diagnostics) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            diagnostics.report(Loc(file: file, line: mark.line, column: mark.column, override: nil), "", message)
        case .reader(let problem, _, _, _):
            diagnostics.report(.file(file), "", "cannot read the file as text: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            reportDuplicate(duplicates.first ?? "", first: context.mark, text: text, file: file, diagnostics: diagnostics)
        default:
            diagnostics.report(.file(file), "", "invalid YAML: \(error)")
        }
    }

    /// Yams only says which key is duplicated and where it first appears. Find the second occurrence
    /// (the candidate that, renamed, lets the document parse with the same parent mapping) to report
    /// the error at its line and with its path.
    private static func reportDuplicate(_ key: String, first: Mark, text: String, file: String, diagnostics: Diagnostics) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let sentinel = "zq_duplicate_"
        var candidates: [(line: Int, column: Int)] = []
        for (i, line) in lines.enumerated() where i + 1 >= first.line {
            let scalars = Array(line.unicodeScalars)
            let keyScalars = Array(key.unicodeScalars)
            guard !keyScalars.isEmpty, scalars.count >= keyScalars.count else { continue }
            for start in 0...(scalars.count - keyScalars.count) {
                if i + 1 == first.line && start <= first.column - 1 { continue }
                guard Array(scalars[start..<(start + keyScalars.count)]) == keyScalars else { continue }
                let before = start > 0 ? scalars[start - 1] : " "
                guard " {,-\"'\t".unicodeScalars.contains(before) else { continue }
                var j = start + keyScalars.count
                if j < scalars.count, scalars[j] == "\"" || scalars[j] == "'" { j += 1 }
                while j < scalars.count, scalars[j] == " " { j += 1 }
                if j < scalars.count, scalars[j] == ":" { candidates.append((i + 1, start + 1)) }
            }
            if candidates.count >= 20 { break }
        }
        let quiet = Diagnostics()
        for candidate in candidates {
            var edited = lines
            var scalars = Array(edited[candidate.line - 1].unicodeScalars)
            scalars.insert(contentsOf: sentinel.unicodeScalars, at: candidate.column - 1)
            edited[candidate.line - 1] = String(String.UnicodeScalarView(scalars))
            guard let node = try? Yams.compose(yaml: edited.joined(separator: "\n")) else { continue }
            let tree = convert(node, file: file, diagnostics: quiet)
            guard let renamed = keyPath(in: tree, where: { $0 == sentinel + key }),
                let original = keyPath(in: tree, where: { $0 == key }, at: (first.line, first.column)),
                renamed.dropLast() == original.dropLast()
            else { continue }
            let path = (original.dropLast() + [key]).joined(separator: ".")
            diagnostics.report(
                Loc(file: file, line: candidate.line, column: candidate.column, override: nil), path,
                "duplicate key '\(key)' (first given at line \(first.line))")
            return
        }
        diagnostics.report(
            Loc(file: file, line: first.line, column: first.column, override: nil), key, "duplicate key '\(key)' in this mapping")
    }

    /// The path of the first key satisfying `match` (at the given line and column, if any).
    private static func keyPath(in node: YNode, where match: (String) -> Bool, at position: (Int, Int)? = nil) -> [String]? {
        switch node {
        case .scalar: return nil
        case .map(let m):
            for entry in m.entries {
                if match(entry.key), position == nil || (entry.keyLoc.line, entry.keyLoc.column) == position! { return [entry.key] }
                if let inner = keyPath(in: entry.value, where: match, at: position) { return [entry.key] + inner }
            }
            return nil
        case .seq(let s):
            for (i, item) in s.items.enumerated() {
                if let inner = keyPath(in: item, where: match, at: position) {
                    let name = item.mapValue?["id"]?.value.text ?? "[\(i)]"
                    return [name] + inner
                }
            }
            return nil
        }
    }
}
