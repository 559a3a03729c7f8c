import BieuMau
import CSVInput
import Foundation
import SheetGrid
import Support
import Testing
import TestSupport

/// `Dump` as a library call: a CSV file copied to .xlsx and back gives the same fields.
@Suite struct DumpTests {
    static var seedCSV: String { TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path }

    static func fields(_ path: String) throws -> [[String]] {
        try CSVReader.read(file: path).grid.rows.map { row in
            guard let last = row.cells.map(\.column).max() else { return [] }
            var f = (0...last).map { row.value(at: $0).plainText }
            while f.last == "" { f.removeLast() }
            return f
        }
    }

    @Test func csvToXLSXAndBackKeepsEveryField() throws {
        let dir = TestPaths.temporaryFolder("dump-library")
        let xlsx = dir.appendingPathComponent("phu-luc.xlsx").path
        let copy = try Dump.csvToXLSX(input: Self.seedCSV, output: xlsx, sheet: "Phụ lục")
        #expect(copy.sheetName == "Phụ lục")
        #expect(copy.encoding == .utf8 || copy.encoding == .utf8BOM)
        let original = try Self.fields(Self.seedCSV)
        #expect(copy.rows == original.count)

        let sheets = try Dump.sheets(of: xlsx)
        #expect(sheets.map(\.name) == ["Phụ lục"])
        #expect(sheets.first?.state == "visible")
        #expect(Dump.listing(sheets).hasPrefix("index\tname\tstate\tkind\n1\tPhụ lục\tvisible\t"))

        let back = dir.appendingPathComponent("back.csv").path
        try Dump.sheetToCSV(input: xlsx, sheet: "1", output: back)
        let again = try Self.fields(back)
        #expect(again.count == original.count)
        for (a, b) in zip(original, again) {
            #expect(a.count == b.count, "\(a) / \(b)")
            for (x, y) in zip(a, b) where x != y {
                // A plain number comes back as the number it became (e.g. 2.50 → 2.5).
                #expect(ExactDecimal(x) != nil && ExactDecimal(x) == ExactDecimal(y), "\(x) / \(y)")
            }
        }
        // The output exists: refused without force, before anything is read.
        #expect(throws: BieuMauError.self) { try Dump.sheetToCSV(input: xlsx, output: back) }
        try Dump.sheetToCSV(input: xlsx, output: back, force: true)
    }

    @Test func anUnknownSheetIsNamedWithTheSheetsThereAre() throws {
        let ods = TestPaths.packageRoot.appendingPathComponent("Tests/BieuMauTests/Fixtures/formats/libreoffice.ods").path
        let names = try Dump.sheets(of: ods).map(\.name)
        #expect(!names.isEmpty)
        let out = TestPaths.temporaryFolder("dump-library-sheet").appendingPathComponent("x.csv").path
        let error = #expect(throws: BieuMauError.self) { try Dump.sheetToCSV(input: ods, sheet: "không có", output: out) }
        #expect(error?.status == .dataError)
        #expect(error?.message.vi.contains(names[0]) == true)
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
