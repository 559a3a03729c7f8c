import AppendixModel
import CSVInput
import FormSchema
import Foundation
import SheetGrid
import Support
import TableLocator
import Testing
import TestSupport

/// The seed CSV re-encoded and re-shaped by Python, as offices' tools would write it; each variant
/// must read to the same values as the original.
private let variantScript = #"""
import csv, io, sys, unicodedata, os
src, out = sys.argv[1], sys.argv[2]
text = open(src, encoding='utf-8').read()
rows = list(csv.reader(io.StringIO(text, newline='')))

def write(name, data):
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)

def to_csv(rows, delimiter=',', lineterminator='\r\n'):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return buf.getvalue()

TONES = {'\u0300', '\u0301', '\u0303', '\u0309', '\u0323'}
def cp1258(s):
    # As Windows does: letters it has precomposed stay, tone marks become combining bytes.
    out = bytearray()
    for ch in s:
        try:
            out += ch.encode('cp1258')
        except UnicodeEncodeError:
            d = unicodedata.normalize('NFD', ch)
            base = unicodedata.normalize('NFC', ''.join(c for c in d if c not in TONES))
            tones = ''.join(c for c in d if c in TONES)
            out += (base + tones).encode('cp1258')
    return bytes(out)

write('win1258-semicolon.csv', cp1258(to_csv(rows, ';')))
write('utf16le-tabs.txt', b'\xff\xfe' + to_csv(rows, '\t').encode('utf-16-le'))
write('utf8-bom.csv', b'\xef\xbb\xbf' + text.encode('utf-8'))
write('nfd.csv', unicodedata.normalize('NFD', text).encode('utf-8'))
write('lf-only.csv', to_csv(rows, ',', '\n').encode('utf-8'))

# English number format: thousands ',' and decimal '.'.
def english(v):
    v = v.strip()
    if v == '2,30': return '2.30'
    if v in ('136.284', '3.135'): return v.replace('.', ',')
    return v
en_rows = [r[:3] + [english(r[3])] + r[4:] if len(r) > 3 else r for r in rows]
write('english-numbers.csv', to_csv(en_rows).encode('utf-8'))

# Columns in another order, with extra columns: Ghi chú, Số liệu, STT, (extra), Chỉ tiêu, Đơn vị tính, (extra).
def reorder(r):
    r = r + [''] * (5 - len(r))
    extra1 = 'Nguồn' if r[0] == 'STT' else ('x' if r[0] else '')
    return [r[4], r[3], r[0], extra1, r[1], r[2], 'ghi thêm' if r[0] and r[0][0].isdigit() else '']
write('reordered.csv', to_csv([reorder(r) for r in rows]).encode('utf-8'))

# A header block and a period line above the table, the table starting further down and right.
head = [['UBND TỈNH BẮC KẠN', '', '', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'],
        ['ỦY BAN NHÂN DÂN HUYỆN NGÂN SƠN', '', '', 'Độc lập - Tự do - Hạnh phúc'],
        [''], ['', 'Phụ lục'], ['', 'BIỂU THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH'],
        ['', 'Quý I năm 2023'],
        ['', '(Kèm theo Báo cáo số 15/BC-UBND ngày 14/3/2023 của UBND huyện Ngân Sơn)'], ['']]
body = [[''] + r for r in rows[4:]]
write('titled.csv', to_csv(head + body).encode('utf-8'))
"""#

private struct Variants {
    let folder: URL
    static let shared: Variants? = {
        guard Run.pythonHas("csv") else { return nil }
        let folder = TestPaths.temporaryFolder("variants")
        guard let r = try? Run.python(variantScript, [Seed.csvPath, folder.path]), r.status == 0 else {
            Issue.record("variant script failed")
            return nil
        }
        return Variants(folder: folder)
    }()
    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
}

/// The values as a user compares them: what each row means, and its note.
private func meaning(_ a: Appendix) -> [String: String] {
    a.values.mapValues { v in "\(v.value)|\(v.note)" }
}

@Suite struct VariantTests {
    let original: Appendix
    init() throws {
        original = try TableLocator.locate(grid: try CSVReader.read(file: Seed.csvPath).grid, library: Seed.library)
    }

    @Test(arguments: [
        ("win1258-semicolon.csv", CSVEncoding.windows1258, Character(";")),
        ("utf16le-tabs.txt", .utf16LE, "\t"),
        ("utf8-bom.csv", .utf8BOM, ","),
        ("nfd.csv", .utf8, ","),
        ("lf-only.csv", .utf8, ","),
    ])
    func encodingVariantsReadTheSame(_ name: String, _ encoding: CSVEncoding, _ delimiter: Character) throws {
        let variants = try #require(Variants.shared)
        let doc = try CSVReader.read(file: variants.path(name))
        #expect(doc.encoding == encoding)
        #expect(doc.delimiter == delimiter)
        let a = try TableLocator.locate(grid: doc.grid, library: Seed.library)
        #expect(a.unmatched.isEmpty)
        #expect(meaning(a) == meaning(original))
        #expect(a.metadata.unit == "UBND huyện Ngân Sơn")
        #expect(a.value("r3_1_1").value == .status("Chưa có đánh giá kết quả"))
    }

    @Test func englishNumbersReadTheSame() throws {
        let variants = try #require(Variants.shared)
        let a = try TableLocator.locate(grid: try CSVReader.read(file: variants.path("english-numbers.csv")).grid,
                                        library: Seed.library)
        #expect(a.numberLocale == .en)
        #expect(a.number("r6_1_1")?.description == "136284")
        #expect(a.number("r6_1")?.description == "2.3")
        #expect(a.value("r6_1_1").raw == "136,284")
        #expect(meaning(a) == meaning(original))
        #expect(!a.readingFindings.contains { $0.rule == .ambiguousNumber })
    }

    @Test func reorderedColumnsWithExtrasReadTheSame() throws {
        let variants = try #require(Variants.shared)
        let a = try TableLocator.locate(grid: try CSVReader.read(file: variants.path("reordered.csv")).grid,
                                        library: Seed.library)
        #expect(a.unmatched.isEmpty)
        #expect(meaning(a) == meaning(original))
        // Value is now in column 2 (Số liệu moved to the second place).
        #expect(a.value("r6_1_1").location?.column == 2)
    }

    @Test func titleBlockAboveTheTable() throws {
        let variants = try #require(Variants.shared)
        let a = try TableLocator.locate(grid: try CSVReader.read(file: variants.path("titled.csv")).grid,
                                        library: Seed.library)
        #expect(meaning(a) == meaning(original))
        let m = a.metadata
        #expect(m.unit == "ỦY BAN NHÂN DÂN HUYỆN NGÂN SƠN")
        #expect(m.parentBody == "UBND TỈNH BẮC KẠN")
        #expect(m.period == Period(kind: .q1, year: 2023))
        #expect(m.reportNumber == "15/BC-UBND")
        #expect(m.reportDate == ReportDate(day: 14, month: 3, year: 2023))
        #expect(m.title == "BIỂU THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH")
        #expect(m.locations["period"]?.line == 6)
        #expect(m.locations["unit"]?.line == 2)
    }
}
