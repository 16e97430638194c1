import CGSL
import GSLShim

/// Stopping rules and finite-difference settings for `NonlinearLeastSquares.solve`.
public struct LeastSquaresOptions: Sendable {
    /// Bounds the work on a fit that does not settle; reaching it is reported (`converged == false`), not thrown.
    public var maxIterations: Int
    /// xtol: stop once no parameter moves by more than xtol·(xtol + |xᵢ|) in a step.
    public var stepTolerance: Double
    /// gtol: stop once the scaled gradient is below gtol·max(½‖f‖², 1), i.e. the cost surface is flat.
    public var gradientTolerance: Double
    /// ftol: handed to GSL, whose 2.7 convergence test does not use it yet.
    public var costTolerance: Double
    /// Relative step of GSL's finite-difference Jacobian (fdf.df = NULL; params.h_df): small enough for accuracy, large
    /// enough to stay above the noise in f.
    public var finiteDifferenceStep: Double
    /// Central differences cost twice the evaluations of forward ones but make J accurate to O(h²), which the
    /// covariance needs.
    public var centralDifferences: Bool

    public init(
        maxIterations: Int = 200, stepTolerance: Double = 1e-10, gradientTolerance: Double = 1e-10, costTolerance: Double = 0,
        finiteDifferenceStep: Double = 1e-6, centralDifferences: Bool = true
    ) {
        self.maxIterations = maxIterations
        self.stepTolerance = stepTolerance
        self.gradientTolerance = gradientTolerance
        self.costTolerance = costTolerance
        self.finiteDifferenceStep = finiteDifferenceStep
        self.centralDifferences = centralDifferences
    }
}

/// f(x): fills the n residuals from the p parameters. A thrown error stops the fit and is rethrown.
public typealias ResidualFunction = (_ x: UnsafeBufferPointer<Double>, _ f: UnsafeMutableBufferPointer<Double>) throws -> Void

/// Where a fit ended, with what a caller needs for standard errors: SEⱼ = √(covarianceⱼⱼ · RSS / (n − p)).
public struct LeastSquaresSolution: Sendable {
    public let parameters: [Double]
    /// f(parameters).
    public let residuals: [Double]
    /// n×p row-major: the finite-difference J that GSL's workspace holds at the end.
    public let jacobian: [Double]
    /// p×p row-major (JᵀJ)⁻¹; nil when J is rank-deficient, where GSL would silently zero the dropped columns.
    public let unscaledCovariance: [Double]?
    /// 1/cond(J) of the last Jacobian GSL factored (the one the final step started from); near 0 means ill-posed, 0 singular.
    public let reciprocalCondition: Double
    public let iterations: Int
    /// Every call of f, finite differences included: the cost of the fit.
    public let residualEvaluations: Int
    /// False when the iteration limit stopped the fit, or GSL found no step that lowers the cost (even from an exact
    /// fit); neither is thrown.
    public let converged: Bool
    /// Why GSL stopped: "small step (xtol)", "small gradient (gtol)", "iteration limit" or "no progress".
    public let convergence: String

    /// ‖f‖², the cost that was minimised (RSS).
    public var sumOfSquares: Double { residuals.reduce(0) { $0 + $1 * $1 } }
}

/// Trust-region (Levenberg–Marquardt) least squares on `gsl_multifit_nlinear` with a finite-difference Jacobian.
public enum NonlinearLeastSquares {
    /// Minimises ‖f(x)‖² over p = `initial.count` parameters from `initial`.
    public static func solve(
        residualCount n: Int, initial: [Double], options: LeastSquaresOptions = .init(), _ f: @escaping ResidualFunction
    ) throws -> LeastSquaresSolution {
        ensureErrorHandler()
        let p = initial.count
        let operation = "fitting \(p) parameters to \(n) residuals"
        guard p > 0, n >= p else { throw invalidArgument("need 0 < p ≤ n", operation) }
        // GSL would run one iteration for 0, trap on a negative size_t, and silently skip a negative xtol test.
        let o = options
        guard o.maxIterations > 0, o.finiteDifferenceStep > 0, o.stepTolerance >= 0, o.gradientTolerance >= 0 else {
            throw invalidArgument("maxIterations and finiteDifferenceStep must be positive, tolerances non-negative", operation)
        }

        var parameters = gsl_multifit_nlinear_default_parameters()  // trust region LM, scale "more", QR solver
        parameters.h_df = options.finiteDifferenceStep
        parameters.fdtype = options.centralDifferences ? GSL_MULTIFIT_NLINEAR_CTRDIFF : GSL_MULTIFIT_NLINEAR_FWDIFF
        let context = LeastSquaresContext(residualCount: n, parameterCount: p, residual: f)
        // The workspace keeps this pointer, so the struct lives on the heap until the workspace is freed.
        let fdf = UnsafeMutablePointer<gsl_multifit_nlinear_fdf>.allocate(capacity: 1)
        fdf.initialize(
            to: gsl_multifit_nlinear_fdf(
                f: residualCallback, df: nil, fvv: nil, n: n, p: p, params: Unmanaged.passUnretained(context).toOpaque(),
                nevalf: 0, nevaldf: 0, nevalfvv: 0))
        defer { fdf.deallocate() }
        guard let workspace = gsl_multifit_nlinear_alloc(cm_nlinear_trust(), &parameters, n, p) else {
            throw allocationFailure("allocating the workspace for \(operation)")
        }
        defer { gsl_multifit_nlinear_free(workspace) }
        guard let x = gsl_vector_alloc(p) else { throw allocationFailure("allocating the initial point for \(operation)") }
        defer { gsl_vector_free(x) }
        for (j, value) in initial.enumerated() { gsl_vector_set(x, j, value) }

        var info: Int32 = 0
        var status = gsl_multifit_nlinear_init(x, fdf, workspace)
        if status == gslSuccess {
            status = gsl_multifit_nlinear_driver(
                options.maxIterations, options.stepTolerance, options.gradientTolerance, options.costTolerance, nil, nil, &info,
                workspace)
        }
        if let failure = context.failure {
            discardLastError()  // the Swift error says more than GSL_EBADFUNC
            throw failure
        }
        let converged = status != Int32(GSL_EMAXITER)
        if converged { try check(status, operation) } else { discardLastError() }

        let position = gsl_multifit_nlinear_position(workspace)
        let residual = gsl_multifit_nlinear_residual(workspace)
        let jacobian = gsl_multifit_nlinear_jac(workspace)
        var reciprocalCondition = 0.0
        try check(gsl_multifit_nlinear_rcond(&reciprocalCondition, workspace), "estimating cond(J) after \(operation)")
        if reciprocalCondition.isNaN { reciprocalCondition = 0 }  // GSL's estimate for an exactly singular J
        let covariance = try inverseNormalMatrix(of: jacobian!, parameterCount: p)
        return LeastSquaresSolution(
            parameters: (0..<p).map { gsl_vector_get(position, $0) },
            residuals: (0..<n).map { gsl_vector_get(residual, $0) },
            jacobian: (0..<n * p).map { gsl_matrix_get(jacobian, $0 / p, $0 % p) },
            unscaledCovariance: covariance,
            reciprocalCondition: reciprocalCondition,
            iterations: gsl_multifit_nlinear_niter(workspace),
            residualEvaluations: context.evaluations,
            converged: converged,
            convergence: convergenceReason(status: status, info: info))
    }
}

