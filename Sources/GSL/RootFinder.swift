import CGSL
import GSLShim

/// Stopping rules for `RootFinder.brent`.
public struct RootOptions: Sendable {
    /// Bounds the work; reaching it without convergence throws a `GSLError` with status GSL_EMAXITER.
    public var maxIterations: Int
    /// Stop once the bracket [a, b] satisfies |b − a| < absoluteTolerance + relativeTolerance · min(|a|, |b|)
    /// (`gsl_root_test_interval`; min(|a|, |b|) is 0 while the bracket straddles x = 0).
    public var absoluteTolerance: Double
    public var relativeTolerance: Double

    public init(maxIterations: Int = 100, absoluteTolerance: Double = 1e-10, relativeTolerance: Double = 1e-10) {
        self.maxIterations = maxIterations
        self.absoluteTolerance = absoluteTolerance
        self.relativeTolerance = relativeTolerance
    }
}

/// A converged root and the bracket that holds it.
public struct Root: Sendable {
    /// GSL's best estimate, inside [lower, upper].
    public let x: Double
    public let lower: Double
    public let upper: Double
    /// f(x): the solver's root is a point it evaluated, so this is a value f already returned (no extra call).
    public let value: Double
    public let iterations: Int
    /// Every call of f; f is never called twice at the same x.
    public let evaluations: Int
}

/// Bracketing root finding on `gsl_root_fsolver`.
public enum RootFinder {
    /// Thrown when f has the same (non-zero) sign at both ends, so the interval does not bracket a root.
    public struct NotBracketed: Error, CustomStringConvertible, Sendable {
        public let lower: Double
        public let upper: Double
        public let valueAtLower: Double
        public let valueAtUpper: Double

        public var description: String {
            "[\(lower), \(upper)] does not bracket a root: f(\(lower)) = \(valueAtLower) and f(\(upper)) = \(valueAtUpper) have the same sign"
        }
    }

    /// Brent's method on [lower, upper]; f(lower) and f(upper) must have opposite signs (or one be 0, which is then
    /// returned at once with 0 iterations).
    ///
    /// Throws `NotBracketed`; a `GSLError` with status GSL_EBADFUNC when f returns a non-finite value, GSL_EMAXITER when
    /// `maxIterations` pass without convergence, GSL_EINVAL when lower > upper, GSL_EBADTOL for a negative tolerance;
    /// and any error f throws, as itself.
    public static func brent(
        in lower: Double, _ upper: Double, options: RootOptions = .init(), _ f: @escaping (Double) throws -> Double
    ) throws -> Root {
        ensureErrorHandler()
        let context = RootContext(function: f, lower: lower, upper: upper)
        let ends = (lower: try context.value(at: lower), upper: try context.value(at: upper))
        if ends.lower == 0 || ends.upper == 0 {
            let x = ends.lower == 0 ? lower : upper
            return Root(x: x, lower: lower, upper: upper, value: 0, iterations: 0, evaluations: context.evaluations)
        }
        guard (ends.lower < 0) != (ends.upper < 0) else {
            throw NotBracketed(lower: lower, upper: upper, valueAtLower: ends.lower, valueAtUpper: ends.upper)
        }

        guard let solver = gsl_root_fsolver_alloc(cm_root_brent()) else {
            throw allocationFailure("allocating the solver for \(context.operation)")
        }
        defer { gsl_root_fsolver_free(solver) }
        // The solver keeps this pointer, so the struct lives on the heap until the solver is freed.
        let function = UnsafeMutablePointer<gsl_function>.allocate(capacity: 1)
        function.initialize(to: gsl_function(function: rootCallback, params: Unmanaged.passUnretained(context).toOpaque()))
        defer { function.deallocate() }

        var status = gsl_root_fsolver_set(solver, function, lower, upper)
        if status == gslSuccess { status = gslContinue }
        var iterations = 0
        while status == gslContinue && iterations < options.maxIterations {
            iterations += 1
            status = gsl_root_fsolver_iterate(solver)
            if status == gslSuccess {
                status = gsl_root_test_interval(
                    gsl_root_fsolver_x_lower(solver), gsl_root_fsolver_x_upper(solver), options.absoluteTolerance,
                    options.relativeTolerance)
            }
        }
        if let failure = context.failure {
            discardLastError()  // GSL recorded the NaN it was handed; the Swift error says more
            throw failure
        }
        if status == gslContinue {
            let bracket = "[\(gsl_root_fsolver_x_lower(solver)), \(gsl_root_fsolver_x_upper(solver))]"
            throw GSLError(
                status: Int32(GSL_EMAXITER), reason: "bracket \(bracket) after \(iterations) iterations", operation: context.operation)
        }
        try check(status, context.operation)

        let x = gsl_root_fsolver_root(solver)
        return Root(
            x: x, lower: gsl_root_fsolver_x_lower(solver), upper: gsl_root_fsolver_x_upper(solver), value: try context.value(at: x),
            iterations: iterations, evaluations: context.evaluations)
    }
}

/// What the C callback reaches through GSL's `params` pointer.
private final class RootContext {
    let function: (Double) throws -> Double
    let lower: Double
    let upper: Double
    var evaluations = 0
    var failure: (any Error)?
    /// Every value f returned: GSL re-evaluates the bracket's ends, and `Root.value` is f at a point already tried. A list,
    /// not a dictionary: a search tries a handful of points, and hashing each cost more than the search itself.
    var known: [(x: Double, value: Double)] = []

    init(function: @escaping (Double) throws -> Double, lower: Double, upper: Double) {
        self.function = function
        (self.lower, self.upper) = (lower, upper)
    }

    /// What the search was, for an error message; written out only then (formatting the bounds costs more than a search).
    var operation: String { "finding a root in [\(lower), \(upper)] with Brent's method" }

    /// f(x), or NaN after f threw or returned a non-finite value (kept in `failure`): GSL then stops with GSL_EBADFUNC.
    func evaluate(_ x: Double) -> Double {
        if let tried = known.first(where: { $0.x == x }) { return tried.value }
        guard failure == nil else { return .nan }
        evaluations += 1
        do {
            let value = try function(x)
            guard value.isFinite else {
                failure = GSLError(status: gslBadFunction, reason: "f(\(x)) = \(value)", operation: operation)
                return .nan
            }
            known.append((x, value))
            return value
        } catch {
            // Swift errors cannot cross C frames: keep it here and hand GSL a value it rejects.
            failure = error
            return .nan
        }
    }

    /// f(x) from Swift: the stored failure is thrown at once.
    func value(at x: Double) throws -> Double {
        let value = evaluate(x)
        if let failure { throw failure }
        return value
    }
}

private let rootCallback: @convention(c) (Double, UnsafeMutableRawPointer?) -> Double = { x, params in
    Unmanaged<RootContext>.fromOpaque(params!).takeUnretainedValue().evaluate(x)
}

private let gslContinue = Int32(GSL_CONTINUE)
