import Dispatch
import Foundation

/// `body(i)` for i in 0..<count on `jobs` threads, results in index order; the first error thrown stops the rest.
///
/// Each run builds its own simulation (and so its own GSL driver), which is what makes runs safe to spread over threads.
public func parallelMap<T: Sendable>(count: Int, jobs: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
    let results = ResultSlots<T>(count: count)
    let workers = max(1, min(jobs, count))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var i = worker
        while i < count, !results.failed {
            do {
                results.set(i, try body(i))
            } catch {
                results.fail(error)
            }
            i += workers
        }
    }
    if let error = results.error { throw error }
    return results.values()
}

/// Slots written at distinct indices from several threads, behind one lock (a run costs milliseconds; the lock, nanoseconds).
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private var slots: [T?]
    private(set) var error: (any Error)?
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    var failed: Bool { lock.withLock { error != nil } }

    func set(_ i: Int, _ value: T) { lock.withLock { slots[i] = value } }

    func fail(_ e: any Error) { lock.withLock { if error == nil { error = e } } }

    func values() -> [T] { lock.withLock { slots.map { $0! } } }
}

/// The cores this process may use.
public var availableCores: Int { ProcessInfo.processInfo.activeProcessorCount }
