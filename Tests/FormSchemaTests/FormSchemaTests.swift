@testable import FormSchema
import Foundation
import Support
import Testing
import TestSupport

private let shippedPath = TestPaths.templates.appendingPathComponent("cchc-2023/form.yaml").path

/// Codes compared as paths: 4.6 < 4.6.1 < 4.10.
private func codeLess(_ a: String, _ b: String) -> Bool {
    let x = a.split(separator: ".").map { Int($0) ?? 0 }, y = b.split(separator: ".").map { Int($0) ?? 0 }
    return x.lexicographicallyPrecedes(y)
}

@Suite struct ShippedFormTests {
    let form: FormDefinition
    init() throws { form = try FormLoader.load(file: shippedPath) }

    @Test func loadsWithAllRows() throws {
        #expect(form.id == "cchc-2023")
        #expect(form.rows.count == 121)
        // Independent count: rows in the YAML are list items with an `id:` key.
        let yaml = try String(contentsOfFile: shippedPath, encoding: .utf8)
        let listed = yaml.split(separator: "\n").filter {
            let t = $0.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("- {id:") || t.hasPrefix("- id:")
        }.count
        #expect(listed == 121)
    }

    @Test func everyRatioHasItsParts() {
        for r in form.rows where r.numerator != nil || r.denominator != nil {
            #expect(r.kind == .ratio, "\(r.id)")
            #expect(form.row(r.numerator!) != nil, "\(r.id) numerator")
            #expect(form.row(r.denominator!) != nil, "\(r.id) denominator")
        }
        #expect(form.row("r6_1")?.numerator == "r6_1_2")
        #expect(form.row("r3_3_1")?.denominator == "r3_3_1_tong")
    }

    @Test func codesAreInOrder() {
        let codes = form.rows.map(\.code).filter { !$0.isEmpty }
        for (a, b) in zip(codes, codes.dropFirst()) {
            #expect(a == b || codeLess(a, b), "\(a) before \(b)")
        }
        // 4.6 is printed twice: the group, then its first item.
        #expect(form.rows(withCode: "4.6").map(\.id) == ["r4_6", "r4_6_giao"])
        #expect(form.row("r4_6_giao")?.label == "Tổng số người làm việc được giao")
    }

    @Test func subRowsHaveParents() {
        for r in form.rows where r.code.isEmpty {
            #expect(r.parent != nil, "\(r.id)")
        }
        #expect(form.displayCode(of: "r3_3_2_tong") == "3.3.2")
        #expect(form.row("r3_1_4_huyen")?.marker == "Trong đó")
    }

    @Test func libraryFindsIt() throws {
        let lib = try FormLibrary.load(extraFolders: [TestPaths.templates.path])
        #expect(lib.form("cchc-2023") != nil)
        let error = #expect(throws: BieuMauError.self) { try lib.require("khong-co") }
        #expect(error?.message.vi.contains("cchc-2023") == true)
    }
}

@Suite struct FormLoaderErrorTests {
    /// A small valid form; each test breaks one thing.
    static let valid = """
    form: test-form
    version: 1
    title: Biểu thử
    rows:
      - {id: s1, code: "1", kind: section, label: "Phần một"}
      - id: r1_1
        code: "1.1"
        kind: ratio
        unit: "%"
        label: Tỷ lệ
        numerator: r1_1_a
        denominator: r1_1_b
      - {id: r1_1_a, parent: r1_1, kind: count, label: "Tử số"}
      - {id: r1_1_b, parent: r1_1, kind: count, label: "Mẫu số"}
    """

    func error(_ yaml: String) -> BieuMauError? {
        #expect(throws: BieuMauError.self) { try FormLoader.parse(yaml: yaml, file: "broken.yaml") }
    }

    @Test func validFormLoads() throws {
        let f = try FormLoader.parse(yaml: Self.valid, file: "ok.yaml")
        #expect(f.rows.count == 4)
        #expect(f.row("r1_1")?.parent == "s1")
    }

    @Test func yamlSyntaxError() {
        let e = error(Self.valid.replacingOccurrences(of: "label: Tỷ lệ", with: "label: [Tỷ lệ"))
        #expect(e?.status == .dataError)
        #expect(e?.message.vi.contains("broken.yaml") == true)
        #expect(e?.message.vi.contains("dòng") == true)
    }

    @Test func unknownKeyNamesItsLine() {
        let e = error(Self.valid.replacingOccurrences(of: "    unit: \"%\"", with: "    unit: \"%\"\n    colour: red"))
        #expect(e?.message.vi.contains("dòng 10") == true, "\(e?.message.vi ?? "")")
        #expect(e?.message.vi.contains("colour") == true)
    }

    @Test func unknownKind() {
        let e = error(Self.valid.replacingOccurrences(of: "kind: section", with: "kind: heading"))
        #expect(e?.message.vi.contains("dòng 5") == true, "\(e?.message.vi ?? "")")
        #expect(e?.message.vi.contains("heading") == true)
    }

