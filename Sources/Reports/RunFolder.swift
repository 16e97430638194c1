import Foundation

/// An output folder could not be written (exit status 74).
public struct ReportError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}

/// Writes a folder complete or not at all (DESIGN §3).
///
/// Files are written into a hidden temporary folder beside the target, which is renamed into place
/// only when every file is on disk: a failed or interrupted run leaves the previous folder as it was.
public enum RunFolder {
    public static func write(_ files: [(name: String, contents: String)], to target: URL) throws(ReportError) {
        let manager = FileManager.default
        let parent = target.deletingLastPathComponent()
        let name = target.lastPathComponent
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = parent.appendingPathComponent(".\(name).partial-\(pid)")
        let previous = parent.appendingPathComponent(".\(name).previous-\(pid)")
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            try? manager.removeItem(at: staging)
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
            for file in files {
                try Data(file.contents.utf8).write(to: staging.appendingPathComponent(file.name), options: .atomic)
            }
        } catch {
            try? manager.removeItem(at: staging)
            throw ReportError(path: target.path, reason: error.localizedDescription)
        }
        // Swap: the old folder steps aside, the new one takes its name, then the old one goes.
        let hadPrevious = manager.fileExists(atPath: target.path)
        guard !hadPrevious || rename(target.path, previous.path) == 0 else {
            try? manager.removeItem(at: staging)
            throw ReportError(path: target.path, reason: String(cString: strerror(errno)))
        }
        guard rename(staging.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            if hadPrevious { _ = rename(previous.path, target.path) }
            try? manager.removeItem(at: staging)
            throw ReportError(path: target.path, reason: reason)
        }
        if hadPrevious { try? manager.removeItem(at: previous) }
    }
}
