import Foundation
import Testing
import TestSupport

/// Workbooks made from our CSV by other producers (openpyxl, XlsxWriter, LibreOffice), and workbooks
/// whose layout a person edited, must read back to the same appendix as the CSV itself.
@Suite("reading workbooks from other producers and edited by hand")
struct ProducerRoundTripTests {
    static let seed = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path

    /// `bieumau export` as {row id: [value, raw, note]} (value as exported: a plain decimal or text).
    static func exported(_ input: String, in dir: URL, raw: Bool = true) throws -> [String: [String]] {
        let out = dir.appendingPathComponent(UUID().uuidString + ".json").path
        let r = try Run.bieumau(["export", input, "-o", out])
        #expect(r.status == 0, "\(input): \(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: out))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        var result: [String: [String]] = [:]
        for row in rows {
            let id = row["id"] as? String ?? "?"
            let value = row["value"].map { "\($0)" } ?? "nil"
            result[id] = raw ? [value, row["raw"] as? String ?? "", row["note"] as? String ?? ""]
                             : [value, row["note"] as? String ?? ""]
        }
        return result
    }

    /// Writes the CSV's rows as text cells, as a person pasting it into a sheet would.
    static let producers = #"""
import csv, sys
src, producer, out = sys.argv[1:4]
rows = list(csv.reader(open(src, encoding='utf-8', newline='')))
if producer == 'openpyxl':
    import openpyxl
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Phụ lục'
    for r in rows:
        ws.append([v if v != '' else None for v in r])
    wb.save(out)
else:
    import xlsxwriter
    wb = xlsxwriter.Workbook(out); ws = wb.add_worksheet('Phụ lục')
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            if v != '':
                ws.write_string(i, j, v)
    wb.close()
"""#

    @Test(.enabled(if: Tools.python("openpyxl", "xlsxwriter"), "needs python3 with openpyxl and xlsxwriter"),
          arguments: ["openpyxl", "xlsxwriter"])
    func textCellsFromAnotherProducerReadLikeTheCSV(producer: String) throws {
        let dir = TestPaths.temporaryFolder("producer-\(producer)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let xlsx = dir.appendingPathComponent("\(producer).xlsx").path
        let made = try Run.python(Self.producers, [Self.seed, producer, xlsx])
        #expect(made.status == 0, "\(made.stderr)")
        let expected = try Self.exported(Self.seed, in: dir)
        let got = try Self.exported(xlsx, in: dir)
        #expect(expected.count == 121)
        #expect(got == expected)
    }

    @Test(.enabled(if: Tools.programs("soffice"), "needs LibreOffice (soffice)"))
    func libreOfficeConvertedCSVReadsLikeTheCSV() throws {
        let soffice = try Tools.require("soffice")
        let dir = TestPaths.temporaryFolder("producer-libreoffice")
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("phu-luc.csv")
        try FileManager.default.copyItem(atPath: Self.seed, toPath: csv.path)
        // Comma-separated, UTF-8 (76), every column imported as text (format 2) so LibreOffice does
        // not reinterpret "136.284" in its own locale.
        let r = try Run.process(soffice, ["--headless", "-env:UserInstallation=file://\(dir.path)/profile",
                                          "--infilter=CSV:44,34,76,1,1/2/2/2/3/2/4/2/5/2",
                                          "--convert-to", "xlsx", "--outdir", dir.path, csv.path])
        #expect(r.status == 0, "\(r.stderr)")
        let xlsx = dir.appendingPathComponent("phu-luc.xlsx").path
        #expect(FileManager.default.fileExists(atPath: xlsx))
        #expect(try Self.exported(xlsx, in: dir) == Self.exported(Self.seed, in: dir))
    }

    /// A person's edits: title rows and a header block above, the columns in another order with an
    /// extra one, blank rows inserted, the header repeated where a page breaks, numbers typed as
    /// numbers (percentages as 0.25 shown 25%), a hidden scratch column.
    static let edited = #"""
import csv, sys, openpyxl
src, out = sys.argv[1:3]
rows = list(csv.reader(open(src, encoding='utf-8', newline='')))
start = next(i for i, r in enumerate(rows) if r and r[0] == 'STT')
wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Báo cáo'
ws.append(['UBND TỈNH BẮC KẠN', None, None, None, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'])
ws.append(['ỦY BAN NHÂN DÂN HUYỆN NGÂN SƠN', None, None, None, 'Độc lập - Tự do - Hạnh phúc'])
ws.append([])
for r in rows[:start]:
    ws.append([None] + r)
# New order: STT, Chỉ tiêu, Số liệu, Đơn vị tính, (Người nhập), Ghi chú
def reorder(r):
    r = (r + [''] * 5)[:5]
    return [r[0], r[1], r[3], r[2], 'Người nhập' if r[0] == 'STT' else None, r[4]]
def number(v, unit):
    t = v.strip().replace('<b>', '').replace('</b>', '')
    pct = t.endswith('%')
    s = t.rstrip('%').strip().replace('.', '').replace(',', '.')
    try:
        x = float(s)
    except ValueError:
        return v, None
    if pct or unit == '%':
        return x / 100, '0%' if '.' not in s else '0.00%'
    return x, '#,##0' if '.' not in s else '#,##0.000'
n = 0
for r in rows[start:]:
    r = (r + [''] * 5)[:5]
    out_row = reorder(r)
    fmt = None
    is_header = r[0] == 'STT' or r[3] == 'Số liệu'
    if not is_header and r[3]:
        out_row[2], fmt = number(r[3], r[2])
    ws.append([None] + [v if v != '' else None for v in out_row])
    if fmt:
        ws.cell(row=ws.max_row, column=4).number_format = fmt
    n += 1
    if n % 40 == 0:
        ws.append([])  # a blank row inserted
ws.column_dimensions['F'].hidden = True
wb.save(out)
"""#

    @Test(.enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func editedWorkbookReadsToTheSameValues() throws {
        let dir = TestPaths.temporaryFolder("producer-edited")
        defer { try? FileManager.default.removeItem(at: dir) }
        let xlsx = dir.appendingPathComponent("edited.xlsx").path
        let made = try Run.python(Self.edited, [Self.seed, xlsx])
        #expect(made.status == 0, "\(made.stderr)")
        let expected = try Self.exported(Self.seed, in: dir, raw: false)
        let got = try Self.exported(xlsx, in: dir, raw: false)
        #expect(got.count == expected.count)
        for (id, value) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(got[id] == value, "\(id)")
        }
    }
}
