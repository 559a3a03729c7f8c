import AppendixModel
import FormSchema
import Foundation
import Support
import Testing
import TestSupport

private let form: FormDefinition = {
    try! FormLoader.load(file: TestPaths.templates.appendingPathComponent("cchc-2023/form.yaml").path)
}()

private func interpret(_ text: String, _ rowID: String, _ locale: NumberLocale = .vi) -> RowValue {
    ValueInterpreter.interpret(.text(text), row: form.row(rowID)!, form: form, locale: locale)
}

@Suite struct ValueInterpreterTests {
    @Test func statusTextsNeverBecomeZero() {
        for text in ["Chưa thực hiện", "chưa thực hiện", "Chưa có đánh giá kết quả", "CHƯA ĐÁNH GIÁ", "Chu\u{031B}a thu\u{031B}\u{0323}c hie\u{0302}\u{0323}n"] {
            let v = interpret(text, "r3_1_1")
            #expect(v.value.number == nil, "\(text)")
            if case .status = v.value {} else { Issue.record("\(text) is not a status: \(v.value)") }
        }
        #expect(interpret("chưa thực hiện", "r1_5_1").value == .status("Chưa thực hiện"))
        #expect(interpret("Chưa thực hiện", "r1_5_1").raw == "Chưa thực hiện")
    }

    @Test func countsAndMoney() {
        #expect(interpret("13", "r1_1").value == .number(ExactDecimal(13)))
        #expect(interpret("03", "r2_3_2_tong").value == .number(ExactDecimal(3)))
        #expect(interpret("<b>0</b>", "r3_2_3").value == .number(.zero))
        #expect(interpret("<b>0</b>", "r3_2_3").raw == "<b>0</b>")
        #expect(interpret("136.284", "r6_1_1").value == .number(ExactDecimal(136284)))
        #expect(interpret("136.284", "r6_1_1", .en).value == .number(ExactDecimal("136.284")!))
        #expect(interpret("2.304,717", "r6_1_1").value == .number(ExactDecimal("2304.717")!))
        #expect(interpret("2.304,717", "r6_1_1").decimals == 3)
    }

    @Test func unreadableNumbersStayText() {
        #expect(interpret("5/9", "r1_1").value == .text("5/9"))
        #expect(interpret("abc", "r1_1").value == .text("abc"))
        #expect(interpret("1.2.3", "r6_1_1").value == .text("1.2.3"))
    }

    @Test func blanks() {
        #expect(interpret("", "r1_1").value == .empty)
        #expect(interpret("   ", "r1_1").value == .empty)
        #expect(ValueInterpreter.interpret(.empty, row: form.row("r1_1")!, form: form, locale: .vi).value == .empty)
    }

    @Test func percentCells() {
        let text = interpret("25%", "r1_2")
        #expect(text.value == .number(ExactDecimal(25)))
        #expect(text.percentSign)
        #expect(interpret("2,30", "r6_1").value == .number(ExactDecimal("2.3")!))
        #expect(interpret("2,30", "r6_1").decimals == 2)
        // A workbook cell holding 0.25 shown as 25 % means 25 on a ratio row.
        let cell = ValueInterpreter.interpret(.number(ExactDecimal("0.25")!, percentFormat: true, decimals: 0),
                                              row: form.row("r1_2")!, form: form, locale: .vi)
        #expect(cell.value == .number(ExactDecimal(25)))
        #expect(cell.percentSign)
        let plain = ValueInterpreter.interpret(.number(ExactDecimal("97")!, percentFormat: false, decimals: nil),
                                               row: form.row("r5_1_1")!, form: form, locale: .vi)
        #expect(plain.value == .number(ExactDecimal(97)))
    }

    @Test func yesNo() {
        #expect(interpret("Có", "r1_6").value == .yesNo(true))
        #expect(interpret("có", "r1_6").value == .yesNo(true))
        #expect(interpret("x", "r1_6").value == .yesNo(true))
        #expect(interpret("Không", "r1_6").value == .yesNo(false))
        #expect(ValueInterpreter.interpret(.bool(true), row: form.row("r1_6")!, form: form, locale: .vi).value == .yesNo(true))
        // The seed writes 0 on 1.6: kept as the number it is, for the validator to judge.
        #expect(interpret("0", "r1_6").value == .number(.zero))
    }

    @Test func choices() {
        #expect(interpret("Trực tuyến; Phát phiếu", "r1_5_2").value == .choices(["Trực tuyến", "Phát phiếu"]))
        #expect(interpret("kết hợp", "r1_5_2").value == .choices(["Kết hợp"]))
        #expect(interpret("Trực tuyến, Email", "r1_5_2").value == .text("Trực tuyến, Email"))
    }

    @Test func errorCellsAreText() {
        let v = ValueInterpreter.interpret(.error("#DIV/0!"), row: form.row("r6_1")!, form: form, locale: .vi)
        #expect(v.value == .text("#DIV/0!"))
        #expect(v.raw == "#DIV/0!")
    }
}
