import AppendixModel
import CSVInput
import FormSchema
import Foundation
import SheetGrid
import Support
import TableLocator
import Testing
import TestSupport

private let header = "STT,Chỉ tiêu thống kê,Đơn vị tính,Số liệu,Ghi chú\n"

/// A small table in the seed's form; each line is a CSV record.
private func table(_ lines: [String]) throws -> Appendix {
    try Seed.appendix(text: header + lines.joined(separator: "\n") + "\n", formID: "cchc-2023")
}

@Suite struct LocatorRulesTests {
    @Test func unknownRowsAreReportedWithTheirLine() throws {
        let a = try table(["1.1,Số văn bản chỉ đạo CCHC đã ban hành,Văn bản,13,",
                           "1.9,Số con mèo đã nuôi,Con,2,",
                           ",Dòng không thuộc đâu cả,Con,3,"])
        #expect(a.number("r1_1") == ExactDecimal(13))
        #expect(a.unmatched.map(\.label) == ["Số con mèo đã nuôi", "Dòng không thuộc đâu cả"])
        #expect(a.unmatched.map(\.raw) == ["2", "3"])
        let unknown = a.readingFindings.filter { $0.rule == .unknownRow }
        #expect(unknown.map { $0.location?.line } == [3, 4])
        #expect(unknown.allSatisfy { $0.severity == .error && $0.message.vi.contains("không có trong biểu mẫu") })
        #expect(a.values.count == 1)
    }

    @Test func aCodeWithAnotherRowsLabelIsUnknownAndSaysSo() throws {
        let a = try table(["1.1,Sản lượng lúa,Tấn,13,"])
        #expect(a.values["r1_1"] == nil)
        let f = try #require(a.readingFindings.first { $0.rule == .unknownRow })
        #expect(f.message.vi.contains("Số văn bản chỉ đạo CCHC"))
    }

    @Test func labelsWordedDifferentlyStillMatchByCode() throws {
        let a = try table(["1.1,Số VB chỉ đạo CCHC đã ban hành,Văn bản,13,"])
        #expect(a.number("r1_1") == ExactDecimal(13))
        #expect(a.value("r1_1").inputLabel == "Số VB chỉ đạo CCHC đã ban hành")
    }

    @Test func duplicateRowsKeepTheFirst() throws {
        let a = try table(["1.1,Số văn bản chỉ đạo CCHC đã ban hành,Văn bản,13,",
                           "1.1,Số văn bản chỉ đạo CCHC đã ban hành,Văn bản,14,"])
        #expect(a.number("r1_1") == ExactDecimal(13))
        let dup = a.readingFindings.filter { $0.rule == .duplicateRow }
        #expect(dup.count == 1)
        #expect(dup.first?.rowID == "r1_1")
        #expect(dup.first?.location?.line == 3)
        #expect(dup.first?.message.vi.contains("dòng 2") == true)
    }

    @Test func markupNFDAndOldTonePlacementInLabels() throws {
        let a = try table(["3.1.4,\"Tổng số TTHC thuộc thẩm quyền giải quyết tại cơ quan, đơn vị\",Thủ tục,375,",
                           "<i>Trong đó</i>,<i>Số TTHC cấp huyện</i>,Thủ tục,265,",
                           ",So\u{0302}\u{0301} TTHC ca\u{0302}\u{0301}p xa\u{0303},Thủ tục,110,",
                           "3.1.1,Số TTHC đã được phê duyệt phương án đơn giản hoá,Thủ tục,4,"])
        #expect(a.unmatched.isEmpty)
        #expect(a.number("r3_1_4_huyen") == ExactDecimal(265))
        #expect(a.number("r3_1_4_xa") == ExactDecimal(110))
        #expect(a.number("r3_1_1") == ExactDecimal(4))
    }

