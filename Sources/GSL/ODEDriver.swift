import CGSL
import GSLShim

/// The `gsl_odeiv2` steppers a scenario may name.
public enum ODEMethod: String, CaseIterable, Sendable {
    case rk4, rkf45, rkck, rk8pd, msadams, msbdf

    var stepType: UnsafePointer<gsl_odeiv2_step_type> {
        switch self {
        case .rk4: cm_step_rk4()
        case .rkf45: cm_step_rkf45()
        case .rkck: cm_step_rkck()
        case .rk8pd: cm_step_rk8pd()
        case .msadams: cm_step_msadams()
        case .msbdf: cm_step_msbdf()
        }
    }
}

/// `dy/dt = f(t, y)`: fills `dydt` from `t` and `y`. A thrown error stops the integration and is rethrown.
public typealias ODERightHandSide = (
    _ t: Double, _ y: UnsafeBufferPointer<Double>, _ dydt: UnsafeMutableBufferPointer<Double>
) throws -> Void

/// What the C callbacks reach through GSL's `params` pointer.
private final class ODEContext {
    let dimension: Int
    let rhs: ODERightHandSide
    var evaluations = 0
    var failure: (any Error)?
    /// Scratch for the finite-difference Jacobian.
    var shifted: [Double]
    var shiftedRate: [Double]

    init(dimension: Int, rhs: @escaping ODERightHandSide) {
        self.dimension = dimension
        self.rhs = rhs
        shifted = Array(repeating: 0, count: dimension)
        shiftedRate = Array(repeating: 0, count: dimension)
    }

    func evaluate(_ t: Double, _ y: UnsafePointer<Double>, _ dydt: UnsafeMutablePointer<Double>) -> Int32 {
        evaluations += 1
        do {
            try rhs(t, UnsafeBufferPointer(start: y, count: dimension), UnsafeMutableBufferPointer(start: dydt, count: dimension))
            return gslSuccess
        } catch {
            // Swift errors cannot cross C frames: keep it here and tell GSL the function failed.
            failure = error
            return gslBadFunction
        }
    }

    /// Forward differences: column j of ∂f/∂y from f(y + h·e_j), and ∂f/∂t from f(t + h).
    func jacobian(_ t: Double, _ y: UnsafePointer<Double>, _ dfdy: UnsafeMutablePointer<Double>, _ dfdt: UnsafeMutablePointer<Double>)
        -> Int32
    {
        let n = dimension
        var base = [Double](repeating: 0, count: n)
        let status = base.withUnsafeMutableBufferPointer { evaluate(t, y, $0.baseAddress!) }
        guard status == gslSuccess else { return status }
        for j in 0..<n {
            for i in 0..<n { shifted[i] = y[i] }
            let h = Double.ulpOfOne.squareRoot() * max(abs(y[j]), 1)
            shifted[j] += h
            let s = shifted.withUnsafeBufferPointer { shiftedPtr in
                shiftedRate.withUnsafeMutableBufferPointer { evaluate(t, shiftedPtr.baseAddress!, $0.baseAddress!) }
            }
            guard s == gslSuccess else { return s }
            for i in 0..<n { dfdy[i * n + j] = (shiftedRate[i] - base[i]) / h }
        }
        let ht = Double.ulpOfOne.squareRoot() * max(abs(t), 1)
        let s = shiftedRate.withUnsafeMutableBufferPointer { evaluate(t + ht, y, $0.baseAddress!) }
        guard s == gslSuccess else { return s }
        for i in 0..<n { dfdt[i] = (shiftedRate[i] - base[i]) / ht }
        return gslSuccess
    }
}

private let rhsCallback: @convention(c) (Double, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutableRawPointer?) -> Int32 =
    {
        t, y, dydt, params in
        Unmanaged<ODEContext>.fromOpaque(params!).takeUnretainedValue().evaluate(t, y!, dydt!)
    }

private let jacobianCallback:
    @convention(c) (Double, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutableRawPointer?)
        -> Int32 = {
            t, y, dfdy, dfdt, params in
            Unmanaged<ODEContext>.fromOpaque(params!).takeUnretainedValue().jacobian(t, y!, dfdy!, dfdt!)
        }

/// An adaptive `gsl_odeiv2_driver` over a Swift right-hand side.
///
/// Owns the driver and the system struct it points to (GSL keeps that pointer, so the struct lives on
/// the heap for the driver's lifetime). Not thread-safe: one driver per task.
public final class ODEDriver {
    public let method: ODEMethod
    private let context: ODEContext
    private let system: UnsafeMutablePointer<gsl_odeiv2_system>
    private let driver: UnsafeMutablePointer<gsl_odeiv2_driver>

    /// Right-hand-side evaluations so far (the Jacobian's count too, for `msbdf`).
    public var evaluations: Int { context.evaluations }

    public init(
        dimension: Int, method: ODEMethod, absoluteTolerance: Double, relativeTolerance: Double,
        initialStep: Double, rhs: @escaping ODERightHandSide
    ) throws(GSLError) {
        ensureErrorHandler()
        self.method = method
        context = ODEContext(dimension: dimension, rhs: rhs)
        system = .allocate(capacity: 1)
        system.initialize(
            to: gsl_odeiv2_system(
                function: rhsCallback, jacobian: jacobianCallback, dimension: dimension,
                params: Unmanaged.passUnretained(context).toOpaque()))
        guard
            let made = gsl_odeiv2_driver_alloc_y_new(
                system, method.stepType, initialStep, absoluteTolerance, relativeTolerance)
        else {
            system.deallocate()
            throw allocationFailure("allocating the \(method.rawValue) ODE driver")
        }
        driver = made
    }

    deinit {
        gsl_odeiv2_driver_free(driver)
        system.deinitialize(count: 1)
        system.deallocate()
    }

    /// Integrates `y` from `t` to `target`, leaving `t == target` on success.
    public func advance(_ y: inout [Double], time t: inout Double, to target: Double) throws {
        precondition(y.count == context.dimension, "state has \(y.count) values, system has \(context.dimension)")
        let status = y.withUnsafeMutableBufferPointer { gsl_odeiv2_driver_apply(driver, &t, target, $0.baseAddress!) }
        if let failure = context.failure {
            context.failure = nil
            discardLastError()  // GSL recorded the callback's GSL_EBADFUNC; the Swift error says more
            throw failure
        }
        try check(status, "integrating to t = \(target) with \(method.rawValue)")
    }

    /// Forgets step-size history, for a restart after a discontinuity in the right-hand side.
    public func reset() throws(GSLError) {
        try check(gsl_odeiv2_driver_reset(driver), "resetting the ODE driver")
    }
}