    @Test func danglingNumerator() {
        let e = error(Self.valid.replacingOccurrences(of: "numerator: r1_1_a", with: "numerator: r9_9"))
        #expect(e?.message.vi.contains("r9_9") == true)
        #expect(e?.message.vi.contains("dòng 6") == true, "\(e?.message.vi ?? "")")
    }

    @Test func duplicateID() {
        let e = error(Self.valid.replacingOccurrences(of: "{id: r1_1_b,", with: "{id: r1_1_a,"))
        #expect(e?.message.vi.contains("r1_1_a") == true)
        #expect(e?.message.vi.contains("dòng 14") == true, "\(e?.message.vi ?? "")")
    }

    @Test func formIDs() throws {
        for good in ["a", "test-form", "cchc-2023", "x.y_z-1", "9"] {
            let f = try FormLoader.parse(yaml: Self.valid.replacingOccurrences(of: "form: test-form", with: "form: \"\(good)\""), file: "ok.yaml")
            #expect(f.id == good)
        }
        for bad in ["-a", "Test", "a b", "tờ", ".x", "a/b", "_a", "a!"] {
            let e = error(Self.valid.replacingOccurrences(of: "form: test-form", with: "form: \"\(bad)\""))
            #expect(e?.message.vi.contains("mã biểu mẫu") == true, "\(bad)")
        }
    }

    @Test func missingLabel() {
        let e = error(Self.valid.replacingOccurrences(of: ", label: \"Mẫu số\"", with: ""))
        #expect(e?.message.vi.contains("label") == true)
        #expect(e?.message.vi.contains("dòng 14") == true, "\(e?.message.vi ?? "")")
    }
}

@Suite struct LabelKeyTests {
    @Test func spellingsThatAreTheSame() {
        #expect(LabelKey.same("Hòa", "Hoà"))
        #expect(LabelKey.same("Ủy ban nhân dân", "Uỷ ban nhân dân"))
        #expect(LabelKey.same("Hòa Bình", "Ho\u{0300}a Bi\u{0300}nh"))  // NFD
        #expect(LabelKey.same("SỐ TTHC CÔNG BỐ MỚI", "Số TTHC công bố mới"))
        #expect(LabelKey.same("Số  TTHC\n công bố   mới ", "Số TTHC công bố mới"))
        #expect(LabelKey.same("<i>Số TTHC cấp xã</i>", "Số TTHC cấp xã"))
        #expect(LabelKey.same("(lũy kế đến thời điểm báo cáo )", "(lũy kế đến thời điểm báo cáo)"))
    }

    @Test func differentLabelsDiffer() {
        #expect(!LabelKey.same("Số TTHC cấp xã", "Số TTHC cấp huyện"))
        #expect(!LabelKey.same("Hòa", "Hóa"))
        #expect(!LabelKey.same("Tổng số hồ sơ", "Tổng số hồ sơ TTHC"))
        #expect(!LabelKey.same("mức độ 3", "mức độ 4"))
    }

    @Test func rowsMatchTheirVariants() throws {
        let form = try FormLoader.load(file: shippedPath)
        let r = try #require(form.row("r1_1"))
        #expect(r.matchesLabel("Số văn bản chỉ đạo CCHC đã ban hành"))
        #expect(r.matchesLabel("Số văn bản chỉ đạo CCHC đã ban hành (kết luận, chỉ thị, công văn chỉ đạo, quán triệt)"))
        #expect(!r.matchesLabel("Số văn bản"))
    }
}

/// The per-character label keys agree with whole-word normalisation on every label of the shipped
/// form, in NFC and NFD, upper case, old tone placement and with stray punctuation.
@Suite struct LabelKeyFastPathTests {
    @Test func perCharacterKeysEqualWholeWordKeys() throws {
        let form = try FormLoader.load(file: TestPaths.templates.appendingPathComponent("cchc-2023/form.yaml").path)
        var labels = form.rows.flatMap { [$0.label] + $0.variants + [$0.unit] } + form.statusTexts
        labels += ["Hoà bình, Thuỷ lợi; Uỷ ban (HÒA)", "  «Ủy ban»  nhân dân…  ", "x\u{0301}y", "a\u{0323}\u{0302}", "\u{0301}", "(", "đ.Đ"]
        #expect(labels.count > 250)
        var checked = 0
        for label in labels {
            for variant in [label, label.decomposedStringWithCanonicalMapping, label.uppercased(), label + "."] {
                #expect(LabelKey.makeUncached(variant) == LabelKey.makeByWords(variant), "\(variant)")
                checked += 1
            }
        }
        #expect(checked == labels.count * 4)
    }
}

