import Foundation
import Support
import TestSupport
import Testing

/// Issue #10.10: without --force, the check that the output does not exist and the write are one
/// step. The other process is simulated inside `produce`, i.e. after the early check and before
/// the output is put in place — the window a check-then-rename leaves open.
@Suite("AtomicOutput: no-overwrite race")
struct AtomicOutputRaceTests {
    @Test("an output created by someone else during the write is kept, and the write fails with 73")
    func outputCreatedDuringTheWriteIsKept() throws {
        let dir = TestPaths.temporaryFolder("race")
        let out = dir.appendingPathComponent("out.txt").path
        let theirs = Data("written by someone else".utf8)
        do {
            try AtomicOutput.write(to: out, force: false) { tmp in
                let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                _ = "ours".withCString { write(fd, $0, 4) }
                close(fd)
                _ = FileManager.default.createFile(atPath: out, contents: theirs)
            }
            Issue.record("the write succeeded over a file created meanwhile")
        } catch let e as BieuMauError {
            #expect(e.status == .cannotCreate)
            #expect(e.message.vi.contains("đã có"))
        }
        #expect(FileManager.default.contents(atPath: out) == theirs)
        // No temporary is left beside it.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(left == ["out.txt"])
    }

    @Test("with force the output made meanwhile is replaced (the user asked for it)")
    func forceReplaces() throws {
        let dir = TestPaths.temporaryFolder("race")
        let out = dir.appendingPathComponent("out.txt").path
        try AtomicOutput.write(to: out, force: true) { tmp in
            let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            _ = "ours".withCString { write(fd, $0, 4) }
            close(fd)
            _ = FileManager.default.createFile(atPath: out, contents: Data("theirs".utf8))
        }
        #expect(FileManager.default.contents(atPath: out) == Data("ours".utf8))
    }

    @Test("an error while writing names the output, never the hidden temporary")
    func errorsNameTheOutput() throws {
        let dir = TestPaths.temporaryFolder("race")
        let out = dir.appendingPathComponent("out.xlsx").path
        do {
            try AtomicOutput.write(to: out, force: false) { tmp in
                throw BieuMauError(.cannotCreate, vi: "Không ghi được tệp \(tmp) (File too large).",
                                   en: "Cannot write \(tmp) (File too large).", at: SourceLocation(file: tmp))
            }
        } catch let e as BieuMauError {
            #expect(e.message.vi == "Không ghi được tệp \(out) (File too large).")
            #expect(e.location?.file == out)
            #expect(!e.text(.vi).contains("/proc/self/fd"))
            #expect(!e.text(.vi).contains(".tmp-"))
        }
    }
}
