import Foundation
import Testing
import TestSupport

/// The seed report as a Word document (and a Word 97 file) through the command line: `export`,
/// `convert` and `dump` read a .docx through the library's one reader entry point.
@Suite("Word reports on the command line")
struct WordReportCLITests {
    static let csv = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path
    static let docx = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.docx").path

    /// `bieumau export` as JSON, without what names where a value was read (the file, its cells).
    static func exported(_ input: String, in dir: URL) throws -> [String: Any] {
        let out = dir.appendingPathComponent(UUID().uuidString + ".json").path
        let r = try Run.bieumau(["export", input, "-o", out])
        #expect(r.status == 0, "\(input): \(r.stderr)")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        object["source"] = nil
        let rows = try #require(object["rows"] as? [[String: Any]])
        object["rows"] = rows.map { row in row.filter { $0.key != "cell" } }
        return object
    }

    /// Converts with the same options and dumps every cell of the official workbook as CSV.
    static func officialWorkbook(_ input: String, in dir: URL) throws -> String {
        let xlsx = dir.appendingPathComponent(UUID().uuidString + ".xlsx").path
        let r = try Run.bieumau(["convert", input, "-o", xlsx, "--period", "Quý I/2023"])
        #expect(r.status == 0, "\(input): \(r.stderr)")
        let dump = try Run.bieumau(["dump", xlsx])
        #expect(dump.status == 0, "\(dump.stderr)")
        return dump.stdout
    }

