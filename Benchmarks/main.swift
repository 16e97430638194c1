// In-process speed of one baseline run (DESIGN §6: ≤ 1 ms for 2 regions × 3 segments × 4 classes × 5 groups, 15 years).
// Run with `make bench` (release build); prints the machine's figures, never asserts them.
import CloudMarket
import Foundation
import ScenarioIO

let path = CommandLine.arguments.dropFirst().first ?? "Scenarios/baseline.yaml"
let scenario: Scenario
do {
    scenario = try ScenarioLoader.load(file: path).scenario
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(65)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let repetitions = Int(ProcessInfo.processInfo.environment["BENCH_RUNS"] ?? "") ?? 300
var evaluations = 0
var times: [Double] = []
for _ in 0..<repetitions {
    times.append(
        try seconds {
            evaluations = try Simulation(scenario: scenario).run().rightHandSideEvaluations
        })
}
times.sort()
let layout =
    "\(scenario.regions.count) regions × \(scenario.segments.count) segments × \(scenario.classes.count) classes × \(scenario.groups.count) groups"
print("scenario        \(scenario.name) (\(layout), \(scenario.horizon.start)–\(scenario.horizon.end), \(scenario.solver.method.rawValue))")
print("runs            \(repetitions) in-process (compile + integrate + report)")
print(
    String(
        format: "time per run    min %.3f ms, median %.3f ms, p90 %.3f ms", times[0] * 1e3, times[repetitions / 2] * 1e3,
        times[repetitions * 9 / 10] * 1e3))
print("RHS evaluations \(evaluations) per run")
print(String(format: "per evaluation  %.2f µs (median run / evaluations)", times[repetitions / 2] / Double(evaluations) * 1e6))
