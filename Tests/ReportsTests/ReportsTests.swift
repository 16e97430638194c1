import Foundation
import ScenarioIO
import Testing

@testable import Reports

@Suite struct SHA256Tests {
    /// FIPS 180-4 examples (NIST CSRC "SHA256.pdf"): one block, two blocks, empty input.
    @Test func nistVectors() {
        #expect(sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            sha256Hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(sha256Hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// One million 'a': many blocks, and a length that needs every byte of the length field.
    @Test func millionA() {
        #expect(
            sha256Hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

@Suite struct CSVTests {
    @Test func quotesOnlyWhenNeeded() {
        var table = CSVTable(header: ["a", "b"])
        table.append(["plain", "with, comma"])
        table.append(["say \"hi\"", "two\nlines"])
        #expect(table.text == "a,b\r\nplain,\"with, comma\"\r\n\"say \"\"hi\"\"\",\"two\nlines\"\r\n")
    }

    @Test func numbersRoundTripInShortestForm() {
        #expect(formatNumber(2020) == "2020")
        #expect(formatNumber(0.35) == "0.35")
        #expect(formatNumber(-3) == "-3")
        #expect(formatNumber(1e-5) == "1e-05")
        for x in [0.1 + 0.2, 1 / 3.0, 123456.789e10, .leastNonzeroMagnitude, 2021.375] {
            #expect(Double(formatNumber(x)) == x)
        }
    }
}

@Suite struct RunFolderTests {
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("runfolder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Outputs are replaced whole: a file of the old run that the new one does not write disappears.
    @Test func replacesThePreviousFolderWhole() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("Outputs/run")
        try RunFolder.write([("timeseries.csv", "1"), ("summary.json", "old")], to: target)
        try RunFolder.write([("timeseries.csv", "2")], to: target)
        #expect(try String(contentsOf: target.appendingPathComponent("timeseries.csv"), encoding: .utf8) == "2")
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("summary.json").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path) == ["run"])
    }

    @Test func failureLeavesThePreviousFolderAndNoDebris() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("run")
        try RunFolder.write([("timeseries.csv", "1")], to: target)
        // A file that cannot be created (its name is taken by a folder) makes the write fail half-way.
        #expect(throws: ReportError.self) { try RunFolder.write([("charts/a.svg", "2"), ("charts", "x")], to: target) }
        #expect(try String(contentsOf: target.appendingPathComponent("timeseries.csv"), encoding: .utf8) == "1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["run"])
    }

    /// A folder holding anything the tool does not write is not replaced: `--out ~/Documents` must not empty it.
    @Test func aForeignFolderIsRefusedUntouched() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: target.appendingPathComponent("notes.txt"))
        #expect(throws: ReportError.self) { try RunFolder.write([("timeseries.csv", "1")], to: target) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == ["notes.txt"])
        let file = root.appendingPathComponent("file")
        try Data("x".utf8).write(to: file)
        #expect(throws: ReportError.self) { try RunFolder.write([("timeseries.csv", "1")], to: file) }
    }

    /// The PID of a process that has exited, as a killed writer's would be.
    func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func debrisOfKilledWritersIsRecovered() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let manager = FileManager.default
        let dead = try deadPID()
        // A writer killed while staging, and one killed between its two renames (its target gone).
        try manager.createDirectory(at: root.appendingPathComponent(".a.partial-\(dead)"), withIntermediateDirectories: true)
        let parked = root.appendingPathComponent(".b.previous-\(dead)")
        try manager.createDirectory(at: parked, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: parked.appendingPathComponent("x.csv"))
        // A writer still running (our parent, say) keeps its staging folder.
        let live = root.appendingPathComponent(".a.partial-\(getppid())")
        try manager.createDirectory(at: live, withIntermediateDirectories: true)

        RunFolder.recoverInterruptedWrites(of: "b", in: root)
        #expect(try String(contentsOf: root.appendingPathComponent("b/x.csv"), encoding: .utf8) == "old")
        try RunFolder.write([("y.csv", "new")], to: root.appendingPathComponent("a"))
        #expect(try manager.contentsOfDirectory(atPath: root.path).sorted() == [".a.partial-\(getppid())", "a", "b"])
    }
}
