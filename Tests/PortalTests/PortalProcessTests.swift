import Foundation
import Testing
import TestSupport

/// The portal as a real process (`bieumau serve`): the browser story and kill -9. Each runs a script
/// beside this file (Browser/); the script prints one line per check and exits 1 on the first failure.
@Suite("Portal process", .serialized)
struct PortalProcessTests {
    static let scripts = TestPaths.packageRoot.appendingPathComponent("Tests/PortalTests/Browser")

    static func runScript(_ name: String, _ arguments: [String]) throws -> ProcessResult {
        let r = try Run.process("/usr/bin/env", ["python3", scripts.appendingPathComponent(name).path] + arguments)
        print(r.stdout)
        if r.status != 0 { print(r.stderr) }
        return r
    }

    /// The whole story in headless Chromium. Screenshots go to `$BIEUMAU_SHOTS` when set (docs/images/portal
    /// is refreshed with `BIEUMAU_SHOTS=docs/images/portal`), else to the test's temporary folder.
    @Test("browser story: sign in, 3 units, errors shown and fixed, 2/3 submitted, merged totals checked",
          .enabled(if: Tools.python("playwright", "openpyxl") && Tools.programs("chromium"),
                   "needs chromium and python3 with playwright and openpyxl (scripts/install-deps --tests)"))
    func browserStory() throws {
        _ = try Tools.require("chromium")
        let work = TestPaths.temporaryFolder("portal-browser")
        let shots = ProcessInfo.processInfo.environment["BIEUMAU_SHOTS"].map { URL(fileURLWithPath: $0).path }
            ?? work.appendingPathComponent("shots").path
        let r = try Self.runScript("story.py", ["--bin", Run.bieumauPath, "--port", "18490", "--work", work.path,
                                                "--shots", shots, "--chromium", try Tools.require("chromium")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ok - merged 1.1 = 13 (A) + 7 (B) = 20"))
    }

    @Test("kill -9 during uploads loses nothing acknowledged and leaves no half-record",
          .enabled(if: Tools.programs("python3"), "needs python3"))
    func killDuringUploads() throws {
        let work = TestPaths.temporaryFolder("portal-crash")
        let r = try Self.runScript("crash.py", ["--bin", Run.bieumauPath, "--port", "18491", "--work", work.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ok - every acknowledged upload is there after the restart"))
    }
}