    @Test func wordReportExportsTheSameAppendixAsTheCSV() throws {
        let dir = TestPaths.temporaryFolder("word-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fromWord = try Self.exported(Self.docx, in: dir)
        let fromCSV = try Self.exported(Self.csv, in: dir)
        #expect((fromWord["rows"] as? [Any])?.count == 121)
        #expect(Set(fromWord.keys) == Set(fromCSV.keys))
        let wordRows = try #require(fromWord["rows"] as? [[String: Any]])
        let csvRows = try #require(fromCSV["rows"] as? [[String: Any]])
        #expect(wordRows.count == csvRows.count)
        for (w, var c) in zip(wordRows, csvRows) {
            // The printed bold "0" of 3.2.3 is a bold run in Word; the CSV spells it <b>0</b>.
            if let raw = c["raw"] as? String, raw.hasPrefix("<b>") {
                c["raw"] = raw.replacingOccurrences(of: "<b>", with: "").replacingOccurrences(of: "</b>", with: "")
            }
            #expect(NSDictionary(dictionary: w).isEqual(to: c), "\(w) ≠ \(c)")
        }
        for key in fromCSV.keys.sorted() where key != "rows" {
            let a = fromWord[key].map { NSArray(array: [$0]) }, b = fromCSV[key].map { NSArray(array: [$0]) }
            #expect(a == b, "\(key): \(String(describing: fromWord[key]).prefix(300)) ≠ \(String(describing: fromCSV[key]).prefix(300))")
        }
    }

    @Test func wordReportConvertsToTheSameOfficialWorkbook() throws {
        let dir = TestPaths.temporaryFolder("word-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fromWord = try Self.officialWorkbook(Self.docx, in: dir)
        let fromCSV = try Self.officialWorkbook(Self.csv, in: dir)
        #expect(fromWord.contains("6.1.1,Kế hoạch được giao,Triệu đồng,136284"))
        let a = fromWord.components(separatedBy: "\n"), b = fromCSV.components(separatedBy: "\n")
        #expect(a.count == b.count)
        for (k, (x, y)) in zip(a, b).enumerated() where x != y {
            Issue.record("line \(k + 1): \(x) ≠ \(y)")
        }
    }

    @Test(.enabled(if: Tools.programs("soffice"), "needs LibreOffice (soffice)"))
    func wordNinetySevenIsRefusedWithAdvice() throws {
        let dir = TestPaths.temporaryFolder("word-cli-doc")
        defer { try? FileManager.default.removeItem(at: dir) }
        let soffice = try Tools.require("soffice")
        let copy = dir.appendingPathComponent("bao-cao.docx")
        try FileManager.default.copyItem(atPath: Self.docx, toPath: copy.path)
        let made = try Run.process(soffice, ["--headless", "-env:UserInstallation=file://\(dir.path)/profile",
                                             "--convert-to", "doc:MS Word 97", "--outdir", dir.path, copy.path])
        #expect(made.status == 0, "\(made.stderr)")
        let doc = dir.appendingPathComponent("bao-cao.doc").path
        let r = try Run.bieumau(["convert", doc, "-o", dir.appendingPathComponent("out.xlsx").path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("bao-cao.doc"))
        #expect(r.stderr.contains("Word 97–2003 (.doc)"))
        #expect(r.stderr.contains("lưu lại dưới dạng .docx"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.xlsx").path))
    }

    @Test func wordTableCellsAreNamedByTableRowAndColumn() throws {
        let r = try Run.bieumau(["validate", Self.docx, "--period", "Quý I/2023"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect((r.stdout + r.stderr).contains("bảng 3, hàng "))
    }
}

/// The seed CSV as typed on an old computer, in TCVN3 and in VNI (built by
/// scripts/make-legacy-csv.py, independently of the reader's tables).
@Suite("TCVN3 and VNI CSV files on the command line")
struct LegacyEncodingCLITests {
    static let fixtures = TestPaths.packageRoot.appendingPathComponent("Tests/CLITests/Fixtures/legacy")

    @Test(arguments: [("ngan-son-q1-2023-tcvn3.csv", "TCVN3"), ("ngan-son-q1-2023-vni.csv", "VNI")])
    func legacyCSVConvertsToTheSameOfficialWorkbook(file: String, encoding: String) throws {
        let dir = TestPaths.temporaryFolder("legacy-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = Self.fixtures.appendingPathComponent(file).path
        // The bytes really are not Unicode.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: input))
        #expect(String(data: bytes, encoding: .utf8) == nil)
        let fromLegacy = try WordReportCLITests.officialWorkbook(input, in: dir)
        let fromCSV = try WordReportCLITests.officialWorkbook(WordReportCLITests.csv, in: dir)
        let a = fromLegacy.components(separatedBy: "\n"), b = fromCSV.components(separatedBy: "\n")
        #expect(a.count == b.count)
        for (k, (x, y)) in zip(a, b).enumerated() where x != y {
            Issue.record("line \(k + 1): \(x) ≠ \(y)")
        }
        let exported = try WordReportCLITests.exported(input, in: dir)
        #expect(NSDictionary(dictionary: exported).isEqual(to: try WordReportCLITests.exported(WordReportCLITests.csv, in: dir)))
        // The conversion is reported once, as information.
        let r = try Run.bieumau(["convert", input, "-o", dir.appendingPathComponent("x.xlsx").path])
        #expect(r.status == 0)
        let said = r.stdout + r.stderr
        #expect(said.components(separatedBy: "bảng mã \(encoding)").count == 2, "\(said)")
    }

    /// The seed typed in `.VnTime`/`.VnTimeH` and `VNI-Times` fonts in workbooks (openpyxl from
    /// the TCVN3/VNI CSV files, then LibreOffice to .xls and .ods;
    /// scripts/fixtures/make-legacy-font-workbooks.sh): the cells' fonts say the encoding.
    @Test(arguments: [("ngan-son-q1-2023-tcvn3-font.xlsx", "TCVN3"), ("ngan-son-q1-2023-vni-font.xlsx", "VNI"),
                      ("ngan-son-q1-2023-tcvn3-font.ods", "TCVN3"), ("ngan-son-q1-2023-vni-font.ods", "VNI"),
                      ("ngan-son-q1-2023-tcvn3-font.xls", "TCVN3"), ("ngan-son-q1-2023-vni-font.xls", "VNI")])
    func workbookInLegacyFontsConvertsToTheSameOfficialWorkbook(file: String, encoding: String) throws {
        let dir = TestPaths.temporaryFolder("legacy-font-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = Self.fixtures.appendingPathComponent(file).path
        let fromLegacy = try WordReportCLITests.officialWorkbook(input, in: dir)
        let fromCSV = try WordReportCLITests.officialWorkbook(WordReportCLITests.csv, in: dir)
        let a = fromLegacy.components(separatedBy: "\n"), b = fromCSV.components(separatedBy: "\n")
        #expect(a.count == b.count)
        for (k, (x, y)) in zip(a, b).enumerated() where x != y {
            Issue.record("line \(k + 1): \(x) ≠ \(y)")
        }
        // The conversion is reported once, as information.
        let r = try Run.bieumau(["convert", input, "-o", dir.appendingPathComponent("x.xlsx").path])
        #expect(r.status == 0, "\(r.stderr)")
        let said = r.stdout + r.stderr
        #expect(said.components(separatedBy: "phông \(encoding)").count == 2, "\(said)")
    }

    @Test func wordReportDumpsItsTablesAsSheets() throws {
        let list = try Run.bieumau(["dump", WordReportCLITests.docx, "--list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("3\tBảng 3\tvisible"))
        let table = try Run.bieumau(["dump", WordReportCLITests.docx, "--sheet", "Bảng 3"])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.components(separatedBy: "\r\n")
        #expect(lines.prefix(5) == [
            "Phụ lục,,,,", "BIỂU THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC,,,,",
            "(Kèm theo Báo cáo số /BC-UBND ngày /3/2022 của UBND huyện Ngân Sơn),,,,",
            "STT,Chỉ tiêu thống kê,Kết quả thống kê,,Ghi chú", ",,Đơn vị tính,Số liệu,",
        ])
        #expect(lines.contains("6.1.1,Kế hoạch được giao,Triệu đồng,136.284,"))
    }
}
