import AppendixModel
import FormSchema
import Foundation
import SheetGrid
import Support
@testable import TableLocator
import TestSupport
import Testing

/// The locator's fast paths (taken on every cell of every unit in a merge) must give the same
/// answers as the slow, general code they stand in for.
@Suite("Locator fast paths")
struct FastPathTests {
    /// Cleaning as the general code does it: NFC, markup removed, white space collapsed.
    static func fullClean(_ s: String) -> String {
        TextNormalization.collapseWhitespace(TextNormalization.stripMarkup(s.precomposedStringWithCanonicalMapping))
    }

    static let samples: [String] = [
        "Số văn bản chỉ đạo CCHC đã ban hành", "1.1", "Văn bản", "Chưa thực hiện", "STT", "",
        "  leading", "trailing ", "double  space", "tab\tinside", "line\nbreak", "nbsp\u{00A0}inside",
        "nel\u{0085}inside", "zero\u{200B}width", "bom\u{FEFF}x", "ideographic\u{3000}space", "ogham\u{1680}space",
        "<b>0</b>", "a < b", "Ho\u{0300}a (NFD)", "Hoà", "Hòa", "Ủy ban", "Uỷ ban", "ĐƠN VỊ", "Ǆ Ǳ", "Ωμέγα",
        "e\u{0301}", "emoji 🙂", "x\u{1E9E}y", "tiếng Việt: ằ ẳ ẵ ặ ỹ", "café", "©®", "(1)", "- lưu",
    ]

    @Test("a text the byte test calls clean is left exactly as the full cleaning leaves it")
    func isCleanAgreesWithFullCleaning() {
        for s in Self.samples {
            let expected = Self.fullClean(s)
            if InputRowReader.isClean(s) {
                #expect(expected == s && Array(expected.utf8) == Array(s.utf8), "\(s.debugDescription)")
            }
            #expect(InputRowReader.clean(.text(s)) == expected, "\(s.debugDescription)")
        }
    }

    @Test("texts that need cleaning are not taken as clean")
    func dirtyTextsAreNotClean() {
        for s in ["  leading", "trailing ", "double  space", "tab\tinside", "nbsp\u{00A0}inside", "nel\u{0085}inside",
                  "<b>0</b>", "Ho\u{0300}a (NFD)", "zero\u{200B}width", "ideographic\u{3000}space", "ogham\u{1680}space"] {
            #expect(!InputRowReader.isClean(s), "\(s.debugDescription)")
        }
        for s in ["Số văn bản chỉ đạo CCHC đã ban hành", "1.1", "Hoà", "Ủy ban", "ĐƠN VỊ", ""] {
            #expect(InputRowReader.isClean(s), "\(s.debugDescription)")
        }
    }

    @Test("row codes: groups of one to three ASCII digits joined by dots, a trailing dot dropped")
    func codes() {
        let cases: [(String, String?)] = [
            ("1", "1"), ("1.2", "1.2"), ("3.3.1", "3.3.1"), ("1.2.", "1.2"), ("1.2.3.4", "1.2.3.4"), ("100.1", "100.1"),
            ("1000", nil), ("1..2", nil), ("", nil), (".", nil), ("..", nil), ("a.1", nil), ("1.a", nil),
            ("\u{FF11}", nil), ("Trong đó", nil), (" 1", nil), ("1 ", nil), ("-1", nil), (".1", nil),
        ]
        for (text, expected) in cases {
            #expect(InputRowReader.code(from: text) == expected, "\(text.debugDescription)")
        }
    }

