import CloudMarket
import Foundation
import GSL
import ScenarioIO

/// What a calibration fits: parameters, their starting values, the observations, and how values become a scenario.
public struct CalibrationProblem: Sendable {
    public let parameters: [FitParameter]
    /// Starting values, one per parameter, inside its bounds.
    public let initial: [Double]
    public let observations: [HistoryObservation]
    /// The scenario with these parameter values (a throw rejects the trial point).
    public let scenario: @Sendable ([Double]) throws -> Scenario

    public init(
        parameters: [FitParameter], initial: [Double], observations: [HistoryObservation],
        scenario: @escaping @Sendable ([Double]) throws -> Scenario
    ) {
        self.parameters = parameters
        self.initial = initial
        self.observations = observations
        self.scenario = scenario
    }
}

public struct FittedParameter: Sendable {
    public let parameter: FitParameter
    public let initial: Double
    public let value: Double
    /// From the Jacobian at the optimum, scaled by the residual variance; nil when there are no degrees of freedom.
    public let standardError: Double?
    public let onBound: Bool
}

public struct FittedObservation: Sendable {
    public let observation: HistoryObservation
    public let model: Double
    /// model − observed, in the variable's unit.
    public var residual: Double { model - observation.value }
    /// residual·√weight: what the fit minimised the squares of.
    public var weightedResidual: Double { residual * observation.weight.squareRoot() }
}

public struct CalibrationResult: Sendable {
    public let parameters: [FittedParameter]
    /// Correlation of the estimates (row-major p×p); nil when the covariance cannot be formed.
    public let correlation: [Double]?
    public let observations: [FittedObservation]
    public let sumOfSquares: Double
    public let degreesOfFreedom: Int
    public let iterations: Int
    public let simulations: Int
    public let converged: Bool
    public let convergence: String
    public let reciprocalCondition: Double
    /// Whether standard errors take the weights as absolute 1/σ² (true) or are rescaled by χ²/(n − p).
    public let absoluteWeights: Bool
    /// Plain-language warnings: not converged, ill-conditioned, on a bound, poorly determined.
    public let warnings: [String]
}

public enum CalibrationError: Error, CustomStringConvertible, Sendable {
    case startOutsideBounds(parameter: String, value: Double)
    case trialFailed(point: String, reason: String)
    case undefinedModelValue(line: Int, measure: String, time: Double)
    case solver(GSLError)

    public var description: String {
        switch self {
        case .startOutsideBounds(let name, let value):
            "\(name): the starting value \(value) is outside its bounds; change the scenario or the bounds"
        case .trialFailed(let point, let reason):
            "the model failed at the trial point \(point): \(reason)\n  (bound the parameters with --fit PATH=LO:HI to keep the search in the valid range)"
        case .undefinedModelValue(let line, let measure, let time):
            "data line \(line): the model has no value for \(measure) at \(time) (an empty market or an unused group)"
        case .solver(let error):
            "the least-squares solver failed: \(error)"
        }
    }
}

public enum Calibration {
    /// Fits the parameters by trust-region least squares on `(model − observed)·√weight`.
    /// With `absoluteWeights`, the weights are taken as 1/σ² of known σ and the covariance is (JᵀWJ)⁻¹ as it stands;
    /// otherwise it is rescaled by the residual variance χ²/(n − p), which needs only relative weights.
    public static func fit(_ problem: CalibrationProblem, maxIterations: Int = 100, absoluteWeights: Bool = false) throws
        -> CalibrationResult
    {
        var options = LeastSquaresOptions()
        // Finite differences far wider than GSL's √ε default: the residuals carry the ODE solver's tolerance
        // (~1e-8 relative), which a tiny step would turn into Jacobian noise.
        options.finiteDifferenceStep = 1e-5
        options.maxIterations = maxIterations
        let parameters = problem.parameters
        for (parameter, x0) in zip(parameters, problem.initial) where !parameter.contains(x0) {
            throw CalibrationError.startOutsideBounds(parameter: parameter.name, value: x0)
        }
        let observations = problem.observations
        let times = Array(Set(observations.map(\.time))).sorted()
        let timeIndex = observations.map { o in times.firstIndex(of: o.time)! }
        let roots = observations.map { $0.weight.squareRoot() }
        var simulations = 0
        let residuals: ResidualFunction = { u, f in
            let x = zip(parameters, u).map { $0.external($1) }
            simulations += 1
            let snapshots: [Snapshot]
            do {
                snapshots = try Simulation(scenario: problem.scenario(x)).snapshots(at: times)
            } catch {
                let point = zip(parameters, x).map { "\($0.name)=\(formatNumber($1))" }.joined(separator: ", ")
                throw CalibrationError.trialFailed(point: point, reason: "\(error)")
            }
            for (i, o) in observations.enumerated() {
                guard let model = o.measure.value(in: snapshots[timeIndex[i]]) else {
                    throw CalibrationError.undefinedModelValue(line: o.line, measure: o.measure.description, time: o.time)
                }
                f[i] = (model - o.value) * roots[i]
            }
        }
        let start = zip(parameters, problem.initial).map { $0.internal($1) }
        let solution: LeastSquaresSolution
        do {
            solution = try NonlinearLeastSquares.solve(residualCount: observations.count, initial: start, options: options, residuals)
        } catch let error as GSLError {
            throw CalibrationError.solver(error)
        }
        return result(problem, solution, simulations: simulations, absoluteWeights: absoluteWeights)
    }

