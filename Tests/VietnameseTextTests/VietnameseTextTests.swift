import Foundation
import Testing
import TestSupport
@testable import VietnameseText

@Suite("TCVN3 and VNI to Unicode")
struct VietnameseTextTests {
    /// Every letter of the alphabet with every tone, lower case.
    static let lower = VietnameseText.alphabet
    static let upper = VietnameseText.alphabet.map { $0.uppercased() }

    @Test func alphabetIsComplete() {
        // 12 vowels × 6 tones + đ, each one precomposed character.
        #expect(Self.lower.count == 73)
        #expect(Set(Self.lower).count == 73)
        #expect(Self.lower.allSatisfy { $0.unicodeScalars.count == 1 })
        #expect(Self.upper.allSatisfy { $0.unicodeScalars.count == 1 && $0 != $0.lowercased() })
    }

    // MARK: TCVN3

    /// glibc's TCVN5712-1 (VN1, a superset of the ABC fonts' VN3) decodes each TCVN3 code to the
    /// same letter: a second, independent mapping.
    @Test(.enabled(if: Tools.programs("iconv"), "needs iconv"))
    func tcvn3AgreesWithGlibc() throws {
        for letter in Self.lower + ["Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"] {
            let bytes = try #require(VietnameseText.encodeTCVN3(letter), "\(letter)")
            #expect(bytes.count == 1, "\(letter)")
            guard bytes.first.map({ $0 >= 0x80 }) == true else { continue }
            let r = try Run.process("/usr/bin/env", ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], stdin: Data(bytes))
            #expect(r.status == 0)
            #expect(r.stdout.precomposedStringWithCanonicalMapping == letter, "0x\(String(bytes[0], radix: 16)) → \(r.stdout) ≠ \(letter)")
        }
    }

    @Test func tcvn3DecodesEveryLetterAndTone() throws {
        for letter in Self.lower {
            let bytes = try #require(VietnameseText.encodeTCVN3(letter))
            #expect(VietnameseText.decode(bytes, from: .tcvn3) == letter)
        }
        // Capitals with tones have no codes of their own: typed in the …H fonts with the
        // lower-case codes; a word of capitals gets capital tones.
        for letter in Self.upper {
            let bytes = try #require(VietnameseText.encodeTCVN3(letter))
            let word = [UInt8(ascii: "T")] + bytes + [UInt8(ascii: "N")]
            #expect(VietnameseText.decode(word, from: .tcvn3) == "T" + letter + "N", "\(letter)")
            // As Word stores a run in .VnTimeH: the Windows-1252 reading of the bytes.
            let stored = String(String.UnicodeScalarView(bytes.map { Windows1252.scalar(for: $0) }))
            let inCapitalFont = VietnameseText.convertFontText(stored, from: .tcvn3, font: ".VnTimeH")
            #expect(inCapitalFont == letter, "\(letter) in .VnTimeH")
        }
    }

    @Test func tcvn3KnownSamples() {
        // Bytes from the TCVN3 column of published converter tables (0xAD = ư, 0xF1 = ủ …).
        #expect(VietnameseText.decode([0x6E, 0x67, 0xAD, 0xEA, 0x69], from: .tcvn3) == "người")
        #expect(VietnameseText.decode([0x63, 0xF1, 0x61], from: .tcvn3) == "của")
        #expect(VietnameseText.decode([0x42, 0x49, 0xD3, 0x55, 0x20, 0x54, 0x48, 0xE8, 0x4E, 0x47], from: .tcvn3) == "BIỂU THỐNG")
        #expect(VietnameseText.decode([0xA7, 0x56, 0x53, 0x4E], from: .tcvn3) == "ĐVSN")
        // As Word stores it for a run in .VnTime: the Windows-1252 reading of the bytes.
        #expect(VietnameseText.convertFontText("Sè v¨n b¶n", from: .tcvn3, font: ".VnTime") == "Số văn bản")
    }

    // MARK: VNI

    @Test func vniDecodesEveryLetterAndToneInBothCases() throws {
        for letter in Self.lower + Self.upper {
            let bytes = try #require(VietnameseText.encodeVNI(letter), "\(letter)")
            #expect(VietnameseText.decode(bytes, from: .vni) == letter, "\(letter): \(bytes)")
            // Letters and marks are single bytes, or a base letter and one mark byte.
            #expect(bytes.count <= 2)
        }
    }

    @Test func vniKnownSamples() {
        // The VNI-Windows column of published converter tables, and the sample in the
        // vietnamese-conversion package's documentation.
        func latin1(_ s: String) -> [UInt8] { s.unicodeScalars.map { UInt8($0.value) } }
        #expect(VietnameseText.decode(latin1("Xin chaøo caùc baïn"), from: .vni) == "Xin chào các bạn")
        #expect(VietnameseText.encodeVNI("Xin chào các bạn") == latin1("Xin chaøo caùc baïn"))
        #expect(VietnameseText.encodeVNI("à") == [0x61, 0xF8])
        #expect(VietnameseText.encodeVNI("Ặ") == [0x41, 0xCB])
        #expect(VietnameseText.encodeVNI("ư") == [0xF6])
        #expect(VietnameseText.encodeVNI("ờ") == [0xF4, 0xF8])
        #expect(VietnameseText.encodeVNI("Ỵ") == [0xCE])
        #expect(VietnameseText.encodeVNI("ố") == [0x6F, 0xE1])
        #expect(VietnameseText.decode(latin1("ngöôøi Vieät"), from: .vni) == "người Việt")
        #expect(VietnameseText.convertFontText("Ñoàng", from: .vni) == "Đồng")
    }

    // MARK: Detection

    static let sample = "Số văn bản chỉ đạo CCHC đã ban hành; Tỷ lệ hồ sơ TTHC được giải quyết đúng hạn; BIỂU THỐNG KÊ SỐ LIỆU"

    @Test func detectsEachEncodingFromItsBytes() throws {
        let tcvn = try #require(VietnameseText.encodeTCVN3(Self.sample))
        let vni = try #require(VietnameseText.encodeVNI(Self.sample))
        #expect(VietnameseText.detect(bytes: tcvn, windows1258: String(decoding: tcvn.map { $0 }, as: UTF8.self)) == .tcvn3)
        #expect(VietnameseText.detect(bytes: vni, windows1258: nil) == .vni)
        #expect(VietnameseText.decode(tcvn, from: .tcvn3) == Self.sample)
        #expect(VietnameseText.decode(vni, from: .vni) == Self.sample)
        // Plain ASCII is nothing to convert.
        #expect(VietnameseText.detect(bytes: Array("STT,Chi tieu".utf8), windows1258: "STT,Chi tieu") == nil)
    }

    @Test(.enabled(if: Tools.python("codecs"), "needs python3"))
    func windows1258TextIsNotTakenForALegacyFont() throws {
        // The same sentence in Windows-1258 (Python's cp1258 codec), as Excel on Vietnamese
        // Windows saves a CSV.
        let file = TestPaths.temporaryFolder("vn").appendingPathComponent("cp1258.bin")
        let w = try Run.python("import sys, unicodedata; open(sys.argv[2], 'wb').write(unicodedata.normalize('NFD', sys.argv[1]).encode('cp1258', 'ignore'))",
                               [Self.sample, file.path])
        #expect(w.status == 0, "\(w.stderr)")
        let raw = [UInt8](try Data(contentsOf: file))
        #expect(raw.contains { $0 >= 0x80 })
        #expect(VietnameseText.detect(bytes: raw, windows1258: Self.sample) == nil)
    }

    @Test func fontNamesSelectTheEncoding() {
        #expect(VietnameseText.encoding(ofFont: ".VnTime") == .tcvn3)
        #expect(VietnameseText.encoding(ofFont: ".VnArialH") == .tcvn3)
        #expect(VietnameseText.isCapitalFont(".VnTimeH"))
        #expect(!VietnameseText.isCapitalFont(".VnTime"))
        #expect(VietnameseText.encoding(ofFont: "VNI-Times") == .vni)
        #expect(VietnameseText.encoding(ofFont: "Times New Roman") == nil)
        #expect(VietnameseText.encoding(ofFont: "Arial") == nil)
    }

    @Test func fontTextDetectedByStatistics() throws {
        let tcvn = try #require(VietnameseText.encodeTCVN3("Tổng số hồ sơ đã giải quyết xong"))
        let asStored = String(String.UnicodeScalarView(tcvn.map { Windows1252.scalar(for: $0) }))
        #expect(VietnameseText.detect(fontText: asStored) == .tcvn3)
        #expect(VietnameseText.detect(fontText: "Tổng số hồ sơ đã giải quyết xong") == nil)
        #expect(VietnameseText.detect(fontText: "Café crème brûlée") == nil)
    }
}

