import Foundation
import Testing
import TestSupport

/// What a user sees, committed as files under Tests/CLITests/Snapshots and compared here: the
/// `--help` of every command and the JSON of validate, merge and export on the seed.
/// `BIEUMAU_UPDATE_SNAPSHOTS=1 swift test --filter SnapshotTests` rewrites them; review each
/// rewritten file by eye before committing it.
@Suite(.serialized) struct SnapshotTests {
    static let folder = TestPaths.packageRoot.appendingPathComponent("Tests/CLITests/Snapshots")
    static let seed = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv")

    static func check(_ text: String, against name: String) throws {
        let url = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["BIEUMAU_UPDATE_SNAPSHOTS"] == "1" {
            try Data(text.utf8).write(to: url)
            return
        }
        let expected = try #require(try? String(contentsOf: url, encoding: .utf8),
                                    "no snapshot \(name); run with BIEUMAU_UPDATE_SNAPSHOTS=1 and review it")
        #expect(text == expected, "\(name) differs from its snapshot")
    }

    @Test(arguments: ["", "convert", "template", "validate", "merge", "export", "dump", "forms", "crosscheck"])
    func help(command: String) throws {
        let r = try Run.bieumau((command.isEmpty ? [] : [command]) + ["--help"])
        #expect(r.status == 0, "\(r.stderr)")
        try Self.check(r.stdout, against: "help-\(command.isEmpty ? "bieumau" : command).txt")
    }

    /// A folder holding the seed under its own name and as two communes' files (CSV, so that
    /// their SHA-256 in the merge JSON does not depend on when they were written).
    static func work() throws -> URL {
        let dir = TestPaths.temporaryFolder("snapshot")
        let seed = try String(contentsOf: Self.seed, encoding: .utf8)
        try Data(seed.utf8).write(to: dir.appendingPathComponent("ngan-son.csv"))
        for (file, unit) in [("van-tung.csv", "UBND xã Vân Tùng"), ("coc-dan.csv", "UBND xã Cốc Đán")] {
            try Data(seed.replacingOccurrences(of: "UBND huyện Ngân Sơn", with: unit).utf8)
                .write(to: dir.appendingPathComponent(file))
        }
        return dir
    }

    @Test func validateJSON() throws {
        let dir = try Self.work()
        let r = try Run.bieumau(["validate", "ngan-son.csv", "--format", "json"], currentDirectory: dir)
        #expect(r.status == 1, "the seed has errors: \(r.stderr)")
        try Self.check(r.stdout, against: "validate-seed.json")
    }

    @Test func mergeJSON() throws {
        let dir = try Self.work()
        let r = try Run.bieumau(["merge", "van-tung.csv", "coc-dan.csv", "-o", "tong-hop.xlsx",
                                 "--unit", "UBND huyện Ngân Sơn", "--period", "Quý I/2023", "--format", "json"],
                                currentDirectory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        try Self.check(r.stdout, against: "merge-two-communes.json")
    }

    @Test func exportJSON() throws {
        let dir = try Self.work()
        let r = try Run.bieumau(["export", "ngan-son.csv", "-o", "ngan-son.json"], currentDirectory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        try Self.check(try String(contentsOf: dir.appendingPathComponent("ngan-son.json"), encoding: .utf8),
                       against: "export-seed.json")
    }
}
