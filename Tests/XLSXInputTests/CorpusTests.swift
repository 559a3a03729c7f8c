import Foundation
import SheetGrid
import Support
import Testing
import TestSupport
@testable import XLSXInput

/// Reads every file of the interoperability corpus in place and compares the first sheet with
/// python-calamine. See docs/xlsx-reader.md for the documented disagreements.
@Suite struct CorpusTests {
    struct ManifestRow {
        var file: String
        var expectedValid: String
        var calamineOpens: String
        var agreement: String
    }

    static func manifest(_ corpus: URL) throws -> [ManifestRow] {
        let text = try String(contentsOf: corpus.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        var rows: [ManifestRow] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() where i > 0 {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 12 else { continue }
            rows.append(ManifestRow(file: f[0], expectedValid: f[8], calamineOpens: f[10], agreement: f[11]))
        }
        return rows
    }

    /// Files the manifest calls invalid that we open on purpose (reason in docs/xlsx-reader.md).
    static let knownOpenedInvalid: Set<String> = [
        // A well-formed package whose only sheet has an empty <sheetData/>; CoreXLSX's fixture
        // name says "faulty" because of an extLst it could not decode. Excel opens it.
        "corexlsx/Tests/CoreXLSXTests/Fixtures/faulty_worksheet.xlsx",
    ]

    /// Cells where we deliberately differ from calamine (docs/xlsx-reader.md).
    static let knownDifferences: Set<String> = [
        // t="inlineStr" with the text in <v> (written by LibreOffice for a formula result):
        // calamine drops it, we keep the cached result.
        "poi/test-data/spreadsheet/52575_main.xlsx [1,0]",
    ]

    static let calamineScript = #"""
import sys, json, datetime
import python_calamine as pc
out = {}
for path in sys.argv[2:]:
    rec = {}
    try:
        wb = pc.CalamineWorkbook.from_path(sys.argv[1] + "/" + path)
        sh = wb.get_sheet_by_index(0)
        rows = sh.to_python(skip_empty_area=False)
        cells = {}
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                if isinstance(v, bool): t = ["b", "TRUE" if v else "FALSE"]
                elif isinstance(v, (int, float)): t = ["n", repr(v)]
                elif isinstance(v, datetime.datetime): t = ["d", v.isoformat()]
                elif isinstance(v, datetime.date): t = ["d", v.isoformat()]
                elif isinstance(v, datetime.time): t = ["t", v.isoformat()]
                elif isinstance(v, datetime.timedelta): t = ["td", repr(v.total_seconds())]
                else: t = ["s", str(v)]
                cells["%d,%d" % (r, c)] = t
        rec["cells"] = cells
        rec["ok"] = True
    except BaseException as e:
        rec["ok"] = False
        rec["error"] = type(e).__name__ + ": " + str(e)[:200]
    out[path] = rec
json.dump(out, sys.stdout)
"""#

    struct Reference: Decodable {
        var ok: Bool
        var error: String?
        var cells: [String: [String]]?
    }

    /// Our value, comparable with calamine's: (type, text).
    static func ours(_ v: CellValue) -> (String, String)? {
        switch v {
        case .empty: return nil
        case .text(let s): return s.isEmpty ? nil : ("s", s)
        case .number(let n): return ("n", n)
        case .bool(let b): return ("b", b ? "TRUE" : "FALSE")
        case .error(let e): return ("e", e)
        case .date(let d): return ("d", d)
        }
    }

    static func normalizedDate(_ s: String) -> String {
        var t = s
        // Calamine reports microseconds; we round to milliseconds.
        if let dot = t.firstIndex(of: "."), t.contains(":") {
            let frac = String(t[t.index(after: dot)...].prefix(6))
            let micros = Int(frac.padding(toLength: 6, withPad: "0", startingAt: 0)) ?? 0
            let ms = min(999, (micros + 500) / 1000)
            t = String(t[..<dot])
            if ms != 0 { t += "." + String(format: "%03d", ms) }
        }
        if t.hasSuffix("T00:00:00") { t = String(t.dropLast(9)) }
        return t
    }

    /// Whether our cell and calamine's mean the same, after the documented normalisations.
    static func same(_ a: (String, String), _ b: [String]) -> Bool {
        guard b.count == 2 else { return false }
        let (bt, bv) = (b[0], b[1])
        switch (a.0, bt) {
        case ("n", "n"):
            if let x = Double(a.1), let y = Double(bv) { return x == y || abs(x - y) <= 1e-12 * max(abs(x), abs(y)) }
            return a.1 == bv
        case ("s", "s"), ("b", "b"): return a.1 == bv
        case ("d", "d"), ("d", "t"): return normalizedDate(a.1) == normalizedDate(bv)
        case ("e", "s"): return a.1 == bv
        // Time-only format on a serial of a day or more: we keep the serial, calamine a duration.
        case ("n", "td"):
            if let x = Double(a.1), let y = Double(bv) { return abs(x * 86_400 - y) < 1 }
            return false
        default: return false
        }
    }

    @Test(.enabled(if: TestPaths.corpus != nil, "needs the corpus ($BIEUMAU_CORPUS or ../shared/corpus beside the checkout)"),
          .enabled(if: Tools.python("python_calamine"), "needs python3 with python-calamine"))
    func corpusOpensAndAgreesWithCalamine() throws {
        let corpus = try #require(TestPaths.corpus)
        let rows = try Self.manifest(corpus)
        #expect(rows.count > 200)

        var reference: [String: Reference] = [:]
        let havePython = true
        do {
            let r = try Run.python(Self.calamineScript, [corpus.path] + rows.map(\.file))
            #expect(r.status == 0, "calamine script failed: \(r.stderr)")
            reference = (try? JSONDecoder().decode([String: Reference].self, from: Data(r.stdout.utf8))) ?? [:]
        }

        var validTotal = 0, validOpened = 0, calamineOpened = 0
        var invalidTotal = 0, invalidRefused = 0
        var compared = 0, cellsCompared = 0
        var disagreements: [String] = []
        for row in rows {
            let path = corpus.appendingPathComponent(row.file).path
            let start = Date()
            var grid: Grid?
            var failure: Error?
            do {
                let wb = try XLSXWorkbook(path: path)
                grid = try wb.readGrid(wb.sheets[0])
            } catch {
                failure = error
            }
            let elapsed = Date().timeIntervalSince(start)
            #expect(elapsed < 30, "\(row.file) took \(elapsed) s")
            if let failure { #expect(failure is BieuMauError, "\(row.file): not a BieuMauError: \(failure)") }

            if row.expectedValid == "yes" {
                validTotal += 1
                if grid != nil { validOpened += 1 }
                if reference[row.file]?.ok ?? row.calamineOpens.hasPrefix("yes") { calamineOpened += 1 }
                if grid == nil && (reference[row.file]?.ok ?? true) {
                    Issue.record("\(row.file): valid file refused: \(failure.map { "\($0)" } ?? "")")
                }
            } else if row.expectedValid.hasPrefix("no") {
                invalidTotal += 1
                if grid == nil { invalidRefused += 1 }
                else if !Self.knownOpenedInvalid.contains(row.file) {
                    Issue.record("\(row.file): invalid file was opened")
                }
            }

            guard row.agreement == "agree", let grid, let ref = reference[row.file], ref.ok, let theirs = ref.cells else { continue }
            compared += 1
            var mine: [String: (String, String)] = [:]
            for r in grid.rows {
                for c in r.cells { if let v = Self.ours(c.value) { mine["\(r.index),\(c.column)"] = v } }
            }
            for key in Set(mine.keys).union(theirs.keys) {
                cellsCompared += 1
                let a = mine[key], b = theirs[key]
                let ok: Bool
                switch (a, b) {
                case let (a?, b?): ok = Self.same(a, b)
                case let (a?, nil): ok = a.0 == "e" // calamine drops error cells
                case let (nil, b?): ok = b.count == 2 && b[0] == "s" && b[1].allSatisfy(\.isWhitespace)
                case (nil, nil): ok = true
                }
                if !ok && !Self.knownDifferences.contains("\(row.file) [\(key)]") {
                    disagreements.append("\(row.file) [\(key)] ours=\(a.map { "\($0.0):\($0.1)" } ?? "-") calamine=\(b?.joined(separator: ":") ?? "-")")
                }
            }
        }
        print("corpus: opened \(validOpened) of \(validTotal) valid files, calamine opened \(calamineOpened); refused \(invalidRefused) of \(invalidTotal) invalid; compared \(compared) first sheets, \(cellsCompared) cells, \(disagreements.count) disagreements")
        for d in disagreements.prefix(40) { print("  differ: \(d)") }
        #expect(validOpened >= calamineOpened)
        #expect(invalidRefused + Self.knownOpenedInvalid.count >= invalidTotal)
        #expect(disagreements.isEmpty)
    }
}
