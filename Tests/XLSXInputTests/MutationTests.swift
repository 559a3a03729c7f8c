import Foundation
import SheetGrid
import Support
import Testing
import TestSupport
@testable import XLSXInput
import XMLScan

/// Mutated sheet XML fed in random chunk sizes must either read or fail with one of the reader's
/// own errors; any trap (bounds, overflow) crashes the test run.
@Suite struct MutationTests {
    static let seedSheet = Array("""
    <?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="u"><dimension ref="A1:C3"/><sheetData>\
    <row r="1" hidden="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><r><t>a&amp;b_x000D_</t></r><rPh><t>p</t></rPh></is></c>\
    <c r="C1" s="1"><f>SUM(A1:B1)</f><v>45000.5</v></c></row><row><c><v>1E-3</v></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c></row>\
    <row r="3"><c r="XFD3" t="str"><v><![CDATA[<x>]]></v></c></row></sheetData><mergeCells><mergeCell ref="A1:B2"/></mergeCells></x:worksheet>
    """.utf8)

    @Test func mutatedSheetsNeverTrap() {
        var rng = SplitMix64(state: 20_261_130)
        let formats = [ResolvedFormat(style: CellStyle(), temporal: .none),
                       ResolvedFormat(style: CellStyle(numberFormat: "yyyy-mm-dd"), temporal: .date)]
        let interesting: [UInt8] = Array("<>/=\"'&;![]-?:x_0123456789AZ \r\n".utf8) + [0x00, 0xFF, 0xC3]
        var read = 0, refused = 0
        for _ in 0..<3000 {
            var doc = Self.seedSheet
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let pos = Int.random(in: 0..<doc.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: doc[pos] = interesting.randomElement(using: &rng)!
                case 1: doc.insert(interesting.randomElement(using: &rng)!, at: pos)
                case 2: doc.remove(at: pos)
                default: doc = Array(doc[0..<pos])
                }
                if doc.isEmpty { doc = [UInt8(ascii: "<")] }
            }
            var scanner = XMLScanner(handler: SheetHandler(shared: ["s0"], formats: formats, date1904: false,
                                                           maxCells: 1000, maxBytes: 1000), maxDepth: 16, maxTokenBytes: 4096)
            do {
                var i = 0
                while i < doc.count {
                    let end = min(doc.count, i + Int.random(in: 1...64, using: &rng))
                    try Array(doc[i..<end]).withUnsafeBytes { try scanner.feed($0) }
                    i = end
                }
                try scanner.finish()
                read += 1
            } catch is XMLScanError {
                refused += 1
            } catch is CellProblem {
                refused += 1
            } catch is LimitExceeded {
                refused += 1
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        #expect(read + refused == 3000)
        #expect(read > 0 && refused > 0)
    }

    @Test func mutatedPackagesFailCleanly() throws {
        var rng = SplitMix64(state: 7)
        var f = WorkbookFixture(sheetData: "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\"><v>2</v></c></row>")
        f.sharedStrings = "<sst xmlns=\"\(WorkbookFixture.ns)\"><si><t>x</t></si></sst>"
        let seed = f.bytes()
        let folder = TestPaths.temporaryFolder("mutated")
        var read = 0, refused = 0
        for n in 0..<300 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let pos = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[pos] = UInt8.random(in: 0...255, using: &rng)
            }
            let path = folder.appendingPathComponent("m\(n).xlsx").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let wb = try XLSXWorkbook(path: path)
                for s in wb.sheets { _ = try wb.readGrid(s) }
                read += 1
            } catch is BieuMauError {
                refused += 1
            } catch {
                Issue.record("\(path): unexpected error type: \(error)")
            }
        }
        #expect(read + refused == 300)
        #expect(refused > 0)
    }
}
