import CloudMarket
import Experiments
import Foundation

/// Runs a shard's missing chunks on `jobs` threads, each chunk written as soon as it is done, with a progress bar on a
/// terminal.
public enum ExperimentRunner {
    /// Returns how many runs of this shard failed, over all its chunks (resumed ones included).
    ///
    /// Chunks go one after the other, their runs spread over the threads: every thread stays busy to the end of each
    /// chunk, where whole chunks per thread would leave one idle while another finishes its last. A finished chunk is
    /// written while the next one runs.
    public static func run(_ sweep: Sweep, in folder: ExperimentFolder, jobs: Int, quiet: Bool) throws -> Int {
        let pending = folder.myChunks.filter { !folder.isDone($0) }
        let total = pending.reduce(0) { $0 + folder.range(ofChunk: $1).count }
        let progress = Progress(total: total, enabled: !quiet && isatty(STDERR_FILENO) != 0)
        let writer = ChunkWriter(folder: folder)
        defer { writer.drain() }  // a chunk already run still reaches the disk when a later one throws
        let kpiFields = ExperimentFolder.kpiFields(sweep.kpis)
        for c in pending {
            let range = folder.range(ofChunk: c)
            let rows = try sweep.design.rows(range)
            let runs = try parallelMap(count: rows.count, jobs: jobs) { i in
                defer { progress.advance(by: 1) }
                return ExperimentFolder.rows(of: sweep.run(range.lowerBound + i, values: rows[i]), kpiFields: kpiFields)
            }
            try writer.write(chunk: c, rows: runs)
        }
        try writer.finish()
        progress.finish()
        return folder.failedRuns(chunks: folder.myChunks)
    }
}

/// Writes chunks on a thread of its own, one at a time, so that the threads running the next chunk do not wait for the
/// disk (each chunk's files are synced to it, which takes milliseconds).
private final class ChunkWriter: @unchecked Sendable {
    private let folder: ExperimentFolder
    private let queue = DispatchQueue(label: "cloudmarket.chunk-writer")
    private let inFlight = DispatchGroup()
    /// Set on `queue`, read after `inFlight.wait()`.
    private var failure: (any Error)?

    init(folder: ExperimentFolder) { self.folder = folder }

    /// Waits for the previous chunk's write and rethrows its error, then starts this one's: memory never holds more than
    /// the chunk being written and the one running.
    func write(chunk c: Int, rows: [ExperimentFolder.RunRows]) throws {
        try finish()
        inFlight.enter()
        queue.async { [self] in
            defer { inFlight.leave() }
            do { try folder.write(chunk: c, rows: rows) } catch { failure = error }
        }
    }

    /// Waits for the write in flight.
    func drain() { inFlight.wait() }

    /// Waits for the write in flight; rethrows its error.
    func finish() throws {
        drain()
        if let failure {
            self.failure = nil
            throw failure
        }
    }
}

/// `[######    ] 61%  1220/2000 runs  812 runs/s  ETA 1s` on stderr, redrawn at most ten times a second.
final class Progress: @unchecked Sendable {
    private let total: Int
    private let enabled: Bool
    private let start = Date()
    private var done = 0
    private var lastDrawn = Date.distantPast
    private let lock = NSLock()

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && total > 0
    }

    func advance(by n: Int) {
        guard enabled else { return }
        lock.withLock {
            done += n
            guard Date().timeIntervalSince(lastDrawn) > 0.1 || done == total else { return }
            lastDrawn = Date()
            draw()
        }
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    private func draw() {
        let fraction = Double(done) / Double(total)
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let bar = String(repeating: "#", count: Int(fraction * 30)).padding(toLength: 30, withPad: " ", startingAt: 0)
        let line = String(format: "\r[%@] %3.0f%%  %d/%d runs  %.0f runs/s  ETA %.0fs ", bar, 100 * fraction, done, total, rate, eta)
        FileHandle.standardError.write(Data(line.utf8))
    }
}
