import AppendixModel
import BieuMau
import FormSchema
import Foundation
import OfficialWorkbook
import Support
import Testing
import TestSupport

/// A merge keeps of each unit only its numbers of errors and warnings, found by `Validator.counts`
/// (the checks without the findings' texts). On real files and on what the merge job reads they
/// must be the full validation's.
@Suite struct ValidationCountsTests {
    static let library = Result { try FormLibrary.load() }
    static let q1 = Period(kind: .q1, year: 2023)

    func reader() throws -> AppendixReader { AppendixReader(library: try Self.library.get()) }

    /// Appendix files of every format in the repository (examples, fixtures) and the shared corpus's workbooks.
    static func appendixFiles() -> [String] {
        let fm = FileManager.default
        var roots = [TestPaths.examples, TestPaths.packageRoot.appendingPathComponent("Tests")]
        if let corpus = TestPaths.corpus { roots.append(corpus) }
        var files: [String] = []
        for root in roots {
            guard let walk = fm.enumerator(atPath: root.path) else { continue }
            for case let relative as String in walk
            where ["csv", "xlsx", "xls", "ods", "docx"].contains((relative as NSString).pathExtension.lowercased()) {
                files.append(root.appendingPathComponent(relative).path)
            }
        }
        return files.sorted()
    }

    @Test func countsEqualTheFullRunOnEveryReadableFile() throws {
        var compared = 0
        for file in Self.appendixFiles() {
            // Most corpus workbooks are not appendices: there is nothing to validate in them.
            guard let appendix = try? reader().read(path: file).appendix else { continue }
            compared += 1
            for options in [ValidationOptions(),
                            ValidationOptions(expectedPeriod: Self.q1, expectedUnit: "UBND huyện Ngân Sơn", strict: true),
                            ValidationOptions(expectedPeriod: Period(kind: .year, year: 2023), expectedUnit: "UBND xã Bằng Vân")] {
                let full = ValidationReport(appendix: appendix, options: options).summary
                #expect(Validator.counts(appendix, options: options) == full, "\(file)")
            }
        }
        // The examples and the fixtures of the readers of every format are appendices.
        #expect(compared >= 15, "only \(compared) appendix files read")
    }

    /// Units written as official workbooks (values retyped the way people get them wrong), merged by the
    /// merge job: every unit's counts, merged or rejected, are those of validating its file.
    @Test func theMergeJobKeepsTheFullRunsCounts() throws {
        let folder = TestPaths.temporaryFolder("merge-counts")
        let seed = try reader().read(path: TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path).appendix
        let form = seed.form
        let typed = ["", "0", "7", "12,5", "1.234", "-3", "150%", "0,97", "abc", "Có", "Không", "Chưa thực hiện",
                     "99999999999999999999999", "Trực tuyến; Phát phiếu", "Qua mạng", "1000000"]
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        for i in 0..<24 {
            var a = seed
            a.metadata.unit = "UBND xã Thử Nghiệm \(i)"
            if i % 7 == 3 { a.metadata.period = Period(kind: .sixMonths, year: 2023) }
            for _ in 0..<next(12) {
                let row = form.rows[next(form.rows.count)]
                let raw = typed[next(typed.count)]
                var rv = ValueInterpreter.interpret(raw.isEmpty ? .empty : .text(raw), row: row, form: form, locale: .vi)
                rv.location = a.values[row.id]?.location
                a.values[row.id] = rv
            }
            try OfficialWorkbookWriter.writeAppendix(a, to: folder.appendingPathComponent("xa-\(i).xlsx").path, force: true)
        }
        let output = TestPaths.temporaryFolder("merge-counts-out").appendingPathComponent("tong-hop.xlsx").path
        let result = try MergeJob.merge(MergeJobOptions(inputs: [folder.path], output: output, unit: "UBND huyện Thử Nghiệm",
                                                        period: Self.q1, allowPartial: true, unitSheets: .no, force: true),
                                        library: try Self.library.get())
        #expect(result.accepted.count == 21 && result.rejected.count == 3)
        var withFindings = 0
        for unit in result.accepted {
            let full = ValidationReport(appendix: try reader().read(path: unit.file).appendix).summary
            #expect(unit.errorCount == full.errors && unit.warningCount == full.warnings, "\(unit.file)")
            if full.errors + full.warnings > 0 { withFindings += 1 }
        }
        for r in result.rejected {
            let full = ValidationReport(appendix: try reader().read(path: r.file).appendix).summary
            #expect(r.errorCount == full.errors && r.warningCount == full.warnings, "\(r.file)")
        }
        #expect(withFindings >= 10)
    }
}