/// What the C callback reaches through GSL's `params` pointer.
private final class LeastSquaresContext {
    let residual: ResidualFunction
    var evaluations = 0
    var failure: (any Error)?
    /// Contiguous copies: GSL hands the callback strided vectors (columns of J) during finite differences.
    var point: [Double]
    var values: [Double]

    init(residualCount n: Int, parameterCount p: Int, residual: @escaping ResidualFunction) {
        self.residual = residual
        point = Array(repeating: 0, count: p)
        values = Array(repeating: 0, count: n)
    }

    func evaluate(_ x: gsl_vector, _ f: gsl_vector) -> Int32 {
        // GSL's driver ignores a failed iteration and iterates on, so once f has thrown it is not called again.
        guard failure == nil else { return gslBadFunction }
        evaluations += 1
        for j in point.indices { point[j] = x.data[j * x.stride] }
        do {
            try point.withUnsafeBufferPointer { xs in try values.withUnsafeMutableBufferPointer { try residual(xs, $0) } }
        } catch {
            // Swift errors cannot cross C frames: keep it here and tell GSL the function failed.
            failure = error
            return gslBadFunction
        }
        for i in values.indices { f.data[i * f.stride] = values[i] }
        return gslSuccess
    }
}

private let residualCallback:
    @convention(c) (UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<gsl_vector>?) -> Int32 = {
        x, params, f in
        Unmanaged<LeastSquaresContext>.fromOpaque(params!).takeUnretainedValue().evaluate(x!.pointee, f!.pointee)
    }

/// (JᵀJ)⁻¹ by GSL's pivoted QR of J with no rank threshold (epsrel 0).
private func inverseNormalMatrix(of jacobian: UnsafePointer<gsl_matrix>, parameterCount p: Int) throws(GSLError) -> [Double]? {
    guard let covariance = gsl_matrix_alloc(p, p) else { throw allocationFailure("allocating a \(p)×\(p) covariance") }
    defer { gsl_matrix_free(covariance) }
    try check(gsl_multifit_nlinear_covar(jacobian, 0.0, covariance), "forming (JᵀJ)⁻¹")
    let values = (0..<p * p).map { gsl_matrix_get(covariance, $0 / p, $0 % p) }
    let formed = values.allSatisfy(\.isFinite) && (0..<p).allSatisfy { values[$0 * p + $0] > 0 }
    return formed ? values : nil
}

extension NonlinearLeastSquares {
    /// (JᵀJ)⁻¹ of an n×p row-major Jacobian (GSL's pivoted QR, no rank threshold); nil when J is rank-deficient.
    /// For standard errors of a subset of the parameters: those left after the ones on a bound are held fixed.
    public static func unscaledCovariance(jacobian: [Double], rows n: Int, columns p: Int) throws -> [Double]? {
        precondition(jacobian.count == n * p && n >= p && p > 0, "a Jacobian of \(n)×\(p) needs n ≥ p > 0 and n·p entries")
        ensureErrorHandler()
        guard let matrix = gsl_matrix_alloc(n, p) else { throw allocationFailure("allocating a \(n)×\(p) Jacobian") }
        defer { gsl_matrix_free(matrix) }
        for (k, value) in jacobian.enumerated() { gsl_matrix_set(matrix, k / p, k % p, value) }
        return try inverseNormalMatrix(of: matrix, parameterCount: p)
    }
}

/// GSL's `info` says which test stopped the driver; GSL_ETOLX/G mean that test hit machine precision first.
private func convergenceReason(status: Int32, info: Int32) -> String {
    if status == Int32(GSL_EMAXITER) { return info == Int32(GSL_ENOPROG) ? "no progress" : "iteration limit" }
    switch Int(info) {
    case 1, GSL_ETOLX: return "small step (xtol)"
    case 2, GSL_ETOLG: return "small gradient (gtol)"
    default: return "small change in f (ftol)"  // GSL 2.7 never stops on ftol
    }
}

private func invalidArgument(_ reason: String, _ operation: String) -> GSLError {
    GSLError(status: Int32(GSL_EINVAL), reason: reason, operation: operation)
}