    @Test("date words are found as the regular expression ngày\\s*[0-9]*\\s*(tháng|/) finds them")
    func dateWords() throws {
        let regex = try NSRegularExpression(pattern: #"ngày\s*[0-9]*\s*(tháng|/)"#)
        let lines = [
            "ngân sơn, ngày 15 tháng 3 năm 2023", "ngày /3/2022", "ngày  15   tháng", "ngày15/3", "ngàytháng",
            "trong ngày làm việc", "ngày 1 2 tháng", "ngày", "(kèm theo báo cáo số 1/bc-ubnd ngày 15/3/2023 của ubnd)",
            "ngày\u{00A0}15\u{00A0}tháng 3", "ngay 15 thang 3", "ngày ngày 5/", "",
        ]
        for line in lines {
            let expected = regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
            #expect(MetadataReader.mentionsDate(line) == expected, "\(line.debugDescription)")
        }
    }

    @Test("footer lines are recognised from their opening words, whatever their case")
    func footers() {
        for t in ["Nơi nhận:", "NƠI NHẬN:", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "Người lập biểu", "- Lưu: VT", "Như trên;"] {
            #expect(InputRowReader.opensLikeFooter(t), "\(t)")
        }
        for t in ["Tổng số hồ sơ TTHC đã giải quyết xong", "Số TTHC cấp xã", "Tỷ lệ", "15", "", "Thực hiện"] {
            #expect(!InputRowReader.opensLikeFooter(t), "\(t)")
        }
    }

    /// Two forms with the same id and version but different rows (a form edited without a new
    /// version) must not share the locator's per-form index.
    @Test("forms with the same id and version but different rows are indexed apart")
    func formIndexKeyedByRows() throws {
        func form(_ label: String) -> FormDefinition {
            FormDefinition(id: "same-id", version: 1, title: "T", rows: [
                FormRow(id: "a", code: "1", label: "Nhóm", kind: .section),
                FormRow(id: "b", code: "1.1", label: label, unit: "Hồ sơ", kind: .count),
            ])
        }
        let first = form("Số hồ sơ đã tiếp nhận")
        let second = form("Số thủ tục đã công bố")
        let a = FormIndex.of(first), b = FormIndex.of(second)
        #expect(a !== b)
        #expect(FormIndex.of(first) === a)
        #expect(a.labels.rowIDs(matching: "Số hồ sơ đã tiếp nhận") == ["b"])
        #expect(b.labels.rowIDs(matching: "Số hồ sơ đã tiếp nhận").isEmpty)
        #expect(b.labels.rowIDs(matching: "số thủ tục đã công bố.") == ["b"])
    }

    @Test("a line's opening is lowercased byte by byte exactly as String.lowercased() lowercases it")
    func openingLowercaseAgreesWithTheStandardLibrary() {
        var handled = 0
        for v in UInt32(0)...0x1EFF {
            guard let scalar = Unicode.Scalar(v), let lower = MetadataReader.Opening.lowercase(v) else { continue }
            #expect(String(Character(scalar)).lowercased().unicodeScalars.map(\.value) == [lower], "U+\(String(v, radix: 16))")
            handled += 1
        }
        #expect(handled > 300)
        let prefixes = MetadataReader.bodyPrefixes + ["cộng hòa", "cộng hoà", "độc lập", "phụ lục", "số"]
        let lines = Self.samples + [
            "ỦY BAN NHÂN DÂN HUYỆN NGÂN SƠN", "UBND XÃ SỐ 001", "Uỷ ban nhân dân", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc", "PHỤ LỤC", "Số: 15/BC-UBND", "SỞ NỘI VỤ", "Đảng ủy xã", "ĐẢNG UỶ",
            "HĐND huyện", "İstanbul ủy ban", "Sở\u{0301} nội vụ", "xã", "XÃ ", "Hội đồng nhân dân tỉnh Bắc Kạn",
        ]
        for line in lines {
            let opening = MetadataReader.Opening(line)
            let lowered = String(line.prefix(MetadataReader.openingLength)).lowercased()
            for p in prefixes {
                #expect(opening.hasPrefix(p) == lowered.hasPrefix(p), "\(line.debugDescription) \(p)")
            }
        }
    }

    @Test("a line is lowercased whole whenever its lowercase holds theo or ngày")
    func referenceOrDateFilterMissesNothing() {
        let lines = Self.samples + [
            "(Kèm theo Báo cáo số 1/BC-UBND ngày 15/3/2023 của UBND Xã Số 001)", "(KÈM THEO BÁO CÁO)", "kèm THEO",
            "Ngân Sơn, ngày 15 tháng 3 năm 2023", "NGÀY 15/3", "nGàY", "Ngay 15/3", "ngày", "ng\u{0300}ay", "thêo",
            "theo", "THE O", "Quý I năm 2023",
        ]
        for line in lines {
            let scalars = Array(line.lowercased().unicodeScalars)
            func holds(_ word: String) -> Bool {
                let w = Array(word.unicodeScalars)
                return scalars.indices.contains { scalars[$0...].starts(with: w) }
            }
            if holds("theo") || holds("ngày") { #expect(MetadataReader.mayNameReferenceOrDate(line), "\(line.debugDescription)") }
        }
        #expect(!MetadataReader.mayNameReferenceOrDate("BIỂU THỐNG KÊ SỐ LIỆU"))
        #expect(!MetadataReader.mayNameReferenceOrDate("Quý I năm 2023"))
    }

    @Test("lines are lowercased as String.lowercased() lowercases them, on the fast path or not")
    func lowercasedAgreesWithTheStandardLibrary() {
        let lines = Self.samples + [
            "ỦY BAN NHÂN DÂN HUYỆN NGÂN SƠN", "(KÈM THEO BÁO CÁO SỐ 1/BC-UBND NGÀY 15/3/2023 CỦA UBND XÃ SỐ 001)",
            "İstanbul", "ǅ", "ΣΑΣ", "Ⅻ", "ＡＢＣ", "ẞ", "Ǆ", "Ĳ", "ÀÉÎÕÜ ĂĐĨŨƠƯ ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ",
        ]
        for line in lines {
            #expect(Array(TextNormalization.lowercased(line).unicodeScalars) == Array(line.lowercased().unicodeScalars),
                    "\(line.debugDescription)")
        }
    }
}

/// A table's key is hashed on a sample of its bytes; keys are still told apart by every byte.
@Suite("Table key")
struct TableKeyTests {
    @Test("keys that differ in one byte anywhere are different keys, equal bytes are equal keys")
    func everyByteCounts() {
        var random = SplitMix64(state: 0x7AB1E)
        for length in [0, 1, 100, 767, 768, 769, 1_000, 10_000] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let key = TableKey(bytes: bytes)
            #expect(key == TableKey(bytes: bytes))
            #expect(key.hashValue == TableKey(bytes: bytes).hashValue)
            // One byte changed at every position (every 7th on long keys): never equal, and a
            // dictionary keeps both.
            for i in stride(from: 0, to: length, by: length > 1_000 ? 7 : 1) {
                var other = bytes
                other[i] ^= 0x01
                let changed = TableKey(bytes: other)
                #expect(changed != key, "length \(length), byte \(i)")
                let both: [TableKey: Int] = [key: 1, changed: 2]
                #expect(both[key] == 1 && both[changed] == 2)
            }
            // A longer key with the same opening is another key.
            #expect(TableKey(bytes: bytes + [0]) != key)
        }
    }

