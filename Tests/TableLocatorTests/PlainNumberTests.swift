import Foundation
import Support
@testable import TableLocator
import Testing

/// Report numbers are found without regular expressions, as the regular expressions (kept here
/// as the reference) find them, in plain text and beyond.
@Suite struct PlainNumberTests {
    static func byExpression(_ text: String) -> String? {
        guard let r = text.range(of: #"[0-9]*\s*/\s*[A-Za-zĐđ0-9-]+"#, options: .regularExpression) else { return nil }
        return text[r].replacingOccurrences(of: " ", with: "")
    }

    static func afterSoByExpression(_ text: String) -> String? {
        guard let r = text.range(of: #"(?i)số\s*([0-9]*\s*/\s*[A-Za-zĐđ0-9-]+)"#, options: .regularExpression) else { return nil }
        return text[r].dropFirst(2).replacingOccurrences(of: " ", with: "")
    }

    @Test func reportNumbersAgreeWithTheRegularExpressions() {
        let heads = ["", "Số", "số ", "SỐ: ", "Số:", "(Kèm theo Báo cáo số ", "x số", "sô ", "ső ", "– số ", "số\u{00A0}"]
        let numbers = ["", "15", " 15 ", "1", "a1", "١٥"]
        let slashes = ["/", " / ", "", "//"]
        let codes = ["BC-UBND", "bc-ubnd", "ĐĐ", "đ-1", " BC", "", "-", "BC_UBND", "BÁO"]
        let tails = ["", " ngày 15/3/2023 của UBND huyện", "/x", " số 2/BC", " – ①"]
        var count = 0
        for h in heads { for n in numbers { for sl in slashes { for c in codes { for t in tails {
            let text = h + n + sl + c + t
            #expect(MetadataReader.reportNumber(in: text) == Self.byExpression(text), "\(text.debugDescription)")
            #expect(MetadataReader.reportNumberAfterSo(in: text) == Self.afterSoByExpression(text), "\(text.debugDescription)")
            count += 1
        } } } } }
        #expect(count > 4_000)
        #expect(MetadataReader.reportNumberAfterSo(in: "(Kèm theo Báo cáo số 15/BC-UBND ngày 15/3/2023)") == "15/BC-UBND")
        #expect(MetadataReader.reportNumber(in: "Số: 15 / BC-UBND") == "15/BC-UBND")
    }
}
