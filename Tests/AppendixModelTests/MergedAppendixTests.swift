import AppendixModel
import Testing

/// The merged workbook's own vocabulary, written and read in one place.
@Suite struct MergedAppendixTests {
    let choices = ["Trực tuyến", "Phát phiếu", "Khác"]

    @Test func choiceCountsAreReadAsWritten() throws {
        let text = ChoiceCounts.text([("Trực tuyến", 3), ("Phát phiếu", 1)])
        #expect(text == "Trực tuyến (3); Phát phiếu (1)")
        let read = try #require(ChoiceCounts.parse(text, choices: choices))
        #expect(read.map(\.choice) == ["Trực tuyến", "Phát phiếu"] && read.map(\.count) == [3, 1])
    }

    @Test func choiceCountsAsPeopleRetypeThem() throws {
        // Case, spacing and a line break instead of ";" (Alt+Enter in Excel) are the same counts.
        let read = try #require(ChoiceCounts.parse("trực tuyến ( 2 )\nKHÁC (0)", choices: choices))
        #expect(read.map(\.choice) == ["Trực tuyến", "Khác"] && read.map(\.count) == [2, 0])
    }

    @Test(arguments: ["Trực tuyến", "Trực tuyến (x)", "Bưu điện (2)", "Trực tuyến (-1)", ""])
    func notChoiceCounts(text: String) {
        #expect(ChoiceCounts.parse(text, choices: choices) == nil)
    }

    @Test func mergedWorkbookByKindOrUnitCount() {
        #expect(!Metadata().isMergedWorkbook)
        var m = Metadata()
        m.workbookKind = "merged"
        #expect(m.isMergedWorkbook)
        var n = Metadata()
        n.mergedUnits = 12
        #expect(n.isMergedWorkbook)
        var a = Metadata()
        a.workbookKind = "appendix"
        #expect(!a.isMergedWorkbook)
    }
}