    private static func result(_ problem: CalibrationProblem, _ solution: LeastSquaresSolution, simulations: Int, absoluteWeights: Bool)
        -> CalibrationResult
    {
        let parameters = problem.parameters
        let p = parameters.count
        let n = problem.observations.count
        let u = solution.parameters
        let x = zip(parameters, u).map { $0.external($1) }
        let dof = n - p
        // Parameters on a bound are held there; the others' covariance comes from their columns of J. The delta method
        // carries it from the solver's variables u to the parameters: ∂r/∂x = (∂r/∂u)/(dx/du), then Cov(x) = s²·(JₓᵀJₓ)⁻¹,
        // with s² = χ²/(n − p) (every fitted parameter counted, the conservative choice), or s² = 1 with absolute weights.
        let free = (0..<p).filter { !parameters[$0].isOnBound(x[$0]) }
        let d = zip(parameters, u).map { $0.derivative($1) }
        let variance = absoluteWeights ? 1 : dof > 0 ? solution.sumOfSquares / Double(dof) : .nan
        let freeJacobian = (0..<(n * free.count)).map { k in
            let (i, j) = (k / free.count, free[k % free.count])
            return solution.jacobian[i * p + j] / d[j]
        }
        let freeCovariance =
            free.isEmpty || n < free.count
            ? nil : try? NonlinearLeastSquares.unscaledCovariance(jacobian: freeJacobian, rows: n, columns: free.count)
        let covariance = freeCovariance.map { c in
            var full = [Double](repeating: 0, count: p * p)
            for (a, i) in free.enumerated() {
                for (b, j) in free.enumerated() { full[i * p + j] = c[a * free.count + b] * variance }
            }
            return full
        }
        let errors: [Double?] = (0..<p).map { j in
            covariance.flatMap { (absoluteWeights || dof > 0) && free.contains(j) ? $0[j * p + j].squareRoot() : nil }
        }
        // Correlations among the free parameters; 0 with a parameter held on its bound.
        let correlation = covariance.map { (c: [Double]) -> [Double] in
            (0..<(p * p)).map { (k: Int) -> Double in
                let (i, j) = (k / p, k % p)
                if i == j { return 1 }
                guard free.contains(i), free.contains(j) else { return 0 }
                return c[k] / (c[i * p + i] * c[j * p + j]).squareRoot()
            }
        }
        let fitted = (0..<p).map { j in
            FittedParameter(
                parameter: parameters[j], initial: problem.initial[j], value: x[j], standardError: errors[j],
                onBound: parameters[j].isOnBound(x[j]))
        }
        let observations = zip(problem.observations, solution.residuals).map { o, r in
            FittedObservation(observation: o, model: o.value + r / o.weight.squareRoot())
        }
        return CalibrationResult(
            parameters: fitted, correlation: correlation?.allSatisfy(\.isFinite) == true ? correlation : nil,
            observations: observations, sumOfSquares: solution.sumOfSquares, degreesOfFreedom: dof, iterations: solution.iterations,
            simulations: simulations, converged: solution.converged, convergence: solution.convergence,
            reciprocalCondition: solution.reciprocalCondition,
            absoluteWeights: absoluteWeights,
            warnings: warnings(fitted, correlation: correlation, solution: solution, dof: absoluteWeights ? max(dof, 1) : dof))
    }

    /// A correlation this close to ±1 means the data cannot tell the two parameters apart.
    static let illConditionedCorrelation = 0.99
    /// Below this reciprocal condition number of the Jacobian the standard errors are not to be trusted.
    static let illConditionedRcond = 1e-10

    private static func warnings(_ fitted: [FittedParameter], correlation: [Double]?, solution: LeastSquaresSolution, dof: Int)
        -> [String]
    {
        var out: [String] = []
        if !solution.converged {
            out.append("the fit did not converge (\(solution.convergence)): the values are the last iterate, not an optimum")
        }
        if dof <= 0 {
            out.append("as many parameters as observations or more: no standard errors (the fit passes through the data)")
        }
        let p = fitted.count
        if let correlation {
            for i in 0..<p {
                for j in (i + 1)..<p where abs(correlation[i * p + j]) >= illConditionedCorrelation {
                    out.append(
                        "ill-conditioned: \(fitted[i].parameter.name) and \(fitted[j].parameter.name) are correlated at "
                            + String(format: "%.4f", correlation[i * p + j]) + "; the data cannot separate them")
                }
            }
        } else if dof > 0 {
            out.append("ill-conditioned: the covariance matrix cannot be formed (a free parameter has no effect on the data)")
        }
        // Parameters on a bound give J zero columns; the condition number says something only without them.
        if solution.reciprocalCondition < illConditionedRcond, fitted.allSatisfy({ !$0.onBound }) {
            out.append("ill-conditioned: the Jacobian's reciprocal condition number is \(solution.reciprocalCondition)")
        }
        for f in fitted {
            if f.onBound {
                out.append(
                    "\(f.parameter.name) sits on a bound (\(formatNumber(f.value))): the data push it there; it has no standard error "
                        + "and the others' are computed with it held fixed")
            } else if let se = f.standardError, se > abs(f.value), f.value != 0 {
                out.append("\(f.parameter.name) is poorly determined: its standard error exceeds its value")
            }
        }
        return out
    }
}
