import AppendixModel
import FormSchema
import Foundation
import OfficialWorkbook
import Support
import TestSupport
import Testing
import XlsxWriterWrapper

@Suite("Official workbook: atomic output, the template command, LibreOffice, the wrapper")
struct OutputTests {
    @Test("an existing output is kept without force and replaced with force")
    func noOverwriteWithoutForce() throws {
        let folder = TestPaths.temporaryFolder("atomic")
        let path = folder.appendingPathComponent("phu-luc.xlsx").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let appendix = try seedAppendix()
        #expect {
            try OfficialWorkbookWriter.writeAppendix(appendix, to: path, force: false)
        } throws: { ($0 as? BieuMauError)?.status == .cannotCreate }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        try OfficialWorkbookWriter.writeAppendix(appendix, to: path, force: true)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.prefix(2) == Data("PK".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["phu-luc.xlsx"])
    }

    @Test("a failure while writing leaves no output and no temporary file")
    func failureLeavesNothing() throws {
        var form = try loadForm()
        form.sheetName = "Phụ lục [sai]"   // not a valid sheet name
        let folder = TestPaths.temporaryFolder("atomic-fail")
        let path = folder.appendingPathComponent("phu-luc.xlsx").path
        #expect {
            try OfficialWorkbookWriter.writeAppendix(Appendix(form: form), to: path, force: false)
        } throws: { error in
            guard let e = error as? BieuMauError else { return false }
            return e.status == .cannotCreate && e.message.vi.contains("Phụ lục [sai]") && e.message.en.contains("sheet name")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("bieumau template writes a protected blank form, refuses to overwrite, checks its options",
          .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func templateCommand() throws {
        let folder = TestPaths.temporaryFolder("cli-template")
        let out = folder.appendingPathComponent("mau.xlsx").path
        let r = try Run.bieumau(["template", "--form", "cchc-2023", "-o", out, "--unit", "UBND xã Vân Tùng",
                                 "--parent", "UBND huyện Ngân Sơn", "--period", "6 tháng 2023"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains(out))
        #expect(FileManager.default.fileExists(atPath: out))
        do {
            let dump = try dumpWithOpenpyxl(out, sheet: "Phụ lục")
            #expect(dump.sheet.protected)
            #expect(dump.sheet.cells["A1"]?.v == "UBND HUYỆN NGÂN SƠN")
            #expect(dump.sheet.cells["A2"]?.v == "UBND XÃ VÂN TÙNG")
            #expect(dump.sheet.cells["A7"]?.v == "6 tháng đầu năm 2023")
            #expect(dump.custom[WorkbookProperty.period] == "6-thang/2023")
            #expect(dump.custom[WorkbookProperty.kind] == "template")
        }
        let again = try Run.bieumau(["template", "-o", out])
        #expect(again.status == 73)
        #expect(again.stderr.contains("--force"))
        let forced = try Run.bieumau(["template", "-o", out, "--force", "--lang", "en"])
        #expect(forced.status == 0)
        #expect(forced.stdout.contains("Wrote"))

        let other = folder.appendingPathComponent("khac.xlsx").path
        let longPassword = try Run.bieumau(["template", "-o", other, "--password", String(repeating: "a", count: 25)])
        #expect(longPassword.status == 64)
        #expect(longPassword.stderr.contains("24"))
        let badPeriod = try Run.bieumau(["template", "-o", other, "--period", "quý năm"])
        #expect(badPeriod.status == 64)
        #expect(badPeriod.stderr.contains("Quý I/2023"))
        let badForm = try Run.bieumau(["template", "-o", other, "--form", "khong-co"])
        #expect(badForm.status == 65)
        #expect(!FileManager.default.fileExists(atPath: other))
    }

    @Test("LibreOffice opens the filled workbook and the template and prints them to PDF",
          .enabled(if: Tools.programs("soffice", "pdftotext"), "needs LibreOffice (soffice) and pdftotext"))
    func libreOfficeOpensBoth() throws {
        let soffice = try Tools.require("soffice")
        let folder = TestPaths.temporaryFolder("soffice")
        let filled = folder.appendingPathComponent("phu-luc.xlsx").path
        let template = folder.appendingPathComponent("mau.xlsx").path
        try OfficialWorkbookWriter.writeAppendix(try seedAppendix(extra: true), to: filled, force: false)
        try OfficialWorkbookWriter.writeAppendix(Appendix(form: try loadForm()), to: template, force: false, mode: .template)
        // A private profile so parallel runs do not fight over one.
        let profile = "-env:UserInstallation=file://" + folder.appendingPathComponent("lo-profile").path
        let r = try Run.process(soffice, [profile, "--headless", "--convert-to", "pdf", "--outdir", folder.path, filled, template])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["phu-luc.pdf", "mau.pdf"] {
            let pdf = folder.appendingPathComponent(name).path
            let data = try Data(contentsOf: URL(fileURLWithPath: pdf))
            #expect(data.prefix(4) == Data("%PDF".utf8), "\(name)")
            #expect(data.count > 10_000)
        }
        // The text of the first page carries the header block and the seed's numbers.
        do {
            let pdftotext = try Tools.require("pdftotext")
            let t = try Run.process(pdftotext, ["-f", "1", "-l", "1", "-layout", folder.appendingPathComponent("phu-luc.pdf").path, "-"])
            #expect(t.stdout.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
            #expect(t.stdout.contains("Số văn bản chỉ đạo CCHC"))
            #expect(t.stdout.contains("25%"))
        }
    }

    @Test("wrapper: A1 names, literal lists over 255 bytes refused, writing after close refused, charts")
    func wrapper() throws {
        #expect(CellName.cell(row: 22, col: 3) == "D23")
        #expect(CellName.column(25) == "Z" && CellName.column(26) == "AA" && CellName.column(701) == "ZZ" && CellName.column(702) == "AAA")
        #expect(CellName.range(sheet: "Danh mục", firstRow: 0, firstCol: 0, lastRow: 2, lastCol: 0) == "'Danh mục'!$A$1:$A$3")
        #expect(CellName.quotedSheet("Bảng 'A'") == "'Bảng ''A'''")

        let folder = TestPaths.temporaryFolder("wrapper")
        let path = folder.appendingPathComponent("w.xlsx").path
        let wb = try XlsxWorkbook(path: path)
        let ws = try wb.addWorksheet(name: "Tổng hợp")
        let long = (1...40).map { "Mục \($0) đủ dài" }
        #expect(long.joined(separator: ",").utf8.count > 255)
        #expect(throws: BieuMauError.self) {
            try ws.dataValidation(firstRow: 0, firstCol: 0, DataValidation(rule: .list(long)))
        }
        #expect(throws: BieuMauError.self) { try wb.addWorksheet(name: "Tổng hợp") }
        let names = ["Ngân Sơn", "Bạch Thông", "Chợ Đồn"]
        for (i, n) in names.enumerated() {
            try ws.writeString(row: i, col: 0, n)
            try ws.writeNumber(row: i, col: 1, [0.95, 0.875, 1][i], format: wb.addFormat(FormatSpec(numberFormat: "0%")))
        }
        try ws.writeURL(row: 4, col: 0, "internal:'Tổng hợp'!B2", text: "Đến B2")
        try ws.conditionalFormat(firstRow: 0, firstCol: 1, lastRow: 2, lastCol: 1, formula: "$B1<0.9",
                                 format: wb.addFormat(FormatSpec(backgroundColor: 0xFFC7CE)))
        try ws.setColumn(first: 5, width: 10, hidden: true)
        try wb.defineName("Ty_le", formula: "='Tổng hợp'!$B$1:$B$3")
        try ws.writeFormula(row: 3, col: 1, "=AVERAGE(B1:B3)", cachedNumber: 0.925)
        try ws.insertChart(row: 6, col: 0, ChartSpec(
            type: .bar, title: "Tỷ lệ hồ sơ đúng hạn", categoryAxisTitle: "Đơn vị", valueAxisTitle: "%",
            valueNumberFormat: "0%",
            series: [ChartSeries(categories: ChartRange(sheet: "Tổng hợp", firstRow: 0, firstCol: 0, lastRow: 2, lastCol: 0),
                                 values: ChartRange(sheet: "Tổng hợp", firstRow: 0, firstCol: 1, lastRow: 2, lastCol: 1))]))
        try wb.close()
        #expect(throws: BieuMauError.self) { try ws.writeString(row: 0, col: 0, "x") }
        let r = try Run.python("""
        import sys, zipfile
        z = zipfile.ZipFile(sys.argv[1])
        chart = z.read('xl/charts/chart1.xml').decode('utf-8')
        sheet = z.read('xl/worksheets/sheet1.xml').decode('utf-8')
        book = z.read('xl/workbook.xml').decode('utf-8')
        print('barDir val="bar"' in chart, 'Tỷ lệ hồ sơ đúng hạn' in chart, "'Tổng hợp'!$B$1:$B$3" in chart,
              '<formula>$B1&lt;0.9</formula>' in sheet, 'hidden="1"' in sheet, 'name="Ty_le"' in book,
              '<f>AVERAGE(B1:B3)</f><v>0.925</v>' in sheet, ("Tổng hợp&apos;!B2" in sheet or "Tổng hợp'!B2" in sheet))
        """, [path])
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "True True True True True True True True", "\(r.stdout) \(r.stderr)")
    }

    @Test("a workbook dropped without close leaves no file")
    func droppedWorkbook() throws {
        let path = TestPaths.temporaryFolder("drop").appendingPathComponent("x.xlsx").path
        do {
            let wb = try XlsxWorkbook(path: path)
            _ = try wb.addWorksheet(name: "A")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}

@Suite("Official workbook: the example for docs/images")
struct DocsExampleTests {
    /// Writes the seed appendix as an official workbook; `scripts/render-docs-images.sh` sets
    /// BIEUMAU_RENDER_DIR to keep it (else it goes to a temporary folder).
    @Test("the Ngân Sơn Q1/2023 example is written as an official workbook")
    func example() throws {
        let dir = ProcessInfo.processInfo.environment["BIEUMAU_RENDER_DIR"].map { URL(fileURLWithPath: $0) }
            ?? TestPaths.temporaryFolder("docs")
        let path = dir.appendingPathComponent("phu-luc-ngan-son-q1-2023.xlsx").path
        try OfficialWorkbookWriter.writeAppendix(try seedAppendix(), to: path, force: true)
        #expect(FileManager.default.fileExists(atPath: path))
    }
}

@Suite("Official workbook: measurement")
struct MeasurementTests {
    /// A parent's merged workbook holds one official sheet per unit. Set BIEUMAU_MEASURE=1 to time
    /// 200 sheets (printed); otherwise 5 sheets keep the test quick.
    @Test("many appendix sheets in one workbook")
    func manySheets() throws {
        let count = ProcessInfo.processInfo.environment["BIEUMAU_MEASURE"] == nil ? 5 : 200
        let appendix = try seedAppendix(extra: true)
        let path = TestPaths.temporaryFolder("measure").appendingPathComponent("many.xlsx").path
        let timer = ContinuousClock()
        let start = timer.now
        let cpuStart = clock_t(clock())
        let writer = try OfficialWorkbookWriter(path: path, document: DocumentInfo(title: "Tổng hợp"))
        var layouts: [AppendixSheetLayout] = []
        for i in 1...count {
            layouts.append(try writer.addAppendixSheet(appendix, name: "Đơn vị \(i)"))
        }
        try writer.close()
        let elapsed = timer.now - start
        let cpu = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC)
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("measure: \(count) sheets, \(elapsed) wall, \(cpu) s CPU, \(size) bytes")
        #expect(layouts.count == count && layouts.last?.sheetName == "Đơn vị \(count)")
        #expect(size > 10_000)
    }
}
