import Foundation
import Testing
import TestSupport

private let binaryPresent = FileManager.default.isExecutableFile(atPath: Run.bieumauPath)

/// A deterministic CSV of `rows` × 10 (numbers, Vietnamese text), big enough that writing it as
/// .xlsx takes seconds.
private func makeBigCSV(_ url: URL, rows: Int) throws {
    var text = "id,don_vi,chi_tieu,ho_so,dung_han,ty_le,kinh_phi,nam,quy,ghi_chu\n"
    text.reserveCapacity(rows * 80)
    let names = ["Xã Bằng Vân", "Thị trấn Nà Phặc", "Xã Thượng Quan", "Xã Cốc Đán"]
    for i in 1..<rows {
        text += "\(i),\(names[i % 4]),CT\(i % 120),\(i % 5000),\(i % 4000),\(i % 100).\(i % 10),\(i * 7).5,2023,\(1 + i % 4),ghi chú \(i % 17)\n"
    }
    try Data(text.utf8).write(to: url)
}

/// Files left in `folder` by an interrupted write of `name`.
private func leftovers(_ folder: URL, _ name: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix(".\(name).tmp-") }
}

/// True while `pid` has a file open in `folder` that is a temporary output: an unnamed O_TMPFILE
/// (`folder/#123 (deleted)`) or a hidden `.NAME.tmp-…` file.
private func isWritingOutput(_ pid: Int32, in folder: String) -> Bool {
    let fdDir = "/proc/\(pid)/fd"
    guard let fds = try? FileManager.default.contentsOfDirectory(atPath: fdDir) else { return false }
    for fd in fds {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDir)/\(fd)") else { continue }
        if target.hasPrefix(folder + "/") && (target.contains("/#") || target.contains(".tmp-")) { return true }
    }
    return false
}

private struct Interrupted {
    /// The signal arrived while the output was being written.
    var caughtMidWrite: Bool
    var terminationReason: Process.TerminationReason
    var status: Int32
}

/// Starts bieumau, waits until it is writing its output in `folder` and has run at least
/// `minimumRun` seconds, then sends `sig` and waits for the process to end.
private func interruptMidWrite(_ args: [String], folder: URL, signal sig: Int32, minimumRun: TimeInterval) throws -> Interrupted {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Run.bieumauPath)
    p.arguments = args
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    let start = Date()
    try p.run()
    let pid = p.processIdentifier
    let resolved = folder.resolvingSymlinksInPath().path
    var caught = false
    while p.isRunning && Date().timeIntervalSince(start) < 120 {
        if Date().timeIntervalSince(start) >= minimumRun && isWritingOutput(pid, in: resolved) {
            kill(pid, sig)
            caught = true
            break
        }
        usleep(500)
    }
    p.waitUntilExit()
    return Interrupted(caughtMidWrite: caught, terminationReason: p.terminationReason, status: p.terminationStatus)
}

@Suite(.serialized) struct CrashSafetyTests {
    @Test(.enabled(if: binaryPresent, "needs the built bieumau binary"))
    func sigkillDuringDumpLeavesNothing() throws {
        let dir = TestPaths.temporaryFolder("crash-dump")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("big.csv")
        try makeBigCSV(input, rows: 200_000)
        let before = try Data(contentsOf: input)
        let out = dir.appendingPathComponent("OUT.xlsx")
        let r = try interruptMidWrite(["dump", input.path, "-o", out.path], folder: dir, signal: SIGKILL, minimumRun: 0.4)
        #expect(r.caughtMidWrite, "the process ended before it could be killed mid-write")
        #expect(r.terminationReason == .uncaughtSignal && r.status == SIGKILL)
        #expect(!FileManager.default.fileExists(atPath: out.path), "no partial output")
        #expect(leftovers(dir, "OUT.xlsx").isEmpty, "no temporary file left")
        #expect(try Data(contentsOf: input) == before, "the input is unchanged")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["big.csv"])
    }

    @Test(.enabled(if: binaryPresent, "needs the built bieumau binary"), arguments: [SIGINT, SIGTERM])
    func interruptDuringDumpRemovesTheTemporary(sig: Int32) throws {
        let dir = TestPaths.temporaryFolder("crash-int")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("big.csv")
        try makeBigCSV(input, rows: 200_000)
        let out = dir.appendingPathComponent("OUT.xlsx")
        let r = try interruptMidWrite(["dump", input.path, "-o", out.path], folder: dir, signal: sig, minimumRun: 0.3)
        #expect(r.caughtMidWrite)
        #expect(r.terminationReason == .uncaughtSignal && r.status == sig, "ends by the signal, as a shell expects")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(leftovers(dir, "OUT.xlsx").isEmpty)
    }

    @Test(.enabled(if: binaryPresent, "needs the built bieumau binary"))
    func convertKeepsThePreviousOutputWhenKilled() throws {
        let dir = TestPaths.temporaryFolder("crash-convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let seed = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path
        let out = dir.appendingPathComponent("phu-luc.xlsx")
        let first = try Run.bieumau(["convert", seed, "-o", out.path, "--unit", "UBND HUYỆN A", "--period", "Quý I/2023"])
        #expect(first.status == 0, "\(first.stderr)")
        let previous = try Data(contentsOf: out)
        let seedBytes = try Data(contentsOf: URL(fileURLWithPath: seed))

        // Without --force an existing output is refused and untouched.
        let refused = try Run.bieumau(["convert", seed, "-o", out.path, "--unit", "UBND HUYỆN B"])
        #expect(refused.status == 73)
        #expect(refused.stderr.contains("--force"))
        #expect(try Data(contentsOf: out) == previous)

        // With --force, killed while the new workbook is being written: the old one stays whole.
        var caught = 0
        for _ in 0..<40 where caught < 3 {
            let r = try interruptMidWrite(["convert", seed, "-o", out.path, "--force", "--unit", "UBND HUYỆN B",
                                           "--period", "Quý I/2023"], folder: dir, signal: SIGKILL, minimumRun: 0)
            if r.caughtMidWrite && r.terminationReason == .uncaughtSignal {
                caught += 1
                #expect(try Data(contentsOf: out) == previous, "the previous output is byte-identical")
                #expect(leftovers(dir, "phu-luc.xlsx").isEmpty)
            } else {
                // The run finished first and replaced the output with a complete new workbook: put the old one back.
                #expect(r.status == 0)
                try previous.write(to: out)
            }
        }
        #expect(caught > 0, "never caught convert mid-write in 40 tries")
        #expect(try Data(contentsOf: URL(fileURLWithPath: seed)) == seedBytes)
    }

    @Test(.enabled(if: binaryPresent, "needs the built bieumau binary"))
    func staleTemporariesOfDeadProcessesAreRemovedByTheNextRun() throws {
        let dir = TestPaths.temporaryFolder("crash-stale")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("small.csv")
        try Data("a,b,c\n1,2,3\n".utf8).write(to: input)
        // A pid that does not run (as a process killed long ago leaves it).
        var dead: Int32 = 4_194_000
        while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
        let stale = dir.appendingPathComponent(".OUT.xlsx.tmp-\(dead)-12345")
        try Data("half a workbook".utf8).write(to: stale)
        let r = try Run.bieumau(["dump", input.path, "-o", dir.appendingPathComponent("OUT.xlsx").path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("OUT.xlsx").path))
    }
}
