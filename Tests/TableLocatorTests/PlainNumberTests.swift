import Foundation
import Support
@testable import TableLocator
import Testing

/// Report numbers in plain text are found without regular expressions, as the regular
/// expressions find them.
@Suite struct PlainNumberTests {
    @Test func reportNumbersAgreeWithTheRegularExpressions() {
        let heads = ["", "Số", "số ", "SỐ: ", "Số:", "(Kèm theo Báo cáo số ", "x số", "sô ", "ső "]
        let numbers = ["", "15", " 15 ", "1", "a1"]
        let slashes = ["/", " / ", "", "//"]
        let codes = ["BC-UBND", "bc-ubnd", "ĐĐ", "đ-1", " BC", "", "-", "BC_UBND", "BÁO"]
        let tails = ["", " ngày 15/3/2023 của UBND huyện", "/x", " số 2/BC"]
        var count = 0
        for h in heads { for n in numbers { for sl in slashes { for c in codes { for t in tails {
            let text = h + n + sl + c + t
            let s = Array(text.unicodeScalars)
            guard PlainText.isPlain(s) else { continue }
            #expect(MetadataReader.reportNumber(in: text) == MetadataReader.reportNumberByExpression(in: text), "\(text.debugDescription)")
            #expect(MetadataReader.reportNumberAfterSo(in: text) == MetadataReader.reportNumberAfterSoByExpression(in: text), "\(text.debugDescription)")
            count += 1
        } } } } }
        #expect(count > 4_000)
        #expect(MetadataReader.reportNumberAfterSo(in: "(Kèm theo Báo cáo số 15/BC-UBND ngày 15/3/2023)") == "15/BC-UBND")
        #expect(MetadataReader.reportNumber(in: "Số: 15 / BC-UBND") == "15/BC-UBND")
    }
}
