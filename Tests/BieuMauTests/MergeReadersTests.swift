import AppendixModel
import BieuMau
import FormSchema
import Foundation
import Support
import Testing
import TestSupport

/// A merge reads its inputs on every core; which worker reads which file must not change anything
/// the collector sees: the order of units, the conflicts set aside, the newer file kept.
@Suite("bieumau merge: one reader or several, the same merge")
struct MergeReadersTests {
    static let seed = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv")

    /// The seed appendix as unit `name` sends it, with its first count changed to `count`.
    func unitCSV(_ name: String, count: Int) throws -> String {
        let text = try String(contentsOf: Self.seed, encoding: .utf8)
        let renamed = text.replacingOccurrences(of: "của UBND huyện Ngân Sơn", with: "của \(name)")
        let changed = renamed.replacingOccurrences(of: "Văn bản,13,", with: "Văn bản,\(count),")
        #expect(changed != text && changed != renamed, "the seed changed: the test no longer edits it")
        return changed
    }

    /// 30 units, then files that make the merge decide: an identical copy, a unit sending two
    /// different files (a conflict, or with `latest` the newer one), an unreadable file.
    func inputs(_ dir: URL) throws {
        for i in 0..<30 {
            try unitCSV("UBND xã Thử \(i)", count: i * 7 + 1)
                .write(to: dir.appendingPathComponent(String(format: "u%02d.csv", i)), atomically: true, encoding: .utf8)
        }
        try FileManager.default.copyItem(at: dir.appendingPathComponent("u05.csv"), to: dir.appendingPathComponent("u05-copy.csv"))
        let older = dir.appendingPathComponent("u11-old.csv"), newer = dir.appendingPathComponent("u11-new.csv")
        try unitCSV("UBND xã Thử 11", count: 500).write(to: older, atomically: true, encoding: .utf8)
        try unitCSV("UBND xã Thử 11", count: 600).write(to: newer, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_600_000_000)], ofItemAtPath: older.path)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: newer.path)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_650_000_000)],
                                              ofItemAtPath: dir.appendingPathComponent("u11.csv").path)
        try Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 0]).write(to: dir.appendingPathComponent("u99-broken.xlsx"))
    }

    struct Outcome {
        var json: String
        var sheets: [String: [GridRowText]]
    }

    /// A row's cells as text (what a reader of the workbook sees).
    struct GridRowText: Equatable, CustomStringConvertible {
        var index: Int
        var cells: [String]
        var description: String { "\(index): \(cells)" }
    }

    func merge(_ dir: URL, readers: Int, latest: Bool, allowPartial: Bool) throws -> Outcome {
        let out = dir.appendingPathComponent("out-\(readers)-\(latest).xlsx")
        let options = MergeJobOptions(inputs: [dir.appendingPathComponent("in").path], output: out.path,
                                      unit: "UBND HUYỆN THỬ NGHIỆM", period: Period.parse("Quý I/2023"),
                                      allowPartial: allowPartial, latest: latest, unitSheets: .yes, force: true, readers: readers)
        let result = try MergeJob.merge(options, library: try FormLibrary.load())
        var json = MergeJob.json(result, output: "OUT", language: .vi).text
        json = json.replacingOccurrences(of: out.path, with: "OUT")
        var sheets: [String: [GridRowText]] = [:]
        for name in ["Tổng hợp", "Chi tiết", "Nguồn"] {
            let grid = try #require(try AppendixReader.grids(path: out.path, sheet: name).grids.first)
            sheets[name] = grid.rows.map { row in GridRowText(index: row.index, cells: row.cells.map { "\($0.column)=\($0.value)" }) }
        }
        return Outcome(json: json, sheets: sheets)
    }

    @Test("1 reader and 4 readers give the same result and the same workbook, with conflicts, copies, latest-wins and a rejection")
    func oneOrSeveralReaders() throws {
        let dir = TestPaths.temporaryFolder("merge-readers")
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        try inputs(input)
        for latest in [false, true] {
            let one = try merge(dir, readers: 1, latest: latest, allowPartial: true)
            // The merge decided what the inputs call for: the copy counted once, the broken file
            // rejected, unit 11's three different files a conflict (or, with latest, the newest kept).
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(one.json.utf8)) as? [String: Any])
            let rejected = try #require(doc["rejected"] as? [[String: Any]])
            #expect(rejected.contains { ($0["file"] as? String)?.hasSuffix("u99-broken.xlsx") == true })
            // u05 and its copy: one submission (with latest: the other file superseded).
            #expect(rejected.contains { ($0["file"] as? String)?.hasSuffix("u05.csv") == true
                && $0["kind"] as? String == (latest ? "superseded" : "same-submission") })
            if latest {
                #expect(rejected.filter { ($0["file"] as? String)?.contains("u11") == true }.count == 2)
            }
            let conflicts = doc["conflicts"] as? [[String: Any]] ?? []
            #expect(conflicts.count == (latest ? 0 : 1))
            #expect((doc["accepted"] as? [Any])?.count == (latest ? 30 : 29))
            for _ in 0..<2 {
                let several = try merge(dir, readers: 4, latest: latest, allowPartial: true)
                #expect(several.json == one.json)
                for (name, rows) in one.sheets {
                    #expect(several.sheets[name] == rows, "sheet \(name)")
                }
            }
        }
    }
}
