import Dispatch
import Foundation

/// `body(i)` for i in 0..<count on `jobs` threads, results in index order; the first error thrown stops the rest.
///
/// Each run builds its own simulation (and so its own GSL driver), which is what makes runs safe to spread over threads.
/// Threads take the next index as they become free, so a thread slowed by other work on its core holds back no one.
public func parallelMap<T: Sendable>(count: Int, jobs: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
    let results = ResultSlots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, count))) { _ in
        while let i = results.next() {
            do {
                results.set(i, try body(i))
            } catch {
                results.fail(error)
            }
        }
    }
    if let error = results.error { throw error }
    return results.values()
}

/// Slots written at distinct indices from several threads, and the next index to hand out, behind one lock (a run
/// costs milliseconds; the lock, nanoseconds).
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private var slots: [T?]
    private var handedOut = 0
    private(set) var error: (any Error)?
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// The next index nobody has taken, or nil when all are taken or one has failed.
    func next() -> Int? {
        lock.withLock {
            guard error == nil, handedOut < slots.count else { return nil }
            defer { handedOut += 1 }
            return handedOut
        }
    }

    func set(_ i: Int, _ value: T) { lock.withLock { slots[i] = value } }

    func fail(_ e: any Error) { lock.withLock { if error == nil { error = e } } }

    func values() -> [T] { lock.withLock { slots.map { $0! } } }
}

/// The cores this process may use.
public var availableCores: Int { ProcessInfo.processInfo.activeProcessorCount }