    @Test("a table's key: the same rows give the same key, a changed label another")
    func keyOfRows() {
        let rowsA = [("1", "Số văn bản chỉ đạo CCHC đã ban hành"), ("1.1", "Văn bản")]
        func key(_ rows: [(String, String)]) -> TableKey {
            RowMatcher.key(rows.enumerated().map { i, r in
                InputRow(gridRow: GridRow(index: i, cells: []), position: i, code: r.0, marker: "", label: r.1, unit: "",
                         valueCell: nil, note: "")
            })
        }
        #expect(key(rowsA) == key(rowsA))
        #expect(key(rowsA) != key([("1", "Số văn bản chỉ đạo CCHC đã ban hành"), ("1.1", "Văn bản.")]))
        #expect(key(rowsA) != key([("1", "Số văn bản chỉ đạo CCHC đã ban hành"), ("1.2", "Văn bản")]))
        #expect(key([]) == key([]))
        #expect(key([]) != key([("", "")]))
        // A label split over two rows (a page break) is another table than the label printed whole,
        // and the key of the split row holds both its labels.
        var split = InputRow(gridRow: GridRow(index: 0, cells: []), position: 0, code: "1", marker: "",
                             label: "Số văn bản chỉ đạo", unit: "", valueCell: nil, note: "")
        split.absorb("CCHC đã ban hành", from: GridRow(index: 1, cells: []))
        let whole = key([("1", "Số văn bản chỉ đạo CCHC đã ban hành")])
        #expect(RowMatcher.key([split]) != whole)
        #expect(RowMatcher.key([split]) == RowMatcher.key([split]))
        let n = split.fullLabel.utf8.count, m = split.label.utf8.count
        #expect(RowMatcher.key([split]).bytes.count == 4 + 1 + 1 + 4 + n + 4 + m)
    }
}

