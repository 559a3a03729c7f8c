import FormSchema
import Foundation
@testable import OfficialWorkbook
import Testing
import TestSupport

/// Row heights come from a line estimate; the byte-counting path gives the same count as the
/// character-counting one on every label of the shipped form and on awkward texts.
@Suite struct LineCountTests {
    @Test func byteCountingAgreesWithCharacterCounting() throws {
        let form = try FormLoader.load(file: TestPaths.templates.appendingPathComponent("cchc-2023/form.yaml").path)
        var texts = form.rows.flatMap { [$0.label, $0.unit] + $0.variants } + form.statusTexts
        texts += ["", "\n", "a\n", "\nb", "a  b", " a ", "x\n\ny", String(repeating: "Ủy ban nhân dân ", count: 40),
                  String(repeating: "w", count: 300), "“Một cửa” – liên thông… ‰", "ĐƠN VỊ TÍNH\nSố liệu"]
        var fast = 0
        for text in texts {
            for (width, perChar) in [(60.0 - 1.5, 0.72), (14.0 - 1.5, 0.7776), (16.0, 0.9), (3.0, 1.2)] {
                let slow = Layout.linesCountingCharacters(of: text, perChar: perChar, usable: width)
                if let n = Layout.linesCountingScalars(of: text, perChar: perChar, usable: width) {
                    #expect(n == slow, "\(text.debugDescription) \(width)")
                    fast += 1
                }
            }
        }
        #expect(fast == texts.count * 4)
        // Texts with combining marks, CR LF or emoji take the character path.
        for text in ["Ho\u{0300}a", "a\r\nb", "🙂", "a\u{200D}b"] {
            #expect(Layout.linesCountingScalars(of: text, perChar: 1, usable: 10) == nil, "\(text.debugDescription)")
        }
    }

    @Test func everyAcceptedScalarIsACharacterOfItsOwn() {
        let ranges = [0x0A...0x0A, 0x20...0x27F, 0x1E00...0x1EFF, 0x2010...0x2027, 0x2030...0x205E]
        let scalars = ranges.flatMap { $0 }.map { String(Unicode.Scalar(UInt32($0))!) }
        for s in scalars {
            #expect(Layout.eachScalarIsACharacter(s))
            for t in ["a", "ế", "\n", " ", "–"] {
                #expect((t + s + t + s).count == 4, "\(s.debugDescription)")
            }
        }
    }
}
