import Foundation
import GSL
import Testing

/// A NIST StRD nonlinear regression problem: data, both starting points and the certified results.
struct NISTProblem: Sendable, CustomTestStringConvertible {
    let name: String
    let x: [Double]
    let y: [Double]
    let starts: [[Double]]
    let certifiedParameters: [Double]
    let certifiedStandardDeviations: [Double]
    let certifiedResidualSumOfSquares: Double
    let model: @Sendable (_ b: UnsafeBufferPointer<Double>, _ x: Double) -> Double

    var testDescription: String { name }

    /// Residuals model − y, as NIST fits them.
    func residuals(_ b: UnsafeBufferPointer<Double>, _ f: UnsafeMutableBufferPointer<Double>) {
        for i in x.indices { f[i] = model(b, x[i]) - y[i] }
    }

    // https://www.itl.nist.gov/div898/strd/nls/data/LINKS/DATA/rat42.dat
    // (Rat42, Ratkowsky 1983: pasture yield vs growing time; 9 observations, higher level of difficulty)
    static let rat42 = NISTProblem(
        name: "Rat42",
        x: [9, 14, 21, 28, 42, 57, 63, 70, 79],
        y: [8.930, 10.800, 18.590, 22.330, 39.350, 56.110, 61.730, 64.620, 67.080],
        starts: [[100, 1, 0.1], [75, 2.5, 0.07]],
        certifiedParameters: [7.2462237576E+01, 2.6180768402E+00, 6.7359200066E-02],
        certifiedStandardDeviations: [1.7340283401E+00, 8.8295217536E-02, 3.4465663377E-03],
        certifiedResidualSumOfSquares: 8.0565229338E+00,
        model: { b, x in b[0] / (1 + exp(b[1] - b[2] * x)) })

    // https://www.itl.nist.gov/div898/strd/nls/data/LINKS/DATA/misra1a.dat
    // (Misra1a, NIST 1978: dental research monomolecular adsorption; 14 observations, lower level of difficulty)
    static let misra1a = NISTProblem(
        name: "Misra1a",
        x: [77.6, 114.9, 141.1, 190.8, 239.9, 289.0, 332.8, 378.4, 434.8, 477.3, 536.8, 593.1, 689.1, 760.0],
        y: [10.07, 14.73, 17.94, 23.93, 29.61, 35.18, 40.02, 44.82, 50.76, 55.05, 61.01, 66.40, 75.47, 81.78],
        starts: [[500, 0.0001], [250, 0.0005]],
        certifiedParameters: [2.3894212918E+02, 5.5015643181E-04],
        certifiedStandardDeviations: [2.7070075241E+00, 7.2668688436E-06],
        certifiedResidualSumOfSquares: 1.2455138894E-01,
        model: { b, x in b[0] * (1 - exp(-b[1] * x)) })
}

private func relativeError(_ value: Double, _ reference: Double) -> Double { abs(value - reference) / abs(reference) }

@Suite struct NonlinearLeastSquaresTests {
    static let tight = LeastSquaresOptions(stepTolerance: 1e-12, gradientTolerance: 1e-12)