/// `CellReference.a1` writes the common references' bytes at once; the same text as the column's
/// letters and the row's number joined.
@Test("cell references: letters and row number, every column to ZZ and beyond, rows at every length")
func cellReferencesAgreeWithLettersAndNumber() {
    func joined(_ row: Int, _ column: Int) -> String { CellReference.columnLetters(column) + String(row + 1) }
    var rows = Array(0..<1_200)
    var p = 1
    while p < 2_000_000_000 { rows += [p - 2, p - 1, p, p + 1]; p *= 10 }
    rows += [1_048_575, 999_999_997, 999_999_998, 999_999_999, Int(Int32.max)]
    for column in 0..<760 {
        for row in rows where row >= 0 {
            let text = CellReference.a1(row: row, column: column)
            if text != joined(row, column) {
                Issue.record("row \(row), column \(column): \(text), expected \(joined(row, column))")
                return
            }
        }
    }
    #expect(CellReference.a1(row: 0, column: 0) == "A1")
    #expect(CellReference.a1(row: 22, column: 3) == "D23")
    #expect(CellReference.a1(row: 1_048_575, column: 16_383) == "XFD1048576")
    #expect(CellReference.a1(row: 9, column: 701) == "ZZ10")
    #expect(CellReference.a1(row: 9, column: 702) == "AAA10")
}

/// The locator keeps the readings of the last few number formats of a table: the same answers
/// as the shared memo for any sequence of formats (seeded random draws from eight formats, so
/// formats come back after being pushed out).
@Test("recent number formats read as the shared memo reads them")
func recentNumberFormatsAgreeWithTheMemo() {
    let formats: [String?] = [nil, "General", "0", "0.00", "0.0%", "0%", "#,##0", "0.000%", "#,##0.00"]
    var recent = TableLocator.NumberFormatMemo.Recent()
    var random = SplitMix64(state: 0xF0_4A_75)
    var percents = 0
    for _ in 0..<5_000 {
        let style = CellStyle(numberFormat: random.pick(formats))
        let got = recent.reading(style)
        let expected = TableLocator.NumberFormatMemo.reading(style)
        #expect(got.percent == expected.percent && got.decimals == expected.decimals, "\(style.numberFormat ?? "nil")")
        if got.percent { percents += 1 }
    }
    #expect(recent.formats.count == TableLocator.NumberFormatMemo.Recent.slots)
    #expect(percents > 0)
    // The formats' own readings, as a user sees them.
    let pct = recent.reading(CellStyle(numberFormat: "0.00%"))
    #expect(pct.percent && pct.decimals == 2)
    let count = recent.reading(CellStyle(numberFormat: "#,##0"))
    #expect(!count.percent && count.decimals == 0)
}

/// `opensLikeFooter` lowercases the opening scalar by scalar: the same answers as lowercasing it
/// with `String.lowercased`, on every footer opening in three casings, with and without text after
/// it, on the shipped form's labels, and on texts with letters outside the table (Greek, Turkish).
@Test("footer openings lowercased by scalar agree with String.lowercased")
func footerOpeningsAgreeWithLowercasing() throws {
    let form = try FormLoader.load(file: TestPaths.templates.appendingPathComponent("cchc-2023/form.yaml").path)
    var texts = form.rows.flatMap(\.acceptedLabels)
    for p in InputRowReader.footerPrefixes {
        for v in [p, p.uppercased(), p.prefix(1).uppercased() + p.dropFirst()] {
            texts += [v, v + " UBND huyện", v + "Σ", "  " + v, String(v.dropLast()), v + "\u{301}x"]
        }
    }
    texts += ["", "T", "TM", "Tm.", "KT. CHỦ TỊCH", "NƠI NHẬN:", "Nơi nhận", "THỦ TRƯỞNG ĐƠN VỊ", "ΣΑΣ", "TİM", "tm.Σ",
              "Người lập biểu", "NGƯỜI LẬP BIỂU", "Trong đó", "Thủ tục hành chính", "Chủ tịch UBND", "Ghi chú: số liệu",
              "Lưu: VT", "LƯU VT", "(Ký tên, đóng dấu)", "Xác nhận của thủ trưởng"]
    var footers = 0
    for t in texts {
        let expected: Bool = {
            guard let f = t.utf8.first, f < 0x80 else { return false }
            let second = t.utf8.dropFirst().first ?? 0
            guard InputRowReader.footerOpenings.contains(InputRowReader.footerOpening(f, second)) else { return false }
            return InputRowReader.opensLikeFooterByLowercasing(t)
        }()
        #expect(InputRowReader.opensLikeFooter(t) == expected, "«\(t)»")
        if expected { footers += 1 }
    }
    #expect(footers > 3 * InputRowReader.footerPrefixes.count)
    #expect(InputRowReader.opensLikeFooter("KT. CHỦ TỊCH"))
    #expect(!InputRowReader.opensLikeFooter("Thủ tục hành chính"))
}
