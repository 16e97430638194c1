import Foundation
import GSL
import ScenarioIO

/// A parameter an experiment varies, and how: a range, a list of values, or a probability distribution.
///
/// Written `PATH=LO:HI[:N]`, `PATH=v1,v2,...` (for `--vary`) or `PATH=normal(mu,sd)`, `lognormal(mu,sigma)`,
/// `uniform(lo,hi)`, `triangular(lo,mode,hi)`, `beta(a,b)` (for `--uncertain`; lognormal's parameters are those of ln X).
public struct Factor: Sendable, Equatable {
    public enum Values: Sendable, Equatable {
        /// `levels` is the grid's number of points (a grid needs it; other designs sample the interval).
        case interval(lower: Double, upper: Double, levels: Int?)
        case list([Double])
        case normal(mean: Double, sd: Double)
        case lognormal(mu: Double, sigma: Double)
        case uniform(lower: Double, upper: Double)
        case triangular(lower: Double, mode: Double, upper: Double)
        case beta(a: Double, b: Double)
    }

    public let path: String
    public let values: Values

    public init(path: String, values: Values) {
        self.path = path
        self.values = values
    }

    /// The value at a point `u` of (0, 1): a position in the interval or list, or a quantile of the distribution.
    public func value(at u: Double) -> Double {
        switch values {
        case .interval(let lo, let hi, _): lo + (hi - lo) * u
        case .list(let xs): xs[min(xs.count - 1, Int(u * Double(xs.count)))]
        case .normal(let mean, let sd): Quantile.gaussian(u, mean: mean, sd: sd)
        case .lognormal(let mu, let sigma): Quantile.lognormal(u, zeta: mu, sigma: sigma)
        case .uniform(let lo, let hi): Quantile.uniform(u, lower: lo, upper: hi)
        case .triangular(let lo, let mode, let hi):
            // The inverse CDF in closed form (GSL has no triangular distribution).
            u < (mode - lo) / (hi - lo)
                ? lo + ((hi - lo) * (mode - lo) * u).squareRoot() : hi - ((hi - lo) * (hi - mode) * (1 - u)).squareRoot()
        case .beta(let a, let b): Quantile.beta(u, a: a, b: b)
        }
    }

    /// The grid's levels: the list, or `levels` evenly spaced points of the interval; nil for a distribution.
    public var gridLevels: [Double]? {
        switch values {
        case .list(let xs): xs
        case .interval(let lo, let hi, let n?): (0..<n).map { n == 1 ? lo : lo + (hi - lo) * Double($0) / Double(n - 1) }
        default: nil
        }
    }

    /// Parses `PATH=SPEC`, or says what was expected.
    public init(parsing text: String) throws(FactorSyntaxError) {
        guard let eq = text.firstIndex(of: "="), !text[..<eq].trimmingCharacters(in: .whitespaces).isEmpty else {
            throw FactorSyntaxError(text: text, reason: "expected PATH=LO:HI[:N], PATH=v1,v2,... or PATH=DISTRIBUTION(...)")
        }
        let path = text[..<eq].trimmingCharacters(in: .whitespaces)
        let spec = text[text.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        let fail = { (reason: String) in FactorSyntaxError(text: text, reason: reason) }
        func numbers(_ s: Substring, separator: Character) throws(FactorSyntaxError) -> [Double] {
            var out: [Double] = []
            for part in s.split(separator: separator, omittingEmptySubsequences: false) {
                guard let x = Double(part.trimmingCharacters(in: .whitespaces)), x.isFinite else {
                    throw fail("'\(part)' is not a finite number")
                }
                out.append(x)
            }
            return out
        }
        if let open = spec.firstIndex(of: "("), spec.hasSuffix(")") {
            let name = spec[..<open]
            let args = try numbers(spec[spec.index(after: open)..<spec.index(before: spec.endIndex)], separator: ",")
            let expect = { (n: Int, form: String) throws(FactorSyntaxError) in
                guard args.count == n else { throw fail("\(name) takes \(n) numbers: \(form)") }
            }
            switch name {
            case "normal":
                try expect(2, "normal(mean,sd)")
                guard args[1] > 0 else { throw fail("the standard deviation must be positive") }
                values = .normal(mean: args[0], sd: args[1])
            case "lognormal":
                try expect(2, "lognormal(mu,sigma) of ln X")
                guard args[1] > 0 else { throw fail("sigma must be positive") }
                values = .lognormal(mu: args[0], sigma: args[1])
            case "uniform":
                try expect(2, "uniform(lo,hi)")
                guard args[0] < args[1] else { throw fail("lo must be below hi") }
                values = .uniform(lower: args[0], upper: args[1])
            case "triangular":
                try expect(3, "triangular(lo,mode,hi)")
                guard args[0] <= args[1], args[1] <= args[2], args[0] < args[2] else { throw fail("expected lo ≤ mode ≤ hi, lo < hi") }
                values = .triangular(lower: args[0], mode: args[1], upper: args[2])
            case "beta":
                try expect(2, "beta(a,b)")
                guard args[0] > 0, args[1] > 0 else { throw fail("a and b must be positive") }
                values = .beta(a: args[0], b: args[1])
            default:
                throw fail("unknown distribution '\(name)': normal, lognormal, uniform, triangular or beta")
            }
        } else if spec.contains(":") {
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 || parts.count == 3 else { throw fail("expected LO:HI or LO:HI:N") }
            let bounds = try numbers(Substring(parts[0..<2].joined(separator: ",")), separator: ",")
            guard bounds[0] < bounds[1] else { throw fail("LO must be below HI") }
            var levels: Int?
            if parts.count == 3 {
                guard let n = Int(parts[2]), n >= 2 else { throw fail("N, the number of grid points, must be an integer ≥ 2") }
                levels = n
            }
            values = .interval(lower: bounds[0], upper: bounds[1], levels: levels)
        } else {
            let xs = try numbers(Substring(spec), separator: ",")
            guard !xs.isEmpty else { throw fail("expected at least one value") }
            values = .list(xs)
        }
        self.path = path
    }
}

public struct FactorSyntaxError: Error, CustomStringConvertible, Sendable {
    public let text: String
    public let reason: String
    public var description: String { "\(text): \(reason)" }
}