    @Test func subRowsOfTheSameNameGoToTheirOwnParent() throws {
        // 3.3.1 and 3.3.2 both have "Tổng số hồ sơ TTHC đã giải quyết xong".
        let a = try table(["3.3.1,Tỷ lệ hồ sơ TTHC tiếp nhận được giải quyết đúng hạn,%,100%,",
                           ",Tổng số hồ sơ TTHC đã giải quyết xong,Hồ sơ,199,",
                           "3.3.2,Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn,%,100%,",
                           ",Tổng số hồ sơ TTHC đã giải quyết xong,Hồ sơ,993,"])
        #expect(a.number("r3_3_1_tong") == ExactDecimal(199))
        #expect(a.number("r3_3_2_tong") == ExactDecimal(993))
        #expect(a.readingFindings.isEmpty)
    }

    @Test func labelOnlyRowThatNamesARowIsNotAContinuation() throws {
        // "Số TTHC cấp xã" has no unit or value but is a row of the form, not a continuation.
        let a = try table(["3.1.4,\"Tổng số TTHC thuộc thẩm quyền giải quyết tại cơ quan, đơn vị\",Thủ tục,,",
                           "Trong đó,Số TTHC cấp huyện,Thủ tục,265,",
                           ",Số TTHC cấp xã,,,"])
        #expect(a.values["r3_1_4_xa"] != nil)
        #expect(a.value("r3_1_4_huyen").inputLabel == "Số TTHC cấp huyện")
    }

    @Test func ambiguousNumbersWithoutEvidenceAreWarned() throws {
        let a = try table(["6.1.1,Kế hoạch được giao,Triệu đồng,136.284,",
                           "6.1.2,Đã thực hiện,Triệu đồng,3135,"])
        #expect(a.numberLocale == .vi)
        #expect(a.number("r6_1_1") == ExactDecimal(136284))
        let w = a.readingFindings.filter { $0.rule == .ambiguousNumber }
        #expect(w.count == 1)
        #expect(w.first?.severity == .warning)
        #expect(w.first?.rowID == "r6_1_1")
        #expect(w.first?.location?.line == 2)
        #expect(w.first?.message.vi.contains("136.284") == true)
    }

    @Test func mixedConventionsAreWarned() throws {
        let a = try table(["6.1,Tỷ lệ thực hiện kế hoạch giải ngân vốn đầu tư công,%,\"2,30\",",
                           "6.1.1,Kế hoạch được giao,Triệu đồng,\"1,234.5\",",
                           "6.1.2,Đã thực hiện,Triệu đồng,\"2.304,717\","])
        #expect(a.numberLocale == .vi)
        #expect(a.number("r6_1_1") == ExactDecimal("1234.5"))
        let w = a.readingFindings.filter { $0.rule == .ambiguousNumber }
        #expect(w.map(\.rowID) == ["r6_1_1"])
        #expect(w.first?.message.vi.contains("kiểu Anh") == true)
    }

    @Test func signatureBlockUnderTheTableEndsIt() throws {
        let a = try table(["1.1,Số văn bản chỉ đạo CCHC đã ban hành,Văn bản,13,",
                           "",
                           ",Người lập biểu,,TM. ỦY BAN NHÂN DÂN,",
                           ",,,CHỦ TỊCH,",
                           ",Nguyễn Văn A,,Trần Thị B,"])
        #expect(a.unmatched.isEmpty)
        #expect(a.readingFindings.isEmpty)
        #expect(a.value("r1_1").inputLabel == "Số văn bản chỉ đạo CCHC đã ban hành")
        #expect(a.number("r1_1") == ExactDecimal(13))
    }

    @Test func columnNumberRowUnderTheHeaderIsSkipped() throws {
        let a = try table(["(1),(2),(3),(4),(5)",
                           "1.1,Số văn bản chỉ đạo CCHC đã ban hành,Văn bản,13,"])
        #expect(a.unmatched.isEmpty)
        #expect(a.values["s1"] == nil)
        #expect(a.number("r1_1") == ExactDecimal(13))
    }

    @Test func periodAsTheValueHeading() throws {
        let text = "STT,Chỉ tiêu thống kê,ĐVT,Quý I/2023,Ghi chú\n1.1,Số văn bản chỉ đạo CCHC đã ban hành,Văn bản,13,\n"
        let a = try Seed.appendix(text: text)
        #expect(a.number("r1_1") == ExactDecimal(13))
        #expect(a.metadata.period == Period(kind: .q1, year: 2023))
        #expect(a.metadata.locations["period"]?.column == 4)
    }

