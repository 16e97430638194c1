import CGSL
import GSLShim

/// The `gsl_odeiv2` steppers a scenario may name.
public enum ODEMethod: String, CaseIterable, Sendable {
    case rk4, rkf45, rkck, rk8pd, msadams, msbdf

    /// Whether the method carries a history of past steps from one step to the next.
    var isMultistep: Bool { self == .msadams || self == .msbdf }

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
        // The driver keeps its context alive throughout: no retain and release around each call.
        Unmanaged<ODEContext>.fromOpaque(params!)._withUnsafeGuaranteedRef { $0.evaluate(t, y!, dydt!) }
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
        try settle(status, target: target)
    }

    /// Integrates `y` from `t` toward `target` one step at a time, for a right-hand side that switches form at
    /// moments the caller finds. After each accepted step, `locateSwitch` returns the first moment inside it where
    /// the right-hand side should have switched, or nil. The step is then undone and the integration stops exactly
    /// there: the switch becomes the end of a step instead of a kink inside one, which the error control would
    /// otherwise meet with a run of rejected steps.
    ///
    /// Returns true when it stopped at a switch (`t` is then that moment, before `target`): the caller switches,
    /// calls `reset`, and advances again.
    public func advance(
        _ y: inout [Double], time t: inout Double, to target: Double, locatingSwitches locateSwitch: (ODEStep) throws -> Double?
    ) throws -> Bool {
        precondition(y.count == context.dimension, "state has \(y.count) values, system has \(context.dimension)")
        let (evolve, control, stepper, system) = (driver.pointee.e!, driver.pointee.c!, driver.pointee.s!, driver.pointee.sys!)
        let n = context.dimension
        var switchTime: Double?
        try y.withUnsafeMutableBufferPointer { state in
            while t < target {
                let start = t
                let status = gsl_odeiv2_evolve_apply(evolve, control, stepper, system, &t, target, &driver.pointee.h, state.baseAddress!)
                try settle(status, target: target)
                // The evolve object keeps the step's initial state and both ends' rates (every stepper here can use them).
                let step = ODEStep(
                    start: start, end: t, startState: UnsafeBufferPointer(start: evolve.pointee.y0, count: n),
                    endState: UnsafeBufferPointer(state), startRate: UnsafeBufferPointer(start: evolve.pointee.dydt_in, count: n),
                    endRate: UnsafeBufferPointer(start: evolve.pointee.dydt_out, count: n))
                guard let moment = try locateSwitch(step) else { continue }
                precondition(moment >= start && moment <= t, "a switch must lie inside the step it was found in")
                state.baseAddress!.update(from: evolve.pointee.y0, count: n)
                t = start
                switchTime = moment
                return
            }
        }
        guard let switchTime else { return false }
        // The next step would take the undone step's end rate for its start rate. A one-step method gets the start's
        // back, which saves evaluating it again; a multistep method, whose history the undone step entered, restarts.
        if method.isMultistep {
            try reset()
        } else {
            evolve.pointee.dydt_out.update(from: evolve.pointee.dydt_in, count: n)
        }
        if switchTime > t { try advance(&y, time: &t, to: switchTime) }
        return true
    }

    /// Rethrows the right-hand side's own error, else GSL's status.
    private func settle(_ status: Int32, target: Double) throws {
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

/// One accepted step: the state and its rate at both ends, which a cubic Hermite interpolant joins in between (its
/// error is of fourth order in the step, whatever the method's order).
public struct ODEStep {
    public let start: Double
    public let end: Double
    public let startState: UnsafeBufferPointer<Double>
    public let endState: UnsafeBufferPointer<Double>
    public let startRate: UnsafeBufferPointer<Double>
    public let endRate: UnsafeBufferPointer<Double>

    /// The cubic Hermite interpolant at `fraction` θ ∈ [0, 1] of the step, of a quantity with these values and
    /// rates at the step's ends.
    public func interpolate(from value0: Double, to value1: Double, rates rate0: Double, _ rate1: Double, at fraction: Double) -> Double {
        let (h, θ) = (end - start, fraction)
        let (θ2, θ3) = (θ * θ, θ * θ * θ)
        return (2 * θ3 - 3 * θ2 + 1) * value0 + (θ3 - 2 * θ2 + θ) * h * rate0 + (-2 * θ3 + 3 * θ2) * value1 + (θ3 - θ2) * h * rate1
    }
}
