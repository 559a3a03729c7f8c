import AppendixModel
import CSVInput
import FormSchema
import Foundation
import SheetGrid
import Support
import TableLocator
import Testing
import TestSupport

/// Shared fixtures: the shipped forms and the seed CSV.
enum Seed {
    static let library: FormLibrary = {
        do {
            return try FormLibrary.load(extraFolders: [TestPaths.templates.path])
        } catch {
            fatalError("forms: \(error)")
        }
    }()
    static var form: FormDefinition { library.form("cchc-2023")! }
    static var csvPath: String { TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path }
    static var csvText: String { try! String(contentsOfFile: csvPath, encoding: .utf8) }

    static func appendix(text: String, name: String = "seed.csv", formID: String? = nil) throws -> Appendix {
        let grid = try CSVReader.parse(text: text, fileName: name)
        return try TableLocator.locate(grid: grid, library: library, formID: formID)
    }

    static func appendix(data: Data, name: String = "seed.csv") throws -> Appendix {
        let doc = try CSVReader.read(data: data, fileName: name)
        return try TableLocator.locate(grid: doc.grid, library: library)
    }
}

@Suite struct SeedLocatorTests {
    let appendix: Appendix

    init() throws {
        appendix = try TableLocator.locate(grid: try CSVReader.read(file: Seed.csvPath).grid, library: Seed.library)
    }

    func number(_ id: String) -> String? { appendix.number(id)?.description }

    @Test func recognisesTheFormWithoutBeingTold() {
        #expect(appendix.form.id == "cchc-2023")
        #expect(appendix.numberLocale == .vi)
    }

    @Test func everyPrintedRowIsKnown() {
        #expect(appendix.unmatched.isEmpty, "unmatched: \(appendix.unmatched.map { "\($0.code) \($0.label)" })")
        #expect(!appendix.readingFindings.contains { $0.rule == .unknownRow || $0.rule == .duplicateRow })
    }

    @Test func valuesLandOnTheirRows() {
        // Expectations read off the CSV text by hand.
        #expect(number("r1_1") == "13")
        #expect(number("r1_2") == "25")
        #expect(appendix.value("r1_2").percentSign)
        #expect(number("r1_2_1") == "56")
        #expect(number("r1_2_2") == "14")
        #expect(number("r6_1_1") == "136284")
        #expect(number("r6_1_2") == "3135")
        #expect(number("r6_1") == "2.3")
        #expect(appendix.value("r6_1").raw == "2,30")
        #expect(appendix.value("r6_1").decimals == 2)
        #expect(appendix.value("r3_1_1").value == .status("Chưa có đánh giá kết quả"))
        #expect(number("r3_2_3") == "0")
        #expect(appendix.value("r3_2_3").raw == "<b>0</b>")
        #expect(number("r3_3_2_tong") == "993")
        #expect(number("r3_3_2_dunghan") == "993")
        #expect(number("r3_3_1_tong") == "199")
        #expect(number("r4_6_giao") == "693")
        #expect(appendix.value("r4_6").value == .empty)
        #expect(number("r4_6_1") == "610")
        #expect(appendix.value("r1_5_1").note == "Chưa thực hiện")
        #expect(appendix.value("r1_5_1").value == .empty)
        #expect(number("r3_1_4_huyen") == "265")
        #expect(number("r3_1_4_xa") == "110")
        #expect(number("r2_3_2_tong") == "3")
        #expect(appendix.value("r2_3_2_tong").raw == "03")
        #expect(number("r7_1_dientu") == "96")
        #expect(number("r7_1_songsong") == "100")
        #expect(number("r6_2_2") == "1")
        #expect(number("r6_2_4") == "33")
        #expect(number("r5_1_2") == "97")
        // The stray 0 printed on the group row 2.3 is kept for the validator to flag.
        #expect(number("r2_3") == "0")
    }

    @Test func rowsPrintedWithoutValuesArePresentButEmpty() {
        #expect(appendix.values["r1_4_1"] != nil)
        #expect(appendix.value("r1_4_1").value == .empty)
        #expect(appendix.values["r7_2_5_thanhtoan"] != nil)
    }

    @Test func continuationRowsAreAbsorbed() {
        #expect(appendix.value("r3_3_2").inputLabel == "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn")
        #expect(appendix.value("r5_1_2").inputLabel == "Số viên chức sự nghiệp đúng vị trí việc làm đã được phê duyệt")
        // "xuyên" after the page break repeats the last word of the row before.
        #expect(appendix.value("r6_2_3_10").inputLabel == "Số ĐVSN tự bảo đảm từ 10% - dưới 30% chi thường xuyên")
    }

    @Test func locationsPointAtTheValueCell() {
        // 6.1.1 is on line 105 of the CSV, value in column 4.
        let loc = appendix.value("r6_1_1").location
        #expect(loc?.line == 105)
        #expect(loc?.column == 4)
        #expect(loc?.file == Seed.csvPath)
        // 1.5.2's label spans lines 24-26; 1.6 starts on line 27.
        #expect(appendix.value("r1_6").location?.line == 27)
    }

    @Test func metadataFromTheLinesAboveTheTable() {
        let m = appendix.metadata
        #expect(m.unit == "UBND huyện Ngân Sơn")
        #expect(m.reportDate == ReportDate(day: nil, month: 3, year: 2022))
        #expect(m.reportNumber == "/BC-UBND")
        #expect(m.reportReference == "(Kèm theo Báo cáo số /BC-UBND ngày /3/2022 của UBND huyện Ngân Sơn)")
        #expect(m.title == "BIỂU THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC")
        #expect(m.period == nil)
        #expect(m.locations["reportDate"]?.line == 3)
    }

    @Test func unambiguousDocumentHasNoNumberWarnings() {
        // 136.284 and 3.135 could be English decimals, but 2,30 shows the document is Vietnamese.
        #expect(!appendix.readingFindings.contains { $0.rule == .ambiguousNumber })
    }
}
