import Foundation

/// One fitted value: a parameter path, or several tied paths that share it, with optional bounds.
///
/// Written on the command line as `PATH[,PATH...][=LO:HI]`; either bound may be left out (`=0:`, `=:1`).
public struct FitParameter: Sendable, Equatable {
    public let paths: [String]
    public let lower: Double?
    public let upper: Double?

    public init(paths: [String], lower: Double? = nil, upper: Double? = nil) {
        self.paths = paths
        self.lower = lower
        self.upper = upper
    }

    /// Parses `PATH[,PATH...][=LO:HI]`, or says what was expected.
    public init(parsing text: String) throws(FitSyntaxError) {
        let (pathsText, boundsText) =
            text.firstIndex(of: "=").map { (String(text[..<$0]), String(text[text.index(after: $0)...]) as String?) } ?? (text, nil)
        let paths = pathsText.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard !paths.contains(where: \.isEmpty) else {
            throw FitSyntaxError(text: text, reason: "expected PATH[,PATH...][=LO:HI] with dotted parameter paths")
        }
        guard Set(paths).count == paths.count else { throw FitSyntaxError(text: text, reason: "a path is tied to itself") }
        var lower: Double?
        var upper: Double?
        if let boundsText {
            let parts = boundsText.split(separator: ":", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard parts.count == 2 else {
                throw FitSyntaxError(text: text, reason: "expected bounds LO:HI after '=' (either may be empty)")
            }
            func bound(_ s: String) throws(FitSyntaxError) -> Double? {
                guard !s.isEmpty else { return nil }
                guard let x = Double(s), x.isFinite else { throw FitSyntaxError(text: text, reason: "'\(s)' is not a finite number") }
                return x
            }
            lower = try bound(parts[0])
            upper = try bound(parts[1])
            if let lower, let upper, lower >= upper {
                throw FitSyntaxError(text: text, reason: "the lower bound must be below the upper bound")
            }
        }
        self.init(paths: paths, lower: lower, upper: upper)
    }

    /// The paths as written on the command line, tied ones joined by commas.
    public var name: String { paths.joined(separator: ",") }

    /// Maps the solver's unconstrained variable `u` into the bounds (the MINUIT/lmfit transforms), so the trust-region
    /// method, which knows no bounds, can never step outside them.
    func external(_ u: Double) -> Double {
        switch (lower, upper) {
        case (let lo?, let hi?): lo + (hi - lo) * (sin(u) + 1) / 2
        case (let lo?, nil): lo - 1 + (u * u + 1).squareRoot()
        case (nil, let hi?): hi + 1 - (u * u + 1).squareRoot()
        case (nil, nil): u
        }
    }

    /// The inverse of `external`, for the starting value (which must lie within the bounds).
    func `internal`(_ x: Double) -> Double {
        switch (lower, upper) {
        case (let lo?, let hi?): asin(max(-1, min(1, 2 * (x - lo) / (hi - lo) - 1)))
        case (let lo?, nil): ((x - lo + 1) * (x - lo + 1) - 1).squareRoot()
        case (nil, let hi?): ((hi - x + 1) * (hi - x + 1) - 1).squareRoot()
        case (nil, nil): x
        }
    }

    /// dx/du, to carry the solver's covariance over to the parameter (the delta method).
    func derivative(_ u: Double) -> Double {
        switch (lower, upper) {
        case (let lo?, let hi?): (hi - lo) * cos(u) / 2
        case (.some, nil): u / (u * u + 1).squareRoot()
        case (nil, .some): -u / (u * u + 1).squareRoot()
        case (nil, nil): 1
        }
    }

    func contains(_ x: Double) -> Bool { (lower.map { x >= $0 } ?? true) && (upper.map { x <= $0 } ?? true) }

    /// Whether `x` sits on a bound (within a millionth of the range, or of the bound's size when one-sided).
    func isOnBound(_ x: Double) -> Bool {
        let scale = lower.flatMap { lo in upper.map { $0 - lo } }
        func near(_ b: Double?) -> Bool {
            guard let b else { return false }
            return abs(x - b) <= 1e-6 * (scale ?? max(1, abs(b)))
        }
        return near(lower) || near(upper)
    }
}

public struct FitSyntaxError: Error, CustomStringConvertible, Sendable {
    public let text: String
    public let reason: String
    public var description: String { "--fit \(text): \(reason)" }
}
