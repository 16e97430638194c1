import Foundation
import GSL
import Testing

@Suite struct RootFinderTests {
    private struct Boom: Error, Equatable {}

    @Test func findsSquareRootOfTwoAndDottieNumber() throws {
        let sqrt2 = try RootFinder.brent(in: 0, 2) { x in x * x - 2 }
        #expect(abs(sqrt2.x - 2.0.squareRoot()) < 1e-10)
        #expect(sqrt2.lower <= sqrt2.x && sqrt2.x <= sqrt2.upper && sqrt2.upper - sqrt2.lower < 1e-10)
        #expect(sqrt2.iterations > 0 && abs(sqrt2.value) < 1e-9)

        // The fixed point of cos: https://oeis.org/A003957
        let dottie = try RootFinder.brent(in: 0, 1) { x in cos(x) - x }
        #expect(abs(dottie.x - 0.7390851332151607) < 1e-10)
    }

    @Test func rootAtAnEndIsReturnedAtOnce() throws {
        let atUpper = try RootFinder.brent(in: 0, 2) { x in x - 2 }
        #expect(atUpper.x == 2 && atUpper.value == 0 && atUpper.iterations == 0 && atUpper.evaluations == 2)
        let atLower = try RootFinder.brent(in: -3, 5) { x in x * x - 9 }
        #expect(atLower.x == -3 && atLower.iterations == 0)
    }

    /// Wallis's x³ − 2x − 5, the example Newton's method was first shown on.
    @Test func solvesWallisCubic() throws {
        let root = try RootFinder.brent(in: 2, 3) { x in x * x * x - 2 * x - 5 }
        #expect(abs(root.x - 2.0945514815423265) < 1e-10)
    }

    @Test func notBracketingNamesBothValues() {
        #expect {
            _ = try RootFinder.brent(in: -1, 1) { x in x * x + 1 }
        } throws: { error in
            guard let error = error as? RootFinder.NotBracketed else { return false }
            let text = String(describing: error)
            return error.valueAtLower == 2 && error.valueAtUpper == 2 && text.contains("f(-1.0) = 2.0") && text.contains("f(1.0) = 2.0")
        }
    }

    /// f throws past x = 1.5 (inside the search) or at x = 0 (an end, before GSL starts).
    @Test func swiftErrorFromFIsRethrownAsItself() {
        let failing: (Double) throws -> Double = { x in
            if x > 1.5 || x == 0 { throw Boom() }
            return x - 1
        }
        #expect(throws: Boom.self) { _ = try RootFinder.brent(in: 0.5, 2, failing) }
        #expect(throws: Boom.self) { _ = try RootFinder.brent(in: 0, 1.2, failing) }
    }

    @Test func nonFiniteValueIsAnError() {
        #expect {
            _ = try RootFinder.brent(in: 0, 2) { x in x > 0.5 && x < 2 ? .nan : x - 1 }
        } throws: { error in
            (error as? GSLError).map { $0.status == 9 && $0.description.contains("nan") } ?? false  // GSL_EBADFUNC
        }
    }

    /// (x − ⅓)⁵ is flat around its root, so Brent falls back to bisection and needs many steps.
    @Test func iterationLimitThrows() throws {
        let flat: (Double) -> Double = { x in pow(x - 1.0 / 3, 5) }
        let converged = try RootFinder.brent(in: 0, 1, flat)
        #expect(converged.iterations > 50 && converged.lower <= 1.0 / 3 && 1.0 / 3 <= converged.upper)
        #expect {
            _ = try RootFinder.brent(in: 0, 1, options: RootOptions(maxIterations: 1), flat)
        } throws: { error in
            (error as? GSLError).map { $0.status == 11 && $0.description.contains("after 1 iterations") } ?? false  // GSL_EMAXITER
        }
    }

    @Test func evaluationsMatchCallsOfF() throws {
        var calls = 0
        let root = try RootFinder.brent(in: 2, 3) { x in
            calls += 1
            return x * x * x - 2 * x - 5
        }
        #expect(root.evaluations == calls)
        #expect(calls == root.iterations + 2)  // both ends, then one point per iteration; the final value is reused
    }
}
