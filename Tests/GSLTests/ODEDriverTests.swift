import Foundation
import GSL
import Testing

@Suite struct ODEDriverTests {
    /// y' = −y from y(0) = 1: every method must give e^(−t).
    @Test(arguments: ODEMethod.allCases)
    func exponentialDecayMatchesClosedForm(method: ODEMethod) throws {
        let driver = try ODEDriver(dimension: 1, method: method, absoluteTolerance: 1e-12, relativeTolerance: 1e-12, initialStep: 1e-3) {
            _, y, dydt in dydt[0] = -y[0]
        }
        var y = [1.0]
        var t = 0.0
        for target in [0.5, 1.0, 2.0] {
            try driver.advance(&y, time: &t, to: target)
            #expect(t == target)
            #expect(abs(y[0] - exp(-target)) < 1e-8, "\(method) at \(target): \(y[0])")
        }
        #expect(driver.evaluations > 0)
    }

    /// A harmonic oscillator conserves x² + v²; msbdf needs the finite-difference Jacobian to get there.
    @Test func implicitMethodUsesJacobian() throws {
        let driver = try ODEDriver(dimension: 2, method: .msbdf, absoluteTolerance: 1e-10, relativeTolerance: 1e-10, initialStep: 1e-4) {
            _, y, dydt in
            dydt[0] = y[1]
            dydt[1] = -y[0]
        }
        var y = [1.0, 0.0]
        var t = 0.0
        try driver.advance(&y, time: &t, to: .pi)
        #expect(abs(y[0] + 1) < 1e-6)
        #expect(abs(y[1]) < 1e-6)
    }

    /// y' = min(y, 2) from y(0) = 1 is e^t until y reaches 2 at t = ln 2, then 2 + 2(t − ln 2): a kink. Each side
    /// integrated with its own branch, switching where y − 2 changes sign on the step's interpolant, finds ln 2 and
    /// ends on the closed form, with fewer evaluations than stepping across the kink takes. (The interpolant is cubic,
    /// so the switch is only as close as a long rk8pd step allows; the error that leaves is of second order in it.)
    @Test(arguments: [ODEMethod.rkf45, .rkck, .rk8pd])
    func switchIsLocatedAndStepsEndThere(method: ODEMethod) throws {
        var above = false
        let switching = try ODEDriver(
            dimension: 1, method: method, absoluteTolerance: 1e-10, relativeTolerance: 1e-10, initialStep: 1e-3
        ) { _, y, dydt in dydt[0] = above ? 2 : y[0] }
        var (y, t) = ([1.0], 0.0)
        var switches: [Double] = []
        while try switching.advance(
            &y, time: &t, to: 1,
            locatingSwitches: { step in
                let (start, end) = (step.startState[0] - 2, step.endState[0] - 2)
                guard (end >= 0) != above else { return nil }
                let root = try RootFinder.brent(in: 0, 1) {
                    step.interpolate(from: start, to: end, rates: step.startRate[0], step.endRate[0], at: $0)
                }
                return step.start + root.x * (step.end - step.start)
            })
        {
            switches.append(t)
            above.toggle()
            try switching.reset()
        }
        #expect(t == 1)
        #expect(switches.count == 1)
        #expect(abs(switches[0] - log(2)) < 1e-4, "switched at \(switches)")
        #expect(abs(y[0] - (2 + 2 * (1 - log(2)))) < 1e-8, "\(method): \(y[0])")

        let crossing = try ODEDriver(dimension: 1, method: method, absoluteTolerance: 1e-10, relativeTolerance: 1e-10, initialStep: 1e-3) {
            _, y, dydt in dydt[0] = min(y[0], 2)
        }
        (y, t) = ([1.0], 0.0)
        try crossing.advance(&y, time: &t, to: 1)
        #expect(switching.evaluations < crossing.evaluations, "\(method): \(switching.evaluations) vs \(crossing.evaluations)")
    }

    struct Boom: Error {}

    @Test func callbackErrorIsRethrown() throws {
        let driver = try ODEDriver(dimension: 1, method: .rkf45, absoluteTolerance: 1e-9, relativeTolerance: 1e-9, initialStep: 0.01) {
            t, _, dydt in
            if t > 0.5 { throw Boom() }
            dydt[0] = 1
        }
        var y = [0.0]
        var t = 0.0
        #expect(throws: Boom.self) { try driver.advance(&y, time: &t, to: 1) }
    }

    /// GSL reports a bad tolerance through its error handler: it must become a Swift error, not abort().
    @Test func gslErrorBecomesSwiftError() {
        do {
            _ = try ODEDriver(dimension: 1, method: .rkf45, absoluteTolerance: -1, relativeTolerance: 1e-9, initialStep: 0.01) { _, _, d in
                d[0] = 0
            }
            Issue.record("a negative tolerance was accepted")
        } catch {
            #expect(error.reason.contains("epsabs and epsrel must be positive"), "\(error)")
            #expect(error.description.contains("invalid argument supplied by user"))
        }
    }

    /// y' = y² from y(0) = 1 blows up at t = 1: the driver must fail with a GSL status, not crash.
    @Test func blowUpIsReportedAsError() throws {
        let driver = try ODEDriver(dimension: 1, method: .rkf45, absoluteTolerance: 1e-9, relativeTolerance: 1e-9, initialStep: 0.01) {
            _, y, dydt in dydt[0] = y[0] * y[0]
        }
        var y = [1.0]
        var t = 0.0
        #expect(throws: (any Error).self) { try driver.advance(&y, time: &t, to: 2) }
        #expect(t < 1.0 + 1e-6)
    }
}

@Suite struct RandomStreamTests {
    @Test func sameSeedSameNumbers() throws {
        let a = try RandomStream(seed: 42)
        let b = try RandomStream(seed: 42)
        let xs = (0..<5).map { _ in a.uniform() }
        #expect(xs == (0..<5).map { _ in b.uniform() })
        #expect(xs.allSatisfy { $0 >= 0 && $0 < 1 })
    }

    /// gsl_rng_mt19937 seeded with 4357 (GSL's default seed) starts with 4293858116 (GSL manual, "Random Number Generator Algorithms").
    @Test func mersenneTwisterMatchesReference() throws {
        let stream = try RandomStream(seed: 4357)
        #expect(stream.uniform() == 4293858116.0 / 4294967296.0)
    }

    @Test func gaussianMomentsAreClose() throws {
        let stream = try RandomStream(seed: 7)
        let n = 200_000
        let xs = (0..<n).map { _ in stream.gaussian(sd: 2) }
        let mean = xs.reduce(0, +) / Double(n)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 4) < 0.05)
    }
}
