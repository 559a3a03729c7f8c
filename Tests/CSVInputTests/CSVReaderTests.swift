import CSVInput
import Foundation
import SheetGrid
import Support
import Testing
import TestSupport

private func texts(_ row: GridRow) -> [String] {
    guard let last = row.cells.map(\.column).max() else { return [] }
    return (0...last).map { row.value(at: $0).plainText }
}

@Suite struct CSVReaderTests {
    @Test func quotedFieldsWithLineBreaksAndEscapedQuotes() throws {
        let text = "a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n2,\"line one\nline two\",4\r\n5,6,7"
        let grid = try CSVReader.parse(text: text, fileName: "t.csv")
        #expect(grid.rows.count == 4)
        #expect(texts(grid.rows[1]) == ["1", "x, \"y\"", "3"])
        #expect(texts(grid.rows[2]) == ["2", "line one\nline two", "4"])
        // The record after the two-line field starts on physical line 5.
        #expect(grid.rows.map(\.sourceLine) == [1, 2, 3, 5])
    }

    @Test func crOnlyAndMixedLineEnds() throws {
        let grid = try CSVReader.parse(text: "a,b,c\rd,e,f\ng,h,i\r\n", fileName: "t.csv")
        #expect(grid.rows.count == 3)
        #expect(texts(grid.rows[2]) == ["g", "h", "i"])
        #expect(grid.rows.map(\.sourceLine) == [1, 2, 3])
    }

    @Test func blankLinesAreKeptAsBlankRows() throws {
        let grid = try CSVReader.parse(text: "a,b,c\n\n,,\nd,e,f\n", fileName: "t.csv")
        #expect(grid.rows.count == 4)
        #expect(grid.rows[1].isBlank && grid.rows[2].isBlank)
        #expect(grid.rows[3].sourceLine == 4)
    }

    @Test func rawTextIsKeptButNFC() throws {
        let nfd = "Hoa\u{0300}, Ho\u{0300}a"   // NFD
        let grid = try CSVReader.parse(text: "x,\" \(nfd) \",<b>0</b>\n", fileName: "t.csv")
        #expect(grid.rows[0].value(at: 1).plainText == " Hoà, Hòa ")
        #expect(grid.rows[0].value(at: 2).plainText == "<b>0</b>")
    }

    @Test(arguments: [(",", ","), (";", ";"), ("\t", "\t")])
    func delimiterIsDetected(_ delimiter: String, _ expected: String) throws {
        let lines = ["STT\(delimiter)Chỉ tiêu\(delimiter)Đơn vị\(delimiter)Số liệu",
                     "1\(delimiter)\"a, b; c\"\(delimiter)%\(delimiter)\"2,30\"",
                     "2\(delimiter)d\(delimiter)Hồ sơ\(delimiter)136.284"]
        let doc = try CSVReader.read(data: Data(lines.joined(separator: "\n").utf8), fileName: "t.csv")
        #expect(doc.delimiter == Character(expected))
        #expect(texts(doc.grid.rows[1]) == ["1", "a, b; c", "%", "2,30"])
    }

    @Test func unterminatedQuoteNamesTheLine() throws {
        let text = "a,b,c\n1,2,3\n4,\"open,6\n7,8,9\n"
        let error = #expect(throws: BieuMauError.self) { try CSVReader.parse(text: text, fileName: "bad.csv") }
        #expect(error?.status == .dataError)
        #expect(error?.location?.line == 3)
        #expect(error?.location?.file == "bad.csv")
        #expect(error?.message.vi.contains("ngoặc kép") == true)
    }

    @Test func encodingsAreDetected() throws {
        let text = "STT,Chỉ tiêu,Số liệu\n1,Hòa đồng Ủy ban,2\n"
        let utf8BOM = Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)
        #expect(try CSVReader.read(data: utf8BOM, fileName: "a").encoding == .utf8BOM)
        var le = Data([0xFF, 0xFE])
        for u in text.utf16 { le.append(UInt8(u & 0xFF)); le.append(UInt8(u >> 8)) }
        var be = Data([0xFE, 0xFF])
        for u in text.utf16 { be.append(UInt8(u >> 8)); be.append(UInt8(u & 0xFF)) }
        for (data, enc) in [(utf8BOM, CSVEncoding.utf8BOM), (le, .utf16LE), (be, .utf16BE), (Data(text.utf8), .utf8)] {
            let doc = try CSVReader.read(data: data, fileName: "a")
            #expect(doc.encoding == enc)
            #expect(doc.grid.rows[1].value(at: 1).plainText == "Hòa đồng Ủy ban")
        }
    }

    @Test func windows1258WithCombiningTonesBecomesNFC() throws {
        // "Hồ sơ" in Windows-1258 as Excel writes it: base letters, then combining tone bytes.
        // H=0x48, ô=0xF4, grave tone=0xCC, space, s, ơ=0xF5.
        let bytes: [UInt8] = [0x61, 0x3B, 0x62, 0x3B, 0x63, 0x0A, 0x48, 0xF4, 0xCC, 0x20, 0x73, 0xF5, 0x3B, 0x31, 0x3B, 0x32, 0x0A]
        let doc = try CSVReader.read(data: Data(bytes), fileName: "w.csv")
        #expect(doc.encoding == .windows1258)
        #expect(doc.delimiter == ";")
        let cell = doc.grid.rows[1].value(at: 0).plainText
        #expect(cell == "Hồ sơ")
        #expect(cell.unicodeScalars.count == 5)   // precomposed ồ
    }

    @Test func undecodableBytesNameTheLine() throws {
        // 0x81 is undefined in Windows-1258 and invalid UTF-8.
        let bytes: [UInt8] = Array("a,b,c\n1,2,3\n".utf8) + [0x78, 0x81, 0x0A]
        let error = #expect(throws: BieuMauError.self) { try CSVReader.read(data: Data(bytes), fileName: "x.csv") }
        #expect(error?.status == .dataError)
        #expect(error?.location?.line == 3)
        #expect(error?.location?.file == "x.csv")
    }

    @Test func excelSeparatorLineNamesTheDelimiter() throws {
        // Without the hint, ',' would win: every line has two commas and one ';'.
        let doc = try CSVReader.read(data: Data("sep=;\na,b;c,d;e\n1,5;2,5;3\n".utf8), fileName: "s.csv")
        #expect(doc.delimiter == ";")
        // The hint line is not a row (as the streaming dump always had it; the in-memory reader
        // used to keep "sep=" as a first row).
        #expect(texts(doc.grid.rows[0]) == ["a,b", "c,d", "e"])
        #expect(doc.grid.rows[0].sourceLine == 2)
        #expect(doc.grid.rows.count == 2)
    }

    @Test func emptyFileIsADataError() {
        let error = #expect(throws: BieuMauError.self) { try CSVReader.read(data: Data(), fileName: "rong.csv") }
        #expect(error?.status == .dataError)
        #expect(error?.message.vi.contains("rỗng") == true)
    }

    @Test func missingFileIsExit66() {
        let error = #expect(throws: BieuMauError.self) { try CSVReader.read(file: "/nonexistent/x.csv") }
        #expect(error?.status == .noInput)
    }
}
