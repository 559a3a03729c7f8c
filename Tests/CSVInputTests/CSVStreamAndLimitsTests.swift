import CSVInput
import Foundation
import SheetGrid
import Support
import Testing
import TestSupport

private func write(_ bytes: [UInt8], _ name: String = "t.csv") throws -> String {
    let dir = TestPaths.temporaryFolder("csv-stream")
    let path = dir.appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

/// Records as (line, fields without trailing empty ones).
private func streamed(_ path: String, chunkSize: Int = 1 << 18, delimiter: Character? = nil) throws -> [(Int, [String])] {
    let reader = try CSVStreamReader(file: path, delimiter: delimiter, chunkSize: chunkSize)
    var out: [(Int, [String])] = []
    try reader.forEachRecord { r in
        var fields = (0..<r.count).map { r.string($0) }
        while fields.last == "" { fields.removeLast() }
        out.append((r.line, fields))
    }
    return out
}

private func whole(_ path: String) throws -> [(Int, [String])] {
    let doc = try CSVReader.read(file: path)
    return doc.grid.rows.map { row in
        guard let last = row.cells.map(\.column).max() else { return (row.sourceLine ?? 0, []) }
        return (row.sourceLine ?? 0, (0...last).map { row.value(at: $0).plainText })
    }
}

@Suite struct CSVStreamReaderTests {
    static let samples: [(String, [UInt8])] = [
        ("quotes and breaks", Array("a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n2,\"line one\nline two\",4\r\n5,6,7".utf8)),
        ("mixed line ends", Array("a,b,c\rd,e,f\ng,h,i\r\n\r\n,,\nlast,\"\"".utf8)),
        ("semicolons", Array("STT;Chỉ tiêu;Số liệu\n1;Hồ sơ;136.284\n2;\"Tỷ lệ; %\";2,30\n".utf8)),
        ("tabs, BOM", [0xEF, 0xBB, 0xBF] + Array("STT\tChỉ tiêu\tSố liệu\n1\tHồ sơ\t14\n".utf8)),
        ("quote inside", Array("a,b\"c,\"d\"e,f\n".utf8)),
        // Where the two readers used to disagree: the in-memory one kept Excel's hint line as a row.
        ("excel sep= line", Array("sep=;\r\na;b;c\r\n1;2;3\r\n".utf8)),
    ]

    @Test(arguments: [1, 2, 3, 5, 7, 64, 1 << 18])
    func streamingGivesTheRecordsOfTheWholeFileReader(chunkSize: Int) throws {
        for (name, bytes) in Self.samples {
            let path = try write(bytes)
            let a = try streamed(path, chunkSize: chunkSize)
            let b = try whole(path)
            #expect(a.map(\.0) == b.map(\.0), "\(name): lines")
            #expect(a.map(\.1) == b.map(\.1), "\(name): fields")
        }
    }

    @Test func fieldsLinesAndEncodingsByHand() throws {
        // UTF-16LE with BOM, tab-separated (Excel "Unicode text").
        let text = "STT\tChỉ tiêu\tSố liệu\n1\t\"Hai\ndòng\"\t3\n2\tHoà\t4\n"
        let utf16: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { (u: UInt16) -> [UInt8] in [UInt8(u & 0xFF), UInt8(u >> 8)] }
        for chunk in [1, 3, 1 << 18] {
            let r = try streamed(try write(utf16), chunkSize: chunk)
            #expect(r.map(\.1) == [["STT", "Chỉ tiêu", "Số liệu"], ["1", "Hai\ndòng", "3"], ["2", "Hoà", "4"]])
            #expect(r.map(\.0) == [1, 2, 4])
        }
        // Windows-1258: tone marks as combining characters (0xCC is U+0300), read as NFC.
        let w1258: [UInt8] = Array("a;b;c\n1;Ho".utf8) + [0x61, 0xCC] + Array(";x\n".utf8)
        let reader = try CSVStreamReader(file: try write(w1258))
        #expect(reader.encoding == .windows1258)
        #expect(reader.delimiter == ";")
        var second: [String] = []
        try reader.forEachRecord { if $0.index == 1 { second = (0..<$0.count).map($0.string) } }
        #expect(second == ["1", "Ho\u{00E0}", "x"])
        // Excel's sep= line names the delimiter and is not a record.
        let sep = try streamed(try write(Array("sep=;\r\na;b\r\n1;2\r\n".utf8)))
        #expect(sep.map(\.1) == [["a", "b"], ["1", "2"]])
        #expect(sep.map(\.0) == [2, 3])
    }

    @Test func badInputsAreRefusedWithTheirLine() throws {
        let e1 = refusal { _ = try streamed(try write(Array("a,b\n1,\"open\n2,3\n".utf8))) }
        #expect(e1?.status == .dataError)
        #expect(e1?.location?.line == 2)
        #expect(e1?.message.en.contains("never closed") == true)
        let e2 = refusal { _ = try CSVStreamReader(file: try write(Array("a,b\n1,\0\n".utf8))) }
        #expect(e2?.message.en.contains("NUL") == true)
        #expect(e2?.location?.line == 2)
        let e3 = refusal { _ = try CSVStreamReader(file: try write([])) }
        #expect(e3?.message.en.contains("empty") == true)
        let e4 = refusal { _ = try CSVStreamReader(file: "/nonexistent/x.csv") }
        #expect(e4?.status == .noInput)
        // UTF-8 but for one bad byte: named at its line and character by both readers (the check
        // the in-memory reader had is now the one detection's), not read as Windows-1258.
        var damaged = Array("STT,Chỉ tiêu,Số liệu\n".utf8)
        for i in 1...30 { damaged += Array("\(i),Hồ sơ tiếp nhận đúng hạn,\(i)\n".utf8) }
        damaged += Array("31,Số T".utf8) + [0xFF] + Array("T,1\n".utf8)
        let path = try write(damaged)
        for e in [refusal { _ = try CSVStreamReader(file: path) }, refusal { _ = try CSVReader.read(file: path) }] {
            #expect(e?.status == .dataError)
            #expect(e?.location?.line == 32)
            #expect(e?.location?.column == 8)
            #expect(e?.message.en.contains("0xFF") == true)
        }
    }
}

@Suite struct CSVLimitsTests {
    /// One field of 12 MiB (limit 4 MiB) behind an unclosed quote: refused quickly, naming file, line and column.
    @Test func hugeFieldIsRefusedQuickly() throws {
        var bytes = Array("STT,Chỉ tiêu,Số liệu\n1,\"".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 12 << 20)
        let path = try write(bytes, "huge.csv")
        let start = Date()
        let e = refusal { _ = try CSVReader.read(file: path) }
        #expect(Date().timeIntervalSince(start) < 120, "a hang guard, not a speed target (speed is measured in Benchmarks/)")
        #expect(e?.status == .dataError)
        #expect(e?.location?.file == path)
        #expect(e?.location?.line == 2)
        #expect(e?.location?.column == 2)
        #expect(e?.message.en.contains("longer than \(4 << 20) bytes") == true)
        #expect(e?.message.vi.contains("dài hơn") == true)

        let start2 = Date()
        let e2 = refusal { _ = try streamed(path) }
        #expect(Date().timeIntervalSince(start2) < 120, "a hang guard, not a speed target")
        #expect(e2?.location?.file == path)
        #expect(e2?.location?.line == 2)
        #expect(e2?.message.en.contains("longer than") == true)
    }

    @Test func fileRecordAndFieldCountsAreBounded() throws {
        let path = try write(Array("a,b,c\n1,2,3\n4,5,6\n".utf8))
        var small = CSVLimits()
        small.maxFileBytes = 10
        let e1 = refusal { _ = try CSVReader.read(file: path, limits: small) }
        #expect(e1?.message.en.contains("over the 10-byte limit") == true)
        #expect(e1?.location?.file == path)

        small = CSVLimits()
        small.maxRecords = 2
        let e2 = refusal { _ = try CSVReader.read(file: path, limits: small) }
        #expect(e2?.message.en.contains("more than 2 records") == true)
        #expect(e2?.location?.line == 3)
        let e2s = refusal { try CSVStreamReader(file: path, limits: small).forEachRecord { _ in } }
        #expect(e2s?.location?.line == 3)

        small = CSVLimits()
        small.maxFieldsPerRecord = 2
        let e3 = refusal { _ = try CSVReader.read(file: path, limits: small) }
        #expect(e3?.message.en.contains("more than 2 fields") == true)
        #expect(e3?.location?.line == 1)
        let e3s = refusal { try CSVStreamReader(file: path, limits: small).forEachRecord { _ in } }
        #expect(e3s?.message.en.contains("more than 2 fields") == true)
    }
}
