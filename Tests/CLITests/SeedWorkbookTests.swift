import Foundation
import Testing
import TestSupport

/// The main job end to end, as a district official would check it: the seed CSV converted, then the
/// workbook opened by two other readers and compared, row by row, with the CSV itself.
@Suite("convert: the seed workbook, read back by openpyxl and python-calamine")
struct SeedWorkbookTests {
    static let seed = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path
    static let flags = ["--unit", "ỦY BAN NHÂN DÂN HUYỆN NGÂN SƠN", "--parent", "UBND TỈNH BẮC KẠN",
                        "--period", "Quý I/2023", "--force"]

    /// Parses the CSV with Python's csv module and its own reading of Vietnamese numbers (not
    /// bieumau's), reads the workbook with the named reader, and prints every disagreement.
    static let compare = #"""
import csv, re, sys
from decimal import Decimal
src, xlsx, reader = sys.argv[1:4]

def norm(s):
    s = re.sub(r'<[^>]+>', '', s or '')
    s = re.sub(r'\s+', ' ', s).strip()
    return s.replace('( ', '(').replace(' )', ')')

# The CSV's table rows: after the first STT header, without repeated headers and without
# label-only continuation rows (a label broken across a page), whose text joins the row above.
rows = list(csv.reader(open(src, encoding='utf-8', newline='')))
start = next(i for i, r in enumerate(rows) if r and r[0] == 'STT')
table = []
for r in rows[start:]:
    r = (r + [''] * 5)[:5]
    if r[0] == 'STT' or (r[2] == 'Đơn vị tính' and r[3] == 'Số liệu'):
        continue
    if not r[0] and not r[2] and not r[3] and not r[4] and table:
        prev = table[-1]
        if not norm(prev[1]).endswith(norm(r[1])):
            prev[1] = prev[1] + ' ' + r[1]
        continue
    table.append(r)

def vn_number(text, percent_row):
    t = norm(text)
    pct = t.endswith('%')
    t = t.rstrip('%').strip().replace('.', '').replace(',', '.')
    v = Decimal(t)
    return v / 100 if (pct or percent_row) else v

if reader == 'openpyxl':
    import openpyxl
    ws = openpyxl.load_workbook(xlsx, data_only=True).worksheets[0]
    data = [[c.value for c in row] for row in ws.iter_rows()]
else:
    from python_calamine import CalamineWorkbook
    data = CalamineWorkbook.from_path(xlsx).get_sheet_by_index(0).to_python()
head = next(i for i, r in enumerate(data) if r and r[0] == 'STT')
body = [list(r) + [None] * 5 for r in data[head + 2:]]
body = [r for r in body if any(v not in (None, '') for v in r[:5])]

problems = []
if len(body) != len(table):
    problems.append(f'{len(body)} workbook rows for {len(table)} CSV rows')
for n, (c, w) in enumerate(zip(table, body)):
    code, label, unit, value, note = c
    wcode, wlabel, wunit, wvalue, wnote = w[:5]
    where = f'CSV row {n} ({code or label[:30]})'
    if norm(code) != norm(str(wcode or '')): problems.append(f'{where}: code {code!r} vs {wcode!r}')
    if norm(label) != norm(wlabel): problems.append(f'{where}: label {label!r} vs {wlabel!r}')
    if norm(unit) != norm(wunit): problems.append(f'{where}: unit {unit!r} vs {wunit!r}')
    if norm(note) != norm(wnote): problems.append(f'{where}: note {note!r} vs {wnote!r}')
    v = norm(value)
    if v == '':
        if wvalue not in (None, ''): problems.append(f'{where}: blank value written as {wvalue!r}')
    elif re.fullmatch(r'[0-9.,]+ ?%?', v):
        expected = vn_number(v, norm(unit) == '%')
        if isinstance(wvalue, str) or wvalue is None or abs(Decimal(str(wvalue)) - expected) > Decimal('1e-9'):
            problems.append(f'{where}: value {value!r} (= {expected}) vs {wvalue!r}')
    elif norm(str(wvalue)) != v:
        problems.append(f'{where}: text {value!r} vs {wvalue!r}')
print(len(table))
for p in problems:
    print(p)
"""#

    @Test(.enabled(if: Tools.python("openpyxl", "python_calamine"), "needs python3 with openpyxl and python-calamine"))
    func everyCodeLabelUnitValueAndStatusTextMatchesTheCSV() throws {
        let dir = TestPaths.temporaryFolder("seed-workbook")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("phu-luc.xlsx").path
        let r = try Run.bieumau(["convert", Self.seed, "-o", out] + Self.flags)
        #expect(r.status == 0, "\(r.stderr)")
        for reader in ["openpyxl", "calamine"] {
            let py = try Run.python(Self.compare, [Self.seed, out, reader])
            #expect(py.status == 0, "\(reader): \(py.stderr)")
            let lines = py.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "121", "\(reader) compared \(lines.first ?? "nothing")")
            #expect(Array(lines.dropFirst()) == [], "\(reader) disagrees with the CSV")
        }
    }

    /// The same appendix saved the ways offices save it must give the same workbook.
    static let variants = #"""
import csv, io, os, sys, unicodedata
src, out = sys.argv[1], sys.argv[2]
text = open(src, encoding='utf-8').read()
rows = list(csv.reader(io.StringIO(text, newline='')))
def to_csv(rows, delimiter=','):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator='\r\n').writerows(rows)
    return buf.getvalue()