    /// Certified parameters (1e-6), standard deviations (1e-4) and RSS (1e-6), from NIST's Start 1 and Start 2.
    @Test(arguments: [NISTProblem.rat42, NISTProblem.misra1a], [0, 1])
    func matchesNISTCertifiedValues(problem: NISTProblem, start: Int) throws {
        var calls = 0
        let initial = problem.starts[start]
        let solution = try NonlinearLeastSquares.solve(residualCount: problem.x.count, initial: initial, options: Self.tight) { b, f in
            calls += 1
            problem.residuals(b, f)
        }
        let n = Double(problem.x.count)
        let p = problem.certifiedParameters.count
        #expect(solution.converged, "\(solution.convergence)")
        #expect(relativeError(solution.sumOfSquares, problem.certifiedResidualSumOfSquares) < 1e-6, "RSS \(solution.sumOfSquares)")
        let covariance = try #require(solution.unscaledCovariance)
        for j in 0..<p {
            #expect(relativeError(solution.parameters[j], problem.certifiedParameters[j]) < 1e-6, "b\(j + 1) = \(solution.parameters[j])")
            let standardDeviation = (covariance[j * p + j] * solution.sumOfSquares / (n - Double(p))).squareRoot()
            #expect(
                relativeError(standardDeviation, problem.certifiedStandardDeviations[j]) < 1e-4, "SE(b\(j + 1)) = \(standardDeviation)")
        }
        #expect(solution.residualEvaluations == calls)
        #expect(solution.reciprocalCondition > 0 && solution.reciprocalCondition <= 1)
    }

    /// J comes back n×p row-major and matches the analytic ∂f/∂b of Misra1a at the solution.
    @Test func jacobianIsRowMajorAndAccurate() throws {
        let problem = NISTProblem.misra1a
        let solution = try NonlinearLeastSquares.solve(residualCount: problem.x.count, initial: problem.starts[1], options: Self.tight) {
            problem.residuals($0, $1)
        }
        let (b1, b2) = (solution.parameters[0], solution.parameters[1])
        for (i, x) in problem.x.enumerated() {
            #expect(relativeError(solution.jacobian[2 * i], 1 - exp(-b2 * x)) < 1e-7, "∂f\(i)/∂b1")
            #expect(relativeError(solution.jacobian[2 * i + 1], b1 * x * exp(-b2 * x)) < 1e-7, "∂f\(i)/∂b2")
        }
    }

    struct Boom: Error {}

    /// Thrown on the first call (initial f), the second (inside the initial finite-difference J) and the 20th (mid-iteration,
    /// where GSL's driver would carry on): the original error comes back and f is never called again.
    @Test(arguments: [1, 2, 20])
    func callbackErrorIsRethrown(failingCall: Int) {
        let problem = NISTProblem.rat42
        var calls = 0
        #expect(throws: Boom.self) {
            try NonlinearLeastSquares.solve(residualCount: problem.x.count, initial: problem.starts[0]) { b, f in
                calls += 1
                if calls == failingCall { throw Boom() }
                problem.residuals(b, f)
            }
        }
        #expect(calls == failingCall)
    }

    /// Fewer residuals than parameters, or no parameters, is GSL_EINVAL before f is ever called.
    @Test(arguments: [(2, [1.0, 2, 3]), (3, [Double]())])
    func badShapeIsThrown(residualCount: Int, initial: [Double]) {
        var calls = 0
        do {
            _ = try NonlinearLeastSquares.solve(residualCount: residualCount, initial: initial) { _, f in
                calls += 1
                for i in f.indices { f[i] = 0 }
            }
            Issue.record("n = \(residualCount), p = \(initial.count) was accepted")
        } catch let error as GSLError {
            #expect(error.status == 4, "\(error)")  // GSL_EINVAL
            #expect(error.description.contains("invalid argument supplied by user"), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(calls == 0)
    }

    /// Settings GSL would misread (one iteration for 0, a skipped xtol test for a negative one) are GSL_EINVAL.
    @Test(arguments: [
        LeastSquaresOptions(maxIterations: 0), LeastSquaresOptions(stepTolerance: -1), LeastSquaresOptions(gradientTolerance: .nan),
        LeastSquaresOptions(finiteDifferenceStep: 0),
    ])
    func badOptionsAreThrown(options: LeastSquaresOptions) {
        #expect(throws: GSLError.self) {
            try NonlinearLeastSquares.solve(residualCount: 2, initial: [1], options: options) { x, f in
                f[0] = x[0]
                f[1] = 1
            }
        }
    }

    /// A parameter f does not depend on gives an exactly singular J: no covariance, rcond 0, the other parameter still fitted.
    @Test func unidentifiableParameterHasNoCovariance() throws {
        let solution = try NonlinearLeastSquares.solve(residualCount: 3, initial: [0.5, 2]) { x, f in
            f[0] = x[0] - 1
            f[1] = 2 * x[0] - 3
            f[2] = x[0]
        }
        #expect(solution.unscaledCovariance == nil)
        #expect(solution.reciprocalCondition == 0)
        #expect(abs(solution.parameters[0] - 7.0 / 6.0) < 1e-9)  // least squares of x = 1, 2x = 3, x = 0
        #expect(solution.parameters[1] == 2)
    }

    /// GSL finds no step that lowers a zero cost, so an exact start ends "no progress" after one iteration, unconverged.
    @Test func exactStartReportsNoProgress() throws {
        let solution = try NonlinearLeastSquares.solve(residualCount: 3, initial: [1, 2]) { x, f in
            f[0] = x[0] - 1
            f[1] = x[1] - 2
            f[2] = x[0] + x[1] - 3
        }
        #expect(!solution.converged)
        #expect(solution.convergence == "no progress")
        #expect(solution.iterations == 1)
        #expect(solution.parameters == [1, 2])
        #expect(solution.sumOfSquares == 0)
    }

    /// One iteration cannot reach Rat42's optimum from Start 1: reported, not thrown.
    @Test func iterationLimitIsReportedNotThrown() throws {
        let problem = NISTProblem.rat42
        var options = LeastSquaresOptions()
        options.maxIterations = 1
        let solution = try NonlinearLeastSquares.solve(residualCount: problem.x.count, initial: problem.starts[0], options: options) {
            problem.residuals($0, $1)
        }
        #expect(!solution.converged)
        #expect(solution.convergence == "iteration limit")
        #expect(solution.iterations == 1)
        #expect(solution.sumOfSquares > problem.certifiedResidualSumOfSquares * 1.01)
    }
}
