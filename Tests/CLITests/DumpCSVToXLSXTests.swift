import Foundation
import Testing
import TestSupport

private let binaryPresent = FileManager.default.isExecutableFile(atPath: Run.bieumauPath)
private let canCheck = binaryPresent && Tools.python("openpyxl")

/// Cells of the first sheet as `type:value` strings, read back by openpyxl.
private func readBack(_ path: String) throws -> (sheet: String, rows: [[String]]) {
    let r = try Run.python("""
    import sys, json, openpyxl
    ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
    rows = []
    for row in ws.iter_rows():
        out = []
        for c in row:
            v = c.value
            out.append("" if v is None else ("n:" + repr(v)) if isinstance(v, (int, float)) else "s:" + v)
        rows.append(out)
    print(json.dumps({"sheet": ws.title, "rows": rows}))
    """, [path])
    guard r.status == 0, let data = r.stdout.data(using: .utf8),
          let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw NSError(domain: "readBack", code: 1, userInfo: [NSLocalizedDescriptionKey: r.stderr])
    }
    return (obj["sheet"] as? String ?? "", obj["rows"] as? [[String]] ?? [])
}

@Suite struct DumpCSVToXLSXTests {
    @Test(.enabled(if: canCheck, "needs the built binary and python3 with openpyxl"))
    func plainNumbersBecomeNumbersEverythingElseText() throws {
        let dir = TestPaths.temporaryFolder("dump-csv")
        let input = dir.appendingPathComponent("so-lieu.csv")
        let nfd = "Ngân Sơn".decomposedStringWithCanonicalMapping
        let csv = """
        STT,Chỉ tiêu,Số liệu,Ghi chú
        1,\(nfd),-12,03
        2,"Tỷ lệ, %",3.5,"1.234,5"\r
        3,"Hai
        dòng",0.25,1e5
        4,,+3,1234567890123456
        5,x,0,00.5
        6,1.234,-0.5,.5

        """
        try Data(csv.utf8).write(to: input)
        let out = dir.appendingPathComponent("so-lieu.xlsx").path
        let r = try Run.bieumau(["dump", input.path, "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("7") && r.stdout.contains(out))
        let (sheet, rows) = try readBack(out)
        #expect(sheet == "so-lieu")
        #expect(rows.count == 7)
        #expect(rows[0] == ["s:STT", "s:Chỉ tiêu", "s:Số liệu", "s:Ghi chú"])
        // Plain decimals are numbers; a leading zero, grouping, exponent, sign + or 16 digits stay text.
        #expect(rows[1] == ["n:1", "s:Ngân Sơn", "n:-12", "s:03"])
        #expect(rows[1][1].unicodeScalars.count == "s:Ngân Sơn".precomposedStringWithCanonicalMapping.unicodeScalars.count, "NFC")
        #expect(rows[2] == ["n:2", "s:Tỷ lệ, %", "n:3.5", "s:1.234,5"])
        #expect(rows[3] == ["n:3", "s:Hai\ndòng", "n:0.25", "s:1e5"])
        #expect(rows[4] == ["n:4", "", "s:+3", "s:1234567890123456"])
        #expect(rows[5] == ["n:5", "s:x", "n:0", "s:00.5"])
        #expect(rows[6] == ["n:6", "n:1.234", "n:-0.5", "s:.5"])
    }

    @Test(.enabled(if: canCheck, "needs the built binary and python3 with openpyxl"))
    func windows1258SemicolonsAndSheetName() throws {
        let dir = TestPaths.temporaryFolder("dump-1258")
        let input = dir.appendingPathComponent("excel.csv")
        // "Hoà" with the tone as a combining grave (0xCC in Windows-1258), ';' as Excel writes it.
        let bytes: [UInt8] = Array("STT;Ten;So\r\n1;Ho".utf8) + [0x61, 0xCC] + Array(";136\r\n".utf8)
        try Data(bytes).write(to: input)
        let out = dir.appendingPathComponent("x.xlsx").path
        let r = try Run.bieumau(["dump", input.path, "-o", out, "--sheet", "Phụ lục"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Windows-1258"))
        let (sheet, rows) = try readBack(out)
        #expect(sheet == "Phụ lục")
        #expect(rows == [["s:STT", "s:Ten", "s:So"], ["n:1", "s:Ho\u{00E0}", "n:136"]])
    }

    @Test(.enabled(if: binaryPresent, "needs the built bieumau binary"))
    func failuresHaveTheirExitCodesAndLeaveNoOutput() throws {
        let dir = TestPaths.temporaryFolder("dump-csv-fail")
        let good = dir.appendingPathComponent("a.csv")
        try Data("a,b,c\n1,2,3\n".utf8).write(to: good)
        let out = dir.appendingPathComponent("a.xlsx").path
        #expect(try Run.bieumau(["dump", good.path]).status == 64)            // no -o
        #expect(try Run.bieumau(["dump", good.path, "-o", dir.appendingPathComponent("a.csv2").path]).status == 64)
        let missing = try Run.bieumau(["dump", dir.appendingPathComponent("none.csv").path, "-o", out])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("none.csv"))
        let bad = dir.appendingPathComponent("bad.csv")
        try Data("a,b\n1,\"open\n2,3\n".utf8).write(to: bad)
        let e = try Run.bieumau(["dump", bad.path, "-o", out, "--lang", "en"])
        #expect(e.status == 65)
        #expect(e.stderr.contains("bad.csv") && e.stderr.contains("line 2") && e.stderr.contains("never closed"))
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try Run.bieumau(["dump", good.path, "-o", out]).status == 0)
        let again = try Run.bieumau(["dump", good.path, "-o", out])
        #expect(again.status == 73)
        #expect(try Run.bieumau(["dump", good.path, "-o", out, "--force"]).status == 0)
    }
}