    @Test func resultHeadingAloneOverTheValues() throws {
        let text = "TT,Chỉ tiêu,Đơn vị tính,Kết quả\n1.1,Số văn bản chỉ đạo CCHC đã ban hành,Văn bản,13\n"
        let a = try Seed.appendix(text: text)
        #expect(a.number("r1_1") == ExactDecimal(13))
    }

    @Test func missingValueColumnIsNamed() throws {
        let error = #expect(throws: BieuMauError.self) {
            try Seed.appendix(text: "STT,Chỉ tiêu thống kê,Đơn vị tính\n1.1,Số văn bản,Văn bản\n", name: "thieu.csv")
        }
        #expect(error?.status == .dataError)
        #expect(error?.message.vi.contains("'Số liệu'") == true)
        #expect(error?.location?.file == "thieu.csv")
        #expect(error?.location?.line == 1)
    }

    @Test func noTableAtAll() throws {
        let error = #expect(throws: BieuMauError.self) {
            try Seed.appendix(text: "a,b,c\n1,2,3\n", name: "rong.csv")
        }
        #expect(error?.message.vi.contains("không tìm thấy bảng") == true)
        #expect(error?.message.vi.contains("'STT'") == true)
    }

    @Test func numberFormatDecimals() {
        #expect(CellStyle.decimals(ofFormat: "0.00%") == 2)
        #expect(CellStyle.decimals(ofFormat: "#,##0") == 0)
        #expect(CellStyle.decimals(ofFormat: "#,##0.000;[Red]-#,##0.000") == 3)
        #expect(CellStyle.decimals(ofFormat: "0.0\" ha\"") == 1)
        #expect(CellStyle.decimals(ofFormat: "General") == nil)
        #expect(CellStyle.decimals(ofFormat: nil) == nil)
        #expect(CellStyle(numberFormat: "0.0%").isPercentFormat && CellStyle(numberFormat: "0.0%").formatDecimals == 1)
        #expect(!CellStyle(numberFormat: "0\" %\"").isPercentFormat)   // a quoted % is text, not ×100
        #expect(!CellStyle(numberFormat: "[Red]0\\%").isPercentFormat)   // an escaped % too
    }
}

/// Grids as the XLSX reader produces them: numeric cells, percent formats, merged headers, properties.
@Suite struct WorkbookGridTests {
    func cell(_ c: Int, _ v: CellValue, format: String? = nil) -> Cell {
        Cell(column: c, value: v, style: CellStyle(numberFormat: format))
    }