TONES = {'\u0300', '\u0301', '\u0303', '\u0309', '\u0323'}
def cp1258(s):
    # As Windows writes it: letters cp1258 has stay precomposed, tone marks become combining bytes.
    b = bytearray()
    for ch in s:
        try:
            b += ch.encode('cp1258')
        except UnicodeEncodeError:
            d = unicodedata.normalize('NFD', ch)
            base = unicodedata.normalize('NFC', ''.join(c for c in d if c not in TONES))
            b += (base + ''.join(c for c in d if c in TONES)).encode('cp1258')
    return bytes(b)
def english(v):
    return {'2,30': '2.30', '136.284': '136,284', '3.135': '3,135'}.get(v.strip(), v)
files = {
    'windows-1258-semicolon.csv': cp1258(to_csv(rows, ';')),
    'utf-16-tab.txt': b'\xff\xfe' + to_csv(rows, '\t').encode('utf-16-le'),
    'utf-8-bom.csv': b'\xef\xbb\xbf' + text.encode('utf-8'),
    'nfd.csv': unicodedata.normalize('NFD', text).encode('utf-8'),
    'english-numbers.csv': to_csv([r[:3] + [english(r[3])] + r[4:] if len(r) > 3 else r for r in rows]).encode('utf-8'),
}
for name, data in files.items():
    open(os.path.join(out, name), 'wb').write(data)
    print(name)
"""#

    static let cells = #"""
import sys
from python_calamine import CalamineWorkbook
wb = CalamineWorkbook.from_path(sys.argv[1])
for name in wb.sheet_names:
    for row in wb.get_sheet_by_name(name).to_python():
        print(name, [str(v) for v in row])
"""#

    @Test(.enabled(if: Tools.python("python_calamine"), "needs python3 with python-calamine"))
    func csvVariantsGiveTheSameWorkbook() throws {
        let dir = TestPaths.temporaryFolder("seed-variants")
        defer { try? FileManager.default.removeItem(at: dir) }
        let made = try Run.python(Self.variants, [Self.seed, dir.path])
        #expect(made.status == 0, "\(made.stderr)")
        let names = made.stdout.split(separator: "\n").map(String.init)
        #expect(names.count == 5)
        let reference = dir.appendingPathComponent("seed.xlsx").path
        #expect(try Run.bieumau(["convert", Self.seed, "-o", reference] + Self.flags).status == 0)
        let expected = try Run.python(Self.cells, [reference]).stdout
        #expect(expected.contains("136284"))
        for name in names {
            let out = dir.appendingPathComponent(name + ".xlsx").path
            let r = try Run.bieumau(["convert", dir.appendingPathComponent(name).path, "-o", out] + Self.flags)
            #expect(r.status == 0, "\(name): \(r.stderr)")
            let got = try Run.python(Self.cells, [out]).stdout
            #expect(got == expected, "\(name) gives another workbook")
        }
    }
}
