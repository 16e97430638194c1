import Foundation
import SystemShim

/// An output folder could not be written (exit status 74).
public struct ReportError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}

/// Writes a folder complete or not at all (DESIGN §3).
///
/// Files are written into a hidden temporary folder beside the target, which is swapped into place
/// only when every file is on disk: a failed or interrupted run leaves the previous folder as it was.
public enum RunFolder {
    /// Every name the tool writes into an output folder (hidden temporaries aside). A folder holding anything else is
    /// not ours to replace: `--out ~/Documents` must fail, not empty the folder.
    static let ownNames: Set<String> = [
        "timeseries.csv", "timeseries-wide.csv", "targets.csv", "summary.json", "manifest.json", "scenario.resolved.yaml",
        "datapackage.json",
        "comparison.csv", "attribution.csv", "subsets.csv", "goalseek.json", "trajectory.csv", "calibration.json", "residuals.csv",
        "scenario.calibrated.yaml", "runs.csv", "kpis.csv", "design.csv", "series.csv", "quantiles.csv", "sensitivity.csv", "chunks",
        "charts",
        // `cloudmarket notebook` writes this one into the folder it charts, and the README's nbconvert command its HTML
        // export. A re-run replaces the folder and both go with it, so a notebook in a folder never shows the manifest
        // of other data than the files beside it.
        "notebook.ipynb", "notebook.html",
    ]

    /// Refuses to replace `target` when it is a file, or a folder with something in it that the tool did not write.
    public static func checkReplaceable(_ target: URL) throws(ReportError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw ReportError(path: target.path, reason: "it is a file, not an output folder; choose another --out")
        }
        let foreign = ((try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? [])
            .filter { !$0.hasPrefix(".") && !ownNames.contains($0) }.sorted()
        guard foreign.isEmpty else {
            throw ReportError(
                path: target.path,
                reason: "it holds files cloudmarket did not write (\(foreign.prefix(3).joined(separator: ", "))"
                    + (foreign.count > 3 ? ", …" : "") + "), which replacing it would delete; choose another --out")
        }
    }

    public static func write(_ files: [(name: String, contents: String)], to target: URL) throws(ReportError) {
        try checkReplaceable(target)
        let manager = FileManager.default
        let parent = target.deletingLastPathComponent()
        let name = target.lastPathComponent
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = parent.appendingPathComponent(".\(name).partial-\(pid)")
        let previous = parent.appendingPathComponent(".\(name).previous-\(pid)")
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            recoverInterruptedWrites(of: name, in: parent)
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
            for file in files {
                let url = staging.appendingPathComponent(file.name)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url, options: .atomic)
            }
        } catch {
            try? manager.removeItem(at: staging)
            throw ReportError(path: target.path, reason: error.localizedDescription)
        }
        let hadPrevious = manager.fileExists(atPath: target.path)
        // One atomic exchange where the system has it: the target is the old folder, then the new one, never missing.
        if hadPrevious, cm_exchange_paths(staging.path, target.path) == 0 {
            try? manager.removeItem(at: staging)
            return
        }
        // Otherwise two renames: the old folder steps aside, the new one takes its name, then the old one goes. A writer
        // killed in between leaves the old folder parked aside, and the next write puts it back.
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

    /// Writes one file whole or not at all (Foundation's atomic write: a temporary file renamed over the target).
    public static func writeFile(_ contents: String, to target: URL) throws(ReportError) {
        do {
            try Data(contents.utf8).write(to: target, options: .atomic)
        } catch {
            throw ReportError(path: target.path, reason: error.localizedDescription)
        }
    }

    /// Cleans up after writers of the same folder that were killed: a half-built staging folder is
    /// removed; a previous folder parked aside when the target is missing (killed between the two
    /// renames) is put back. Folders of writers still running are left alone.
    static func recoverInterruptedWrites(of name: String, in parent: URL) {
        let manager = FileManager.default
        guard let entries = try? manager.contentsOfDirectory(atPath: parent.path) else { return }
        let target = parent.appendingPathComponent(name)
        for entry in entries {
            for (marker, isStaging) in [(".\(name).partial-", true), (".\(name).previous-", false)] where entry.hasPrefix(marker) {
                guard let pid = Int32(entry.dropFirst(marker.count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
                let debris = parent.appendingPathComponent(entry)
                if !isStaging, !manager.fileExists(atPath: target.path) {
                    _ = rename(debris.path, target.path)
                } else {
                    try? manager.removeItem(at: debris)
                }
            }
        }
    }
}