/// The NFC quick check only skips text that Foundation's normalisation would leave byte for byte.
@Suite struct NFCQuickCheckTests {
    @Test func quickCheckAgreesWithFoundation() throws {
        var samples = ["", "abc", "Hoà bình", "Ủy ban → cấp xã ≤ 10 … ─── “trích” – ‰", "→\u{0338}", "=\u{0338}",
                       "Ho\u{0300}a", "e\u{0301}", "Ω", "\u{2126}", "\u{212B}", "\u{2000}", "\u{2329}", "한국", "\u{1100}\u{1161}",
                       "x\u{1E9E}y", "emoji 🙂", "ǅ"]
        for range in [0x2010...0x2027, 0x2030...0x205E, 0x2190...0x22FF, 0x2500...0x257F, 0x1E00...0x1EFF, 0x00A0...0x02FF] {
            for v in range {
                let c = String(Character(Unicode.Scalar(UInt32(v))!))
                samples.append(c)
                samples.append("a" + c + "ơ")
            }
        }
        var skipped = 0
        for s in samples where TextNormalization.isCertainlyNFC(s) {
            let full = s.precomposedStringWithCanonicalMapping
            #expect(Array(full.utf8) == Array(s.utf8), "\(s.debugDescription)")
            skipped += 1
        }
        for s in ["→\u{0338}", "Ho\u{0300}a", "\u{2126}", "\u{212B}", "\u{2000}", "\u{2329}", "\u{1100}\u{1161}"] {
            #expect(!TextNormalization.isCertainlyNFC(s), "\(s.debugDescription)")
            #expect(TextNormalization.nfc(s) == s.precomposedStringWithCanonicalMapping)
            #expect(Array(TextNormalization.nfc(s).utf8) == Array(s.precomposedStringWithCanonicalMapping.utf8))
        }
        #expect(skipped > 2000)
    }
}

/// The scalar-table path gives the same keys as the whole-word reference, and the ASCII shortcut
/// of the loose key agrees with the character set.
@Suite struct LabelKeyScalarTableTests {
    @Test func scalarKeysEqualWholeWordKeys() throws {
        var labels = ["Tỷ lệ (%)", "  Số TTHC; cấp xã. ", "ĐƯỢC “đánh giá” – ≤ 10…", "a\u{0001}b", "x . y", "...", "Ǆ ǅ ǆ", "ß ẞ",
                      "ư ơ ă â ê ô đ Ư Ơ Ă Â Ê Ô Đ", "ÀÁẢÃẠ àáảãạ", "İstanbul", "ȺȾ ẞ", "ĐỒNG HỒ ĐIỆN TỬ", "𐐀 Ω ω", "© ® ° ± ² µ ¶ · ¿ × ÷"]
        for v in 0x20...0x24F { labels.append("a" + String(Unicode.Scalar(UInt32(v))!) + "b c" + String(Unicode.Scalar(UInt32(v))!)) }
        for v in 0x1E00...0x1EFF {
            let c = String(Unicode.Scalar(UInt32(v))!)
            labels.append("(" + c + "n) " + c + " x" + c)
        }
        for label in labels {
            #expect(LabelKey.makeUncached(label) == LabelKey.makeByWords(label), "\(label.debugDescription)")
            #expect(Array(LabelKey.makeUncached(label).utf8) == Array(LabelKey.makeByWords(label).utf8), "\(label.debugDescription)")
            let looseByWords = String(String.UnicodeScalarView(LabelKey.makeByWords(label).unicodeScalars.filter {
                CharacterSet.alphanumerics.contains($0) || $0 == "#"
            }))
            #expect(Array(LabelKey.loose(label).utf8) == Array(looseByWords.utf8), "\(label.debugDescription)")
        }
        for v in Array(0...0x24F) + Array(0x1E00...0x1EFF) + [0x2013, 0x0301, 0x00AD, 0x10400] {
            let c = Unicode.Scalar(UInt32(v))!
            #expect(LabelKey.isLoose(c) == (CharacterSet.alphanumerics.contains(c) || c == "#"), "\(v)")
        }
    }
}

/// `LabelKey.same` compares the loose keys alone: the same answers as "equal keys, or equal loose
/// keys" (its definition) on every pair of the shipped form's labels, variants, status and yes/no
/// texts, and those texts changed in case, punctuation, spacing, tones and markup.
@Test func sameLabelsByLooseKeysAgreeWithKeysOrLooseKeys() throws {
    let form = try FormLoader.load(file: shippedPath)
    var texts = form.rows.flatMap(\.acceptedLabels) + form.statusTexts + form.yesTexts + form.noTexts
        + form.rows.flatMap(\.choices) + ["", " ", "Có", "có", "CÓ", "Co", "Không", "không.", "x", "-", "1.234", "50%"]
    texts += texts.prefix(60).flatMap { t in
        [t.uppercased(), t.lowercased(), t + ".", "(" + t + ")", t.replacingOccurrences(of: " ", with: "  "),
         t.replacingOccurrences(of: ",", with: ""), "<b>\(t)</b>", t.replacingOccurrences(of: "ả", with: "ã"),
         t.decomposedStringWithCanonicalMapping]
    }
    var same = 0, compared = 0
    for a in texts {
        for b in texts.prefix(150) {
            let expected = LabelKey.make(a) == LabelKey.make(b) || LabelKey.loose(a) == LabelKey.loose(b)
            #expect(LabelKey.same(a, b) == expected, "«\(a)» «\(b)»")
            compared += 1
            if expected { same += 1 }
        }
    }
    #expect(compared > 50_000)
    #expect(same > texts.count / 2)
    #expect(LabelKey.same("Có", "có"))
    #expect(!LabelKey.same("Có", "Không"))
}