    func grid(properties: [String: String] = [:], codeAsNumber: Bool = false) -> Grid {
        var rows: [GridRow] = []
        func add(_ cells: [Cell]) { rows.append(GridRow(index: rows.count, cells: cells)) }
        add([cell(0, .text("UBND TỈNH BẮC KẠN")), cell(3, .text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))])
        add([cell(0, .text("UBND HUYỆN NGÂN SƠN"))])
        add([])
        add([cell(1, .text("Phụ lục"))])
        add([cell(1, .text("BIỂU THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"))])
        add([cell(1, .text("6 tháng đầu năm 2023"))])
        // Header starts in column B; "Kết quả thống kê" merged over D:E.
        add([cell(1, .text("STT")), cell(2, .text("Chỉ tiêu thống kê")), cell(3, .text("Kết quả thống kê")), cell(5, .text("Ghi chú"))])
        add([cell(3, .text("Đơn vị tính")), cell(4, .text("Số liệu"))])
        add([cell(1, codeAsNumber ? .number("1") : .text("1")), cell(2, .text("Công tác chỉ đạo điều hành CCHC"))])
        add([cell(1, .text("1.2")), cell(2, .text("Tỷ lệ hoàn thành Kế hoạch CCHC năm")), cell(3, .text("%")),
             cell(4, .number("0.25"), format: "0%")])
        add([cell(1, .text("1.2.1")), cell(2, .text("Số nhiệm vụ đề ra trong kế hoạch")), cell(3, .text("Nhiệm vụ")),
             cell(4, .number("56"), format: "#,##0")])
        add([cell(1, .text("6.1.1")), cell(2, .text("Kế hoạch được giao")), cell(3, .text("Triệu đồng")),
             cell(4, .number("136284.5"), format: "#,##0.0")])
        add([cell(1, .text("1.6")), cell(2, .text("Tổ chức đối thoại của lãnh đạo với người dân, cộng đồng doanh nghiệp")),
             cell(3, .text("Có/không")), cell(4, .bool(true))])
        add([cell(1, .text("6.1")), cell(2, .text("Tỷ lệ thực hiện kế hoạch giải ngân vốn đầu tư công")), cell(3, .text("%")),
             Cell(column: 4, value: .number("0.023"), style: CellStyle(numberFormat: "0.00%"), formula: "D13/D12")])
        return Grid(source: .workbook(file: "don-vi.xlsx", sheet: "Phụ lục"), rows: rows,
                    merges: [CellRange(firstRow: 6, firstColumn: 3, lastRow: 6, lastColumn: 4)], properties: properties)
    }

    @Test func readsNumericCellsAndFormats() throws {
        let a = try TableLocator.locate(grid: grid(), library: Seed.library)
        #expect(a.form.id == "cchc-2023")
        #expect(a.unmatched.isEmpty)
        #expect(a.number("r1_2") == ExactDecimal(25))
        #expect(a.value("r1_2").percentSign)
        #expect(a.number("r1_2_1") == ExactDecimal(56))
        #expect(a.number("r6_1_1") == ExactDecimal("136284.5"))
        #expect(a.value("r6_1_1").decimals == 1)
        #expect(a.value("r1_6").value == .yesNo(true))
        #expect(a.number("r6_1") == ExactDecimal("2.3"))
        #expect(a.value("r6_1").formula == "D13/D12")
        #expect(a.value("r6_1_1").location?.cell == "E12")
        #expect(a.value("r6_1_1").location?.sheet == "Phụ lục")
        #expect(a.sourceSheet == "Phụ lục")
        #expect(!a.readingFindings.contains { $0.rule == .ambiguousNumber })
    }

    @Test func metadataFromTheSheet() throws {
        let m = try TableLocator.locate(grid: grid(), library: Seed.library).metadata
        #expect(m.unit == "UBND HUYỆN NGÂN SƠN")
        #expect(m.parentBody == "UBND TỈNH BẮC KẠN")
        #expect(m.period == Period(kind: .sixMonths, year: 2023))
        #expect(m.locations["period"]?.cell == "B6")
    }

    @Test func propertiesTakePrecedence() throws {
        let props = [WorkbookProperty.form: "cchc-2023", WorkbookProperty.unit: "UBND xã Bằng Vân",
                     WorkbookProperty.period: "quy-1/2023", WorkbookProperty.kind: "merged", WorkbookProperty.unitCount: "11"]
        let a = try TableLocator.locate(grid: grid(properties: props), library: Seed.library)
        #expect(a.metadata.unit == "UBND xã Bằng Vân")
        #expect(a.metadata.period == Period(kind: .q1, year: 2023))
        #expect(a.metadata.parentBody == "UBND TỈNH BẮC KẠN")
        #expect(a.metadata.workbookKind == "merged")
        #expect(a.metadata.mergedUnits == 11)
    }

    @Test func unknownFormPropertyIsAnError() {
        let error = #expect(throws: BieuMauError.self) {
            try TableLocator.locate(grid: grid(properties: [WorkbookProperty.form: "cchc-2099"]), library: Seed.library)
        }
        #expect(error?.message.vi.contains("cchc-2099") == true)
    }

    @Test func numericCodeCells() throws {
        let a = try TableLocator.locate(grid: grid(codeAsNumber: true), library: Seed.library)
        #expect(a.values["s1"] != nil)
    }

    @Test func findTableWithoutThrowing() {
        #expect(TableLocator.findTable(in: grid(), library: Seed.library)?.headerRow == 6)
        #expect(TableLocator.findTable(in: grid(), library: Seed.library)?.column(.value) == 4)
        let empty = Grid(source: .workbook(file: "x.xlsx", sheet: "Sheet1"), rows: [])
        #expect(TableLocator.findTable(in: empty, library: Seed.library) == nil)
    }
}
