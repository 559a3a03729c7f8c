import Foundation
import Testing
import TestSupport

/// The seed appendix as .ods and .xls (made by LibreOffice from the CSV, see
/// scripts/fixtures/make-sheet-fixtures.sh) converts to exactly the workbook the CSV gives, and
/// `dump`/`export` read those formats through the same entry point.
@Suite("reading .ods and .xls from the command line")
struct SheetFormatsCLITests {
    static let seedCSV = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path
    static func fixture(_ format: String, _ name: String) -> String {
        let folder = format == "ods" ? "ODSInputTests" : "XLSInputTests"
        return TestPaths.packageRoot.appendingPathComponent("Tests/\(folder)/Fixtures/\(name)").path
    }

    /// Every cell of every sheet of two workbooks as openpyxl sees it: value, number format, font,
    /// fill, alignment, borders; merged ranges, column widths, sheet state, custom properties.
    static let compareWorkbooks = #"""
import sys, openpyxl
def snapshot(path):
    wb = openpyxl.load_workbook(path)
    out = {"sheets": wb.sheetnames, "props": sorted((p.name, str(p.value)) for p in wb.custom_doc_props.props)}
    for ws in wb.worksheets:
        cells = []
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style: continue
                f, a = c.font, c.alignment
                cells.append((c.coordinate, repr(c.value), c.number_format, f.b, f.i, f.sz, f.name,
                              c.fill.fgColor.rgb if c.fill and c.fill.fill_type else None,
                              a.horizontal, a.vertical, a.wrap_text,
                              tuple(getattr(c.border, s).style for s in ("left", "right", "top", "bottom"))))
        out[ws.title] = {"cells": cells, "merged": sorted(str(m) for m in ws.merged_cells.ranges),
                         "widths": sorted((k, v.width) for k, v in ws.column_dimensions.items()),
                         "state": ws.sheet_state}
    return out
a, b = snapshot(sys.argv[1]), snapshot(sys.argv[2])
if a == b:
    print("same %d sheets, %d cells" % (len(a["sheets"]), sum(len(a[s]["cells"]) for s in a["sheets"])))
    sys.exit(0)
for k in a:
    if a[k] != b.get(k):
        print("differs:", k, str(a[k])[:300], "|", str(b.get(k))[:300])
sys.exit(1)
"""#

    @Test(.enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"), arguments: ["ods", "xls"])
    func seedConvertsToTheSameWorkbookAsTheCSV(format: String) throws {
        let dir = TestPaths.temporaryFolder("sheet-formats-\(format)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fromCSV = dir.appendingPathComponent("csv.xlsx").path
        let fromOther = dir.appendingPathComponent("\(format).xlsx").path
        let args = ["--period", "Quý I/2023", "--report-no", "15/BC-UBND"]
        let a = try Run.bieumau(["convert", Self.seedCSV, "-o", fromCSV] + args)
        #expect(a.status == 0, "\(a.stderr)")
        let b = try Run.bieumau(["convert", Self.fixture(format, "seed.\(format)"), "-o", fromOther] + args)
        #expect(b.status == 0, "\(b.stderr)")
        let r = try Run.python(Self.compareWorkbooks, [fromCSV, fromOther])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasPrefix("same "))
    }

    @Test(arguments: ["ods", "xls"])
    func seedExportsLikeTheCSV(format: String) throws {
        let dir = TestPaths.temporaryFolder("sheet-export-\(format)")
        defer { try? FileManager.default.removeItem(at: dir) }
        /// The export without what names the input (its path, and each value's cell or CSV line).
        func export(_ input: String) throws -> NSDictionary {
            let out = dir.appendingPathComponent(UUID().uuidString + ".json").path
            let r = try Run.bieumau(["export", input, "-o", out])
            #expect(r.status == 0, "\(input): \(r.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out)))
            guard var top = object as? [String: Any] else { return [:] }
            top["source"] = nil
            if let rows = top["rows"] as? [[String: Any]] {
                top["rows"] = rows.map { row in row.filter { $0.key != "cell" } }
            }
            return top as NSDictionary
        }
        let csv = try export(Self.seedCSV)
        let other = try export(Self.fixture(format, "seed.\(format)"))
        #expect((csv["rows"] as? [Any])?.count == 121)
        #expect(other == csv)
    }

    @Test(arguments: ["ods", "xls"])
    func dumpListsAndCopiesASheet(format: String) throws {
        let path = Self.fixture(format, "features.\(format)")
        let list = try Run.bieumau(["dump", path, "--list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout == "index\tname\tstate\tkind\n1\tSố liệu\tvisible\tworksheet\n2\tẨn\thidden\tworksheet\n3\tTrang 3\tvisible\tworksheet\n")
        let third = try Run.bieumau(["dump", path, "--sheet", "Trang 3"])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stdout == ",,\r\n,ô B2,\r\n,,\r\n,,\r\n,,42\r\n")
        let first = try Run.bieumau(["dump", path])
        #expect(first.stdout.hasPrefix("BIỂU THỐNG KÊ SỐ LIỆU,,\r\nChỉ tiêu,Đơn vị tính,Số liệu\r\nSố văn bản,Văn bản,13\r\n"))
    }

    @Test(arguments: [("ods", "zip-bomb.ods", "bom zip"), ("ods", "billion-rows.ods", "1048576"),
                      ("ods", "encrypted.ods", "mật khẩu"), ("xls", "broken-records.xls", "bị hỏng"),
                      // Crashed FreeXL 1.0.6 (SIGSEGV) when FreeXL read .xls files; now a message.
                      ("xls", "freexl-crash-sst.xls", "bị hỏng"), ("xls", "poi-password.xls", "mật khẩu")])
    func hostileFilesAreRefusedWithAMessage(format: String, file: String, says: String) throws {
        let path = Self.fixture(format, file)
        for command in [["convert", path, "-o", TestPaths.temporaryFolder("hostile").appendingPathComponent("o.xlsx").path],
                        ["dump", path], ["export", path, "-o", TestPaths.temporaryFolder("hostile").appendingPathComponent("o.json").path]] {
            let r = try Run.bieumau(command)
            #expect(r.status == 65, "\(command[0]) \(file): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(says), "\(command[0]) \(file): \(r.stderr)")
            #expect(r.stderr.contains(file))
        }
    }

    /// The command line and the portal read .xls with Swift code alone: the binary does not even
    /// link FreeXL (kept as a second reader in the XLSInput tests), so no crafted .xls reaches C code.
    @Test(.enabled(if: Tools.programs("ldd"), "needs ldd"))
    func theBinaryDoesNotLinkFreeXL() throws {
        let r = try Run.process(try Tools.require("ldd"), [Run.bieumauPath])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("libzip"), "ldd lists the libraries bieumau does link")
        #expect(!r.stdout.contains("freexl"), "\(r.stdout)")
    }
}