/// The byte test that lets `detect(fontText:)` give up early must never give up on text the
/// scalar-by-scalar test would keep: every scalar it flags has no Windows-1252 byte.
@Test func windows1252ByteShortcutFlagsOnlyScalarsWithoutAByte() {
    var flagged = 0
    for v in UInt32(0x80)...0x10FFFF {
        guard let scalar = Unicode.Scalar(v) else { continue }
        let text = "ab" + String(Character(scalar)) + "c"
        if Windows1252.surelyLacks(text) {
            flagged += 1
            #expect(Windows1252.byte(for: scalar) == nil, "U+\(String(v, radix: 16, uppercase: true)) has a Windows-1252 byte")
        }
    }
    // The ranges it is meant to catch: U+0100–U+013F, U+1000–U+1FFF and from U+3000 on.
    #expect(flagged == 0x40 + 0x1000 + (0x110000 - 0x3000 - 0x800))
    // Vietnamese in Unicode, and text that is not flagged (Latin-1 only) is still judged as before.
    #expect(Windows1252.surelyLacks("Tỷ lệ hồ sơ"))
    #expect(Windows1252.surelyLacks("đúng hạn"))
    #expect(!Windows1252.surelyLacks("Không có"))
    #expect(VietnameseText.detect(fontText: "Tû lÖ hå s¬ gi¶i quyÕt ®óng h¹n") == .tcvn3)
    #expect(VietnameseText.detect(fontText: "Tỷ lệ hồ sơ giải quyết đúng hạn") == nil)
}

