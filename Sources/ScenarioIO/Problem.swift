/// Where a value came from: a place in a scenario file, or a `--set PATH=VALUE` override.
struct Loc: Sendable, Equatable {
    var file: String
    var line: Int
    var column: Int
    /// The override text (`--set PATH=VALUE`) when the value came from the command line.
    var override: String?

    static func file(_ file: String) -> Loc { Loc(file: file, line: 0, column: 0, override: nil) }
    static func setting(_ text: String) -> Loc { Loc(file: "", line: 0, column: 0, override: "--set " + text) }
}

/// One thing wrong with a scenario, with where it is and, when a near name exists, what was probably meant.
public struct Problem: Sendable, Equatable, CustomStringConvertible {
    /// The file the offending text is in; nil when it came from a `--set` override.
    public let file: String?
    public let line: Int?
    public let column: Int?
    /// The command-line override (`--set PATH=VALUE`) the offending value came from, if any.
    public let override: String?
    /// The parameter path (`groups.fr_providers.appeal.IaaS`); empty for problems that concern a whole file.
    public let path: String
    public let message: String
    /// A near name: shown as "did you mean 'x'?".
    public let suggestion: String?
    /// The text of the offending line, for the excerpt under the message.
    public let sourceLine: String?

    public init(
        file: String?, line: Int?, column: Int?, override: String? = nil, path: String, message: String,
        suggestion: String? = nil, sourceLine: String? = nil
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.override = override
        self.path = path
        self.message = message
        self.suggestion = suggestion
        self.sourceLine = sourceLine
    }

    /// `file:line:col`, `file`, or `--set PATH=VALUE`.
    public var location: String {
        if let override { return override }
        guard let file else { return "<scenario>" }
        guard let line, line > 0 else { return file }
        guard let column, column > 0 else { return "\(file):\(line)" }
        return "\(file):\(line):\(column)"
    }

    public var description: String {
        var out = "\(location): error: " + (path.isEmpty ? message : "\(path): \(message)")
        if let suggestion { out += "\n  did you mean '\(suggestion)'?" }
        if let sourceLine = sourceLine.map({ Self.shown($0, upTo: column ?? 1) }), let line {
            let number = String(line)
            let gutter = String(repeating: " ", count: max(5, number.count + 1))
            out += "\n" + String(repeating: " ", count: gutter.count - number.count) + number + " | " + sourceLine
            if let column, column > 0 {
                let lead = sourceLine.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
                out += "\n" + gutter + " | " + lead + "^"
            }
        }
        return out
    }

    /// The source line as echoed under a message: without its trailing comment (scenario comments
    /// carry long source notes) and cut to fit a terminal, keeping the column the caret points at.
    static func shown(_ line: String, upTo column: Int, width: Int = 100) -> String {
        var code = ""
        var quote: Character?
        var previous: Character = " "
        for ch in line {
            if let q = quote {
                if ch == q { quote = nil }
            } else if ch == "\"" || ch == "'" {
                quote = ch
            } else if ch == "#", previous == " " || previous == "\t" {
                break
            }
            code.append(ch)
            previous = ch
        }
        while code.last == " " || code.last == "\t" { code.removeLast() }
        guard code.count > width, column < width - 4 else { return code }
        return String(code.prefix(width - 1)) + "…"
    }
}

/// A scenario could not be loaded: every problem found, in file order.
public struct ScenarioError: Error, CustomStringConvertible, Sendable {
    public let problems: [Problem]
    /// How many problems `description` shows before "… and N more".
    public static let shown = 10

    public init(problems: [Problem]) {
        self.problems = problems
    }

    /// The one-screen message: up to ten problems, then how many more there are.
    public var description: String {
        var parts = problems.prefix(Self.shown).map(\.description)
        if problems.count > Self.shown {
            let more = problems.count - Self.shown
            parts.append("… and \(more) more problem\(more == 1 ? "" : "s")")
        }
        return parts.joined(separator: "\n")
    }
}

/// Collects problems; knows the text of every file so each problem can quote its line.
final class Diagnostics {
    private(set) var problems: [Problem] = []
    /// Each file's text, split into lines only when a problem quotes it: most loads report nothing, and a template
    /// instantiated for every run of a sweep must not pay for splitting its files each time.
    private var sources: [String: String] = [:]
    private var lines: [String: [Substring]] = [:]
    /// Files in the order they were read (for sorting problems by file).
    private(set) var fileOrder: [String] = []

    func addSource(_ text: String, file: String) {
        sources[file] = text
        lines[file] = nil
        if !fileOrder.contains(file) { fileOrder.append(file) }
    }

    private func lines(of file: String) -> [Substring]? {
        if let cached = lines[file] { return cached }
        guard let text = sources[file] else { return nil }
        let split = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in line.last == "\r" ? line.dropLast() : line }
        lines[file] = split
        return split
    }

    func report(_ loc: Loc, _ path: String, _ message: String, suggestion: String? = nil) {
        if let override = loc.override {
            problems.append(
                Problem(file: nil, line: nil, column: nil, override: override, path: path, message: message, suggestion: suggestion))
            return
        }
        var source: String?
        if loc.line > 0, let fileLines = lines(of: loc.file), loc.line <= fileLines.count {
            source = String(fileLines[loc.line - 1])
        }
        problems.append(
            Problem(
                file: loc.file, line: loc.line > 0 ? loc.line : nil, column: loc.column > 0 ? loc.column : nil, path: path,
                message: message, suggestion: suggestion, sourceLine: source))
    }

    /// The problems in file order: overrides first, then by file (child first), line and column.
    var sorted: [Problem] {
        func rank(_ p: Problem) -> (Int, Int, Int) {
            if p.override != nil { return (-1, 0, 0) }
            let file = p.file.flatMap { fileOrder.firstIndex(of: $0) } ?? fileOrder.count
            return (file, p.line ?? 0, p.column ?? 0)
        }
        return problems.enumerated().sorted { a, b in
            let ra = rank(a.element)
            let rb = rank(b.element)
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
    }
}

/// The near name to suggest for `word` among `candidates`: a case-insensitive match, or the closest within edit distance 2.
func nearest(_ word: String, in candidates: [String]) -> String? {
    guard !word.isEmpty else { return nil }
    if let same = candidates.first(where: { $0 != word && $0.lowercased() == word.lowercased() }) { return same }
    var best: (String, Int)?
    for candidate in candidates where candidate != word {
        let d = levenshtein(word, candidate)
        // Distance 2 between two-letter words says nothing; require some shared letters.
        guard d <= 2, d < max(word.count, candidate.count) else { continue }
        if best == nil || d < best!.1 { best = (candidate, d) }
    }
    return best?.0
}

func levenshtein(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// Shortest round-trip text of a number, without a trailing `.0` on whole numbers ("2020", "0.35").
public func formatNumber(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}
