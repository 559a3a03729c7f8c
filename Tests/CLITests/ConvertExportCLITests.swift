import Foundation
import Testing
import TestSupport

private var seedPath: String { TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path }
private var seedLines: [String] {
    // The seed has CRLF line ends (one Character in Swift): split on scalars.
    (try! String(contentsOfFile: seedPath, encoding: .utf8)).replacingOccurrences(of: "\r\n", with: "\n")
        .components(separatedBy: "\n")
}

/// Writes `text` to a fresh folder and returns (folder, file path).
private func fixture(_ text: String, name: String = "input.csv") throws -> (URL, String) {
    let folder = TestPaths.temporaryFolder("cli")
    let path = folder.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return (folder, path)
}

/// The seed with line `n` (1-based) replaced.
private func seed(replacing n: Int, with line: String) -> String {
    var lines = seedLines
    lines[n - 1] = line
    return lines.joined(separator: "\n")
}

private func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

@Suite struct ConvertCLITests {
    @Test(.enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func convertsTheSeed() throws {
        let folder = TestPaths.temporaryFolder("cli")
        let out = folder.appendingPathComponent("ngan-son.xlsx").path
        let r = try Run.bieumau(["convert", seedPath, "-o", out, "--period", "Quý I/2023", "--report-no", "15/BC-UBND"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(exists(out))
        // Read the workbook back independently: find rows by their printed code.
        let py = try Run.python("""
        import openpyxl, sys
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = wb.worksheets[0]
        rows = {}
        for r in ws.iter_rows(values_only=True):
            if r[0] is not None and str(r[0]) not in rows: rows[str(r[0])] = r
        props = {p.name: p.value for p in wb.custom_doc_props.props}
        print(rows['6.1.1'][3]); print(rows['3.1.1'][3]); print(rows['1.5.1'][4])
        print(props.get('bieumau.unit')); print(props.get('bieumau.period')); print(props.get('bieumau.report-number'))
        """, [out])
        #expect(py.status == 0, "\(py.stderr)")
        #expect(py.stdout.split(separator: "\n").map(String.init) ==
                ["136284", "Chưa có đánh giá kết quả", "Chưa thực hiện", "UBND huyện Ngân Sơn", "quy-1/2023", "15/BC-UBND"])
    }

    @Test func missingMetadataIsAWarningInVietnamese() throws {
        let folder = TestPaths.temporaryFolder("cli")
        let out = folder.appendingPathComponent("o.xlsx").path
        let r = try Run.bieumau(["convert", seedPath, "-o", out])
        #expect(r.status == 0)
        #expect(r.stderr.contains("cảnh báo: không rõ kỳ báo cáo"))
        #expect(r.stderr.contains("--period"))
    }

    @Test func unknownRowStopsTheConversion() throws {
        // Line 13 (1.3.1) becomes a row the form does not have.
        let (folder, input) = try fixture(seed(replacing: 13, with: "9.9,Số con mèo đã nuôi,Con,5,"))
        let out = folder.appendingPathComponent("o.xlsx").path
        let r = try Run.bieumau(["convert", input, "-o", out])
        #expect(r.status == 65)
        #expect(!exists(out))
        #expect(r.stderr.contains("\(input): dòng 13, cột 2"))
        #expect(r.stderr.contains("không có trong biểu mẫu"))
        #expect(r.stderr.contains("Số con mèo đã nuôi"))
    }

    @Test func unreadableNumberStopsTheConversion() throws {
        // Line 10 is 1.2.1 (Số nhiệm vụ đề ra trong kế hoạch): 56 becomes 5/9.
        let (folder, input) = try fixture(seed(replacing: 10, with: "1.2.1,Số nhiệm vụ đề ra trong kế hoạch,Nhiệm vụ,5/9,"))
        let out = folder.appendingPathComponent("o.xlsx").path
        let r = try Run.bieumau(["convert", input, "-o", out])
        #expect(r.status == 65)
        #expect(!exists(out))
        #expect(r.stderr.contains("dòng 10, cột 4"))
        #expect(r.stderr.contains("cần một số"))
        #expect(r.stderr.contains("5/9"))
    }

    @Test func englishMessagesOnRequest() throws {
        let (folder, input) = try fixture(seed(replacing: 10, with: "1.2.1,Số nhiệm vụ đề ra trong kế hoạch,Nhiệm vụ,abc,"))
        let out = folder.appendingPathComponent("o.xlsx").path
        let r = try Run.bieumau(["convert", input, "-o", out, "--lang", "en"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("line 10, column 4"))
        #expect(r.stderr.contains("needs a number"))
    }

    @Test func missingColumnIsNamed() throws {
        // Drop the Số liệu column (the 4th field) from every line.
        let text = "STT,Chỉ tiêu thống kê,Đơn vị tính,Ghi chú\n1,Công tác chỉ đạo điều hành CCHC,,\n1.1,Số văn bản chỉ đạo CCHC đã ban hành,Văn bản,\n"
        let (folder, input) = try fixture(text)
        let out = folder.appendingPathComponent("o.xlsx").path
        let r = try Run.bieumau(["convert", input, "-o", out])
        #expect(r.status == 65)
        #expect(!exists(out))
        #expect(r.stderr.contains("'Số liệu'"))
        #expect(r.stderr.contains("dòng 1"))
    }

    @Test func unrecognisedFormAsksForForm() throws {
        let text = "STT,Chỉ tiêu,Đơn vị tính,Số liệu,Ghi chú\n1,Sản lượng lúa,Tấn,5,\n2,Diện tích gieo trồng,ha,\"1,5\",\n"
        let (folder, input) = try fixture(text)
        let out = folder.appendingPathComponent("o.xlsx").path
        let r = try Run.bieumau(["convert", input, "-o", out])
        #expect(r.status == 65)
        #expect(!exists(out))
        #expect(r.stderr.contains("không nhận ra biểu mẫu"))
        #expect(r.stderr.contains("--form"))
    }

    @Test func wrongFormNamedOnTheCommandLine() throws {
        // A second form in a user folder; the seed does not fit it.
        let forms = TestPaths.temporaryFolder("forms")
        let dir = forms.appendingPathComponent("nong-nghiep")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try """
        form: nong-nghiep
        version: 1
        title: Biểu nông nghiệp
        rows:
          - {id: r1, code: "1", kind: count, unit: Tấn, label: "Sản lượng lúa"}
        """.write(to: dir.appendingPathComponent("form.yaml"), atomically: true, encoding: .utf8)
        let out = forms.appendingPathComponent("o.xlsx").path
        let r = try Run.bieumau(["convert", seedPath, "-o", out, "--forms-dir", forms.path, "--form", "nong-nghiep"])
        #expect(r.status == 65)
        #expect(!exists(out))
        #expect(r.stderr.contains("không có trong biểu mẫu nong-nghiep"))
        #expect(r.stderr.contains("dòng 7, cột 2"))
    }

    @Test func ambiguousNumbersWarnButConvert() throws {
        // Without 6.1's "2,30" nothing shows the convention: 136.284 and 3.135 are ambiguous.
        let (folder, input) = try fixture(seed(replacing: 104, with: "6.1,Tỷ lệ thực hiện kế hoạch giải ngân vốn đầu tư công,%,,"))
        let out = folder.appendingPathComponent("o.xlsx").path
        let r = try Run.bieumau(["convert", input, "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(exists(out))
        #expect(r.stderr.contains("dòng 105, cột 4"))
        #expect(r.stderr.contains("\"136.284\""))
        #expect(r.stderr.contains("136.284"))
    }

    @Test func duplicateRowIsAWarningAndTheFirstIsKept() throws {
        // Line 11 (1.2.2) repeats line 10 (1.2.1) with another value.
        let (folder, input) = try fixture(seed(replacing: 11, with: "1.2.1,Số nhiệm vụ đề ra trong kế hoạch,Nhiệm vụ,99,"))
        let out = folder.appendingPathComponent("o.json").path
        let r = try Run.bieumau(["export", input, "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("dòng 11, cột 2"))
        #expect(r.stderr.contains("hai lần"))
        let py = try Run.python("""
        import json, sys
        rows = {r['id']: r for r in json.load(open(sys.argv[1], encoding='utf-8'))['rows']}
        print(rows['r1_2_1']['value'], rows['r1_2_2']['type'])
        """, [out])
        #expect(py.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "56 absent")
        let xlsx = folder.appendingPathComponent("o.xlsx").path
        #expect(try Run.bieumau(["convert", input, "-o", xlsx]).status == 0)
    }

    @Test func manyUnknownRowsAreCountedNotAllListed() throws {
        var text = seedLines.prefix(8).joined(separator: "\n") + "\n"
        for i in 1...30 { text += "9.\(i),Chỉ tiêu lạ số \(i),Cái,\(i),\n" }
        let (folder, input) = try fixture(text)
        let r = try Run.bieumau(["convert", input, "-o", folder.appendingPathComponent("o.xlsx").path, "--form", "cchc-2023"])
        #expect(r.status == 65)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 20)
        #expect(r.stderr.contains("30 lỗi, 10 lỗi không liệt kê"))
    }

    @Test func existingOutputIsKept() throws {
        let folder = TestPaths.temporaryFolder("cli")
        let out = folder.appendingPathComponent("o.xlsx").path
        try Data("keep".utf8).write(to: URL(fileURLWithPath: out))
        let r = try Run.bieumau(["convert", seedPath, "-o", out])
        #expect(r.status == 73)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep")
        #expect(r.stderr.contains("--force"))
        let forced = try Run.bieumau(["convert", seedPath, "-o", out, "--force"])
        #expect(forced.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)).starts(with: [0x50, 0x4B]))
    }

    @Test func missingInputIs66() throws {
        let folder = TestPaths.temporaryFolder("cli")
        let r = try Run.bieumau(["convert", folder.appendingPathComponent("nope.csv").path, "-o", folder.appendingPathComponent("o.xlsx").path])
        #expect(r.status == 66)
        #expect(r.stderr.contains("Không có tệp"))
    }

    @Test func legacyXlsIsExplained() throws {
        let folder = TestPaths.temporaryFolder("cli")
        let input = folder.appendingPathComponent("cu.csv").path   // content decides, not the name
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
            .write(to: URL(fileURLWithPath: input))
        let r = try Run.bieumau(["convert", input, "-o", folder.appendingPathComponent("o.xlsx").path])
        #expect(r.status == 65)
        #expect(r.stderr.contains(".xls"))
    }
}

@Suite struct ExportCLITests {
    @Test func exportsCSV() throws {
        let folder = TestPaths.temporaryFolder("cli")
        let out = folder.appendingPathComponent("seed.csv").path
        let r = try Run.bieumau(["export", seedPath, "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let py = try Run.python("""
        import csv, sys
        rows = {r['id']: r for r in csv.DictReader(open(sys.argv[1], encoding='utf-8', newline=''))}
        print(len(rows))
        for k in ['r6_1_1', 'r6_1', 'r3_1_1', 'r1_2', 'r4_6_giao']:
            r = rows[k]; print('|'.join([r['code'], r['type'], r['value'], r['raw'], r['cell']]))
        print(rows['r1_5_1']['note'])
        """, [out])
        #expect(py.status == 0, "\(py.stderr)")
        #expect(py.stdout.split(separator: "\n").map(String.init) == [
            "121",
            "6.1.1|number|136284|136.284|105:4",
            "6.1|number|2.3|2,30|104:4",
            "3.1.1|status|Chưa có đánh giá kết quả|Chưa có đánh giá kết quả|43:4",
            "1.2|number|25|25%|9:4",
            "4.6|number|693|693|78:4",
            "Chưa thực hiện",
        ])
    }

    @Test func exportsJSONWithExactNumbers() throws {
        let folder = TestPaths.temporaryFolder("cli")
        let out = folder.appendingPathComponent("seed.json").path
        let r = try Run.bieumau(["export", seedPath, "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let py = try Run.python("""
        import json, sys, decimal
        d = json.load(open(sys.argv[1], encoding='utf-8'), parse_float=decimal.Decimal)
        rows = {r['id']: r for r in d['rows']}
        print(d['form'], d['metadata']['unit'], d['metadata']['reportDate']['month'])
        print(rows['r6_1']['value'], rows['r6_1_1']['value'], rows['r3_2_3']['raw'], rows['r1_4_1']['value'])
        """, [out])
        #expect(py.status == 0, "\(py.stderr)")
        #expect(py.stdout.split(separator: "\n").map(String.init) == [
            "cchc-2023 UBND huyện Ngân Sơn 3",
            "2.3 136284 <b>0</b> None",
        ])
    }

    @Test func unknownExtensionNeedsFormat() throws {
        let folder = TestPaths.temporaryFolder("cli")
        let out = folder.appendingPathComponent("seed.txt").path
        let r = try Run.bieumau(["export", seedPath, "-o", out])
        #expect(r.status == 64)
        #expect(!exists(out))
        let r2 = try Run.bieumau(["export", seedPath, "-o", out, "--format", "json"])
        #expect(r2.status == 0)
        #expect(exists(out))
    }
}

@Suite struct WorkbookInputCLITests {
    /// CSV → official workbook → appendix again: every row means the same.
    @Test func officialWorkbookRoundTrip() throws {
        let folder = TestPaths.temporaryFolder("cli")
        let xlsx = folder.appendingPathComponent("o.xlsx").path
        let fromCSV = folder.appendingPathComponent("a.csv").path
        let fromXLSX = folder.appendingPathComponent("b.csv").path
        #expect(try Run.bieumau(["convert", seedPath, "-o", xlsx, "--period", "Quý I/2023"]).status == 0)
        #expect(try Run.bieumau(["export", seedPath, "-o", fromCSV]).status == 0)
        let r = try Run.bieumau(["export", xlsx, "-o", fromXLSX])
        #expect(r.status == 0, "\(r.stderr)")
        let py = try Run.python("""
        import csv, sys
        a = {r['id']: r for r in csv.DictReader(open(sys.argv[1], encoding='utf-8', newline=''))}
        b = {r['id']: r for r in csv.DictReader(open(sys.argv[2], encoding='utf-8', newline=''))}
        diff = [k for k in a if (a[k]['type'], a[k]['value'], a[k]['note']) != (b[k]['type'], b[k]['value'], b[k]['note'])]
        print(len(a), len(b), diff, b['r6_1_1']['cell'])
        """, [fromCSV, fromXLSX])
        #expect(py.stdout.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("121 121 []"), "\(py.stdout) \(py.stderr)")
        #expect(py.stdout.contains("'Phụ lục'!D"))
    }

    /// A workbook typed by hand: the table on the second sheet, numbers as numeric cells.
    @Test(.enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func looseWorkbookTableOnSecondSheet() throws {
        let folder = TestPaths.temporaryFolder("cli")
        let xlsx = folder.appendingPathComponent("tay.xlsx").path
        let py = try Run.python("""
        import csv, sys, openpyxl
        wb = openpyxl.Workbook()
        wb.active.title = 'Hướng dẫn'
        wb.active['A1'] = 'Điền số liệu ở trang sau'
        ws = wb.create_sheet('Số liệu')
        ws.append(['UBND HUYỆN NGÂN SƠN'])
        ws.append(['Quý I năm 2023'])
        for row in list(csv.reader(open(sys.argv[1], encoding='utf-8', newline='')))[4:]:
            row = row + [''] * (5 - len(row))
            v = row[3]
            if v.isdigit(): v = int(v)
            elif v == '25%': v = 0.25
            ws.append([row[0], row[1], row[2], v if v != '' else None, row[4] or None])
            if v == 0.25: ws.cell(row=ws.max_row, column=4).number_format = '0%'
        wb.save(sys.argv[2])
        """, [seedPath, xlsx])
        #expect(py.status == 0, "\(py.stderr)")
        let out = folder.appendingPathComponent("tay.json").path
        let r = try Run.bieumau(["export", xlsx, "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let check = try Run.python("""
        import json, sys
        d = json.load(open(sys.argv[1], encoding='utf-8'))
        rows = {r['id']: r for r in d['rows']}
        print(d['metadata']['unit'], '|', d['metadata']['period'])
        print(rows['r1_2']['value'], rows['r1_2_1']['value'], rows['r3_1_1']['value'], rows['r6_1']['value'], rows['r6_1_1']['value'])
        print(rows['r1_2']['cell'])
        """, [out])
        #expect(check.stdout.split(separator: "\n").map(String.init) == [
            "UBND HUYỆN NGÂN SƠN | quy-1/2023",
            "25 56 Chưa có đánh giá kết quả 2.3 136284",
            "'Số liệu'!D7",
        ], "\(check.stderr)")
        // --sheet names the sheet; a sheet without the table is an error naming what is missing.
        let wrong = try Run.bieumau(["export", xlsx, "-o", folder.appendingPathComponent("x.json").path, "--sheet", "Hướng dẫn"])
        #expect(wrong.status == 65)
        #expect(wrong.stderr.contains("không tìm thấy bảng"))
    }
}