/// `detect(fontText:)` tests the text as it reads (fewer than two foreign characters: kept) before
/// mapping it to bytes and decoding it twice. Checked against the order it had before (written out
/// here): every text of one or two Windows-1252 characters, and seeded random texts of 3–12.
@Test func fontTextDetectionAgreesWithDecodingFirst() {
    func decodingFirst(_ text: String) -> LegacyVietnameseEncoding? {
        if Windows1252.surelyLacks(text) { return nil }
        var bytes: [UInt8] = []
        for s in text.unicodeScalars {
            guard let b = Windows1252.byte(for: s) else { return nil }
            bytes.append(b)
        }
        guard bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        let asIs = VietnameseText.score(text)
        let candidates: [(LegacyVietnameseEncoding, VietnameseText.Score)] = [
            (.tcvn3, VietnameseText.score(VietnameseText.decodeTCVN3(bytes, capitals: false))),
            (.vni, VietnameseText.score(VietnameseText.decodeVNI(bytes)))]
        let best = candidates.min { a, b in
            a.1.foreign != b.1.foreign ? a.1.foreign < b.1.foreign : a.1.vietnamese > b.1.vietnamese
        }!
        guard best.1.vietnamese > 0, best.1.foreign * 2 < max(asIs.foreign, 1), asIs.foreign >= 2 else { return nil }
        return best.0
    }
    // Every Windows-1252 character (the bytes it leaves undefined read as C1 controls), and a few
    // beyond it (kept as they are by the converter).
    let characters = (0...255).map { String(Character(Windows1252.scalar(for: UInt8($0)))) } + ["ơ", "ạ", "€", "–"]
    var compared = 0, detected = 0
    func check(_ text: String) {
        let expected = decodingFirst(text)
        #expect(VietnameseText.detect(fontText: text) == expected, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        compared += 1
        if expected != nil { detected += 1 }
    }
    for a in characters {
        check(a)
        for b in characters { check(a + b) }
    }
    var random = SplitMix64(state: 0x5EED_1E6A)
    let legacy = "Tû lÖ hå s¬ gi¶i quyÕt ®óng h¹n Sè l­îng c¬ quan Tæng sè Kh«ng Cã".map(String.init)
    for _ in 0..<20_000 {
        var text = ""
        for _ in 0..<(3 + random.below(10)) { text += random.chance(50) ? random.pick(legacy) : random.pick(characters) }
        check(text)
    }
    #expect(compared > 66_000)
    // Both answers occur among the texts compared.
    #expect(detected > 100)
}
