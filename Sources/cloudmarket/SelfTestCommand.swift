import ArgumentParser
import Experiments
import Foundation
import ScenarioIO

struct SelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Check the model and the numerics against analytic and certified results, on this machine.",
        discussion: """
            Compound growth, the logit's relaxation to its closed form, Bass adoption, conservation on the built-in \
            baseline (shares sum to 1, revenues to the market), the Sobol indices of the Ishigami function, and NIST's \
            Misra1a least-squares fit. Prints each check with its largest error and tolerance; exit status 1 when any \
            fails. Run it on a new build, compiler or cluster node before trusting results from it.
            """)

    func run() throws {
        let baseline = try ScenarioTemplate(text: BuiltIn.baselineText, fileName: BuiltIn.baselineName).scenario(overrides: [])
        let checks = try SelfTest.run(baseline: baseline)
        let width = checks.map(\.name.count).max() ?? 0
        for check in checks {
            let name = check.name.padding(toLength: width + 2, withPad: " ", startingAt: 0)
            let numbers = String(format: "%-10.3g ≤ %-8.3g", check.error, check.tolerance)
            print("\(check.passed ? "pass" : "FAIL")  \(name)\(numbers)  \(check.against)")
        }
        let failed = checks.filter { !$0.passed }.count
        print(failed == 0 ? "all \(checks.count) checks passed" : "\(failed) of \(checks.count) checks failed")
        if failed > 0 { throw ExitCode(1) }
    }
}
