import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// The portal as a real process (`bieumau serve`): the browser story and kill -9. Each runs a script
/// beside this file (Browser/); the script prints one line per check and exits 1 on the first failure.
@Suite("Portal process", .serialized)
struct PortalProcessTests {
    static let scripts = TestPaths.packageRoot.appendingPathComponent("Tests/PortalTests/Browser")

    /// A port nobody listens on now (the kernel's choice for port 0), so that two runs of these tests
    /// at once — other checkouts on the same machine run the whole suite too — do not meet.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { a -> Bool in
                bind(fd, a, length) == 0 && getsockname(fd, a, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : 18490
    }

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
        let r = try Self.runScript("story.py", ["--bin", Run.bieumauPath, "--port", String(Self.freePort()), "--work", work.path,
                                                "--shots", shots, "--chromium", try Tools.require("chromium")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ok - merged 1.1 = 13 (A) + 7 (B) = 20"))
    }

    @Test("kill -9 during uploads loses nothing acknowledged and leaves no half-record",
          .enabled(if: Tools.programs("python3"), "needs python3"))
    func killDuringUploads() throws {
        let work = TestPaths.temporaryFolder("portal-crash")
        let r = try Self.runScript("crash.py", ["--bin", Run.bieumauPath, "--port", String(Self.freePort()), "--work", work.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ok - every acknowledged upload is there after the restart"))
    }
}
