import AppendixModel
import CSVInput
import FormSchema
import Foundation
import SheetGrid
import Support
import TableLocator
import Testing
import TestSupport

/// Issue #10.3 and #10.7: label continuation rows are linear and bounded; a note row typed inside
/// the table is reported, not glued onto a label; an over-long cell is an error at its cell.
@Suite("Locator hardening")
struct HardeningLocatorTests {
    func locate(_ lines: [String]) throws -> Appendix {
        let text = (["STT,Chỉ tiêu thống kê,Đơn vị tính,Số liệu,Ghi chú"] + lines).joined(separator: "\n") + "\n"
        return try Seed.appendix(text: text, formID: "cchc-2023")
    }

    static let base = [
        "1.2,Tỷ lệ hoàn thành Kế hoạch CCHC năm (lũy kế đến thời điểm báo cáo),%,25%,",
        "1.2.1,Số nhiệm vụ đề ra trong kế hoạch,Nhiệm vụ,56,",
        "1.2.2,Số nhiệm vụ đã hoàn thành,Nhiệm vụ,14,",
    ]

    @Test("a text-only note row inside the table is a warning at its line, not part of the label above")
    func noteRowInsideTheTableIsReported() throws {
        var lines = Self.base
        lines.insert(",Lưu ý: số liệu tạm tính đến ngày 10/3/2023,,,", at: 1)
        let a = try locate(lines)
        #expect(a.value("r1_2").inputLabel == "Tỷ lệ hoàn thành Kế hoạch CCHC năm (lũy kế đến thời điểm báo cáo)")
        let notes = a.readingFindings.filter { $0.message.vi.contains("Lưu ý: số liệu tạm tính") }

        #expect(notes.count == 1)
        #expect(notes.first?.severity == .warning)
        #expect(notes.first?.location?.line == 3)
        #expect(a.number("r1_2_1") == ExactDecimal(56))
    }

    @Test("a label split by a page break (lowercase continuation) is still joined")
    func pageBreakContinuationIsStillJoined() throws {
        let a = try locate(["3.3.2,Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được,%,100%,", ",giải quyết đúng hạn,,,"])
        #expect(a.value("r3_3_2").inputLabel == "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn")
        #expect(a.readingFindings.isEmpty)
    }

    @Test("8,000 label-only rows are read in linear time: well under a second, every row accounted for")
    func manyContinuationRowsAreLinear() throws {
        var lines = Self.base
        lines.insert(contentsOf: (0..<8_000).map { ",dòng nối tiếp số \($0),,," }, at: 1)
        let start = Date()
        let a = try locate(lines)
        let seconds = Date().timeIntervalSince(start)
        // Quadratic gluing took 14 s in release (487 s in a debug build) on this input.
        #expect(seconds < 20)
        #expect(a.number("r1_2_2") == ExactDecimal(14))
        // No label holds more than the limit's worth of continuation rows.
        #expect(a.unmatched.allSatisfy { $0.label.components(separatedBy: "dòng nối tiếp").count - 1 <= AppendixLimits.maxContinuationRows + 1 })
        #expect(!a.readingFindings.filter { $0.rule == .unknownRow }.isEmpty)
    }

    @Test("a 32,768-character note is an error at its cell (the writer would refuse it)")
    func overlongNoteIsAnErrorAtItsCell() throws {
        var lines = Self.base
        lines[2] = "1.2.1,Số nhiệm vụ đề ra trong kế hoạch,Nhiệm vụ,56," + String(repeating: "a", count: 32_768)
        let a = try locate(lines)
        let f = a.readingFindings.filter { $0.severity == .error && $0.message.vi.contains("32768 ký tự") }
        #expect(f.count == 1)
        #expect(f.first?.location?.line == 4)
        #expect(f.first?.location?.column == 5)
        // The message does not echo the 32 KB cell.
        #expect((f.first?.message.vi.count ?? 0) < 400)
    }
}
