import Foundation
import SheetGrid
import Support
import Testing
import TestSupport
@testable import XLSXInput
import ZipWrapper

/// A merge's readers (threads inside `MemoWorker.run`) keep what one file taught them for the next:
/// the strings of the shared-string tables (`TextInterner`) and the scanned small package parts
/// (`PartCache`, by their stored bytes). Whatever they kept, every file must read, and be
/// refused, exactly as it is outside a worker.
@Suite struct WorkerReuseTests {
    static func outcome(bytes: [UInt8], path: String) -> String {
        InMemoryWorkbookTests.outcome { try bytes.withUnsafeBytes { try XLSXWorkbook(contents: $0, path: path, limits: .appendix) } }
    }

    /// Each file's outcome outside a worker, then inside one worker: twice in a row, then all of them
    /// again in reverse order (so each file follows others that filled the caches).
    static func check(_ files: [(path: String, bytes: [UInt8])]) {
        let outside = files.map { outcome(bytes: $0.bytes, path: $0.path) }
        var inside: [[String]] = []
        MemoWorker.run {
            #expect(TextInterner.forCurrentWorker != nil && PartCache.forCurrentWorker != nil)
            inside.append(files.map { outcome(bytes: $0.bytes, path: $0.path) })
            // Something was kept to be reused (else this test would test nothing).
            #expect(PartCache.forCurrentWorker!.results.count > 0)
            #expect(TextInterner.forCurrentWorker!.count > 0 || !outside.joined().contains(" rows"))
            inside.append(files.map { outcome(bytes: $0.bytes, path: $0.path) })
            inside.append(files.reversed().map { outcome(bytes: $0.bytes, path: $0.path) }.reversed())
        }
        for round in inside {
            for (k, file) in files.enumerated() {
                #expect(round[k] == outside[k], "\(file.path)")
            }
        }
    }

    @Test("no worker, no reuse: outside MemoWorker.run nothing is kept")
    func nothingOutsideWorkers() {
        #expect(TextInterner.forCurrentWorker == nil)
        #expect(PartCache.forCurrentWorker == nil)
    }

    @Test("the committed real-world fixtures read the same inside a merge worker")
    func fixtures() throws {
        let folder = TestPaths.packageRoot.appendingPathComponent("Tests/XLSXInputTests/Fixtures/real-world")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".xlsx") }.sorted()
        #expect(names.count >= 5)
        let files = try names.map { name -> (path: String, bytes: [UInt8]) in
            let path = folder.appendingPathComponent(name).path
            return (path, [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        Self.check(files)
    }

    /// Workbooks of one template (same rels, workbook and styles bytes) with different cells, and
    /// look-alikes whose parts differ by a byte, a declared CRC, a sheet name or a style.
    @Test("parts stored alike are reused; parts differing in bytes, declared CRC or content are not")
    func templateFamily() throws {
        var base = WorkbookFixture(sheetData: """
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>0.25</v></c><c r="C1" s="2"><v>45000</v></c></row>
        """)
        base.sharedStrings = "<sst xmlns=\"\(WorkbookFixture.ns)\"><si><t>Chỉ tiêu</t></si></sst>"
        base.styles = """
        <styleSheet xmlns="\(WorkbookFixture.ns)"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>\
        <fonts count="2"><font><name val="Times New Roman"/></font><font><b/><name val=".VnTime"/></font></fonts>\
        <cellXfs count="3"><xf numFmtId="0" fontId="0"/><xf numFmtId="164" fontId="1"/><xf numFmtId="14" fontId="0"/></cellXfs></styleSheet>
        """
        var files: [(path: String, bytes: [UInt8])] = [("base.xlsx", base.bytes())]
        var other = WorkbookFixture(sheetData: """
        <row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>0</v></c><c r="C2" s="1"><v>7</v></c></row>
        """)
        other.styles = base.styles
        other.sharedStrings = "<sst xmlns=\"\(WorkbookFixture.ns)\"><si><t>Đơn vị</t></si><si><t>Chỉ tiêu</t></si></sst>"
        files.append(("other-cells.xlsx", other.bytes()))
        // The styles part stored byte for byte as in base.xlsx, but its declared CRC is wrong.
        files.append(("bad-crc-styles.xlsx", base.bytes(corruptCRCOf: "xl/styles.xml")))
        files.append(("bad-crc-workbook.xlsx", base.bytes(corruptCRCOf: "xl/workbook.xml")))
        files.append(("bad-crc-rels.xlsx", base.bytes(corruptCRCOf: "_rels/.rels")))
        // One style different (bold off, date format on the second style).
        var restyled = base
        restyled.styles = base.styles!.replacingOccurrences(of: "<b/>", with: "").replacingOccurrences(of: "numFmtId=\"164\" fontId", with: "numFmtId=\"14\" fontId")
        files.append(("restyled.xlsx", restyled.bytes()))
        var renamed = base
        renamed.workbook = base.workbook.replacingOccurrences(of: "name=\"Data\"", with: "name=\"Phụ lục\"")
        files.append(("renamed.xlsx", renamed.bytes()))
        var date1904 = base
        date1904.workbook = base.workbook.replacingOccurrences(of: "<workbookPr/>", with: "<workbookPr date1904=\"1\"/>")
        files.append(("date1904.xlsx", date1904.bytes()))
        // A broken workbook part (not well-formed) after a good one of the same length.
        var broken = base
        broken.workbook = base.workbook.replacingOccurrences(of: "</sheets>", with: "</sheetz>")
        files.append(("broken-workbook.xlsx", broken.bytes()))
        files.append(("encrypted-styles.xlsx", base.bytes(encrypted: ["xl/styles.xml"])))
        Self.check(files)
        // The same bytes under another name: the file named in the message is this one.
        Self.check([("a.xlsx", files[2].bytes), ("b.xlsx", files[2].bytes)])

        // Deflated as producers store them (libzip's writer), with a wrong CRC declared for a part
        // whose deflated bytes equal those of a good file (only the declared CRC tells them apart).
        let good = try Self.deflated(base, name: "good")
        var deflatedFiles: [(path: String, bytes: [UInt8])] = [("deflated.xlsx", good)]
        for part in ["xl/styles.xml", "xl/workbook.xml", "_rels/.rels", "xl/_rels/workbook.xml.rels"] {
            deflatedFiles.append(("deflated-bad-crc-\(part.split(separator: "/").last!).xlsx", Self.corruptingCRC(of: part, in: good)))
        }
        deflatedFiles.append(("deflated-other.xlsx", try Self.deflated(other, name: "other")))
        Self.check(deflatedFiles)
    }

    /// The fixture zipped by libzip (deflate), as bytes.
    static func deflated(_ fixture: WorkbookFixture, name: String) throws -> [UInt8] {
        let folder = TestPaths.temporaryFolder("xlsx-deflated-\(name)")
        let out = folder.appendingPathComponent("\(name).xlsx").path
        let writer = try ZipWriter(path: out)
        for (k, (part, data)) in fixture.parts().enumerated() {
            let file = folder.appendingPathComponent("part\(k)").path
            try Data(data).write(to: URL(fileURLWithPath: file))
            try writer.addFile(file, as: part)
        }
        try writer.close()
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
    }

    /// The zip with the CRC-32 of entry `name` changed in its local and central headers.
    static func corruptingCRC(of name: String, in zip: [UInt8]) -> [UInt8] {
        var out = zip
        let nameBytes = Array(name.utf8)
        func le16(_ i: Int) -> Int { Int(out[i]) | Int(out[i + 1]) << 8 }
        var hits = 0
        var i = 0
        while i + 46 < out.count {
            let local = out[i] == 0x50 && out[i + 1] == 0x4B && out[i + 2] == 3 && out[i + 3] == 4
            let central = out[i] == 0x50 && out[i + 1] == 0x4B && out[i + 2] == 1 && out[i + 3] == 2
            if local || central {
                let nameAt = local ? i + 30 : i + 46
                let nameLength = le16(local ? i + 26 : i + 28)
                if nameLength == nameBytes.count, nameAt + nameLength <= out.count, Array(out[nameAt..<nameAt + nameLength]) == nameBytes {
                    out[i + (local ? 14 : 16)] ^= 0x5A
                    hits += 1
                }
            }
            i += 1
        }
        #expect(hits == 2, "\(name)")
        return out
    }

    @Test("the corpus reads the same inside a merge worker",
          .enabled(if: TestPaths.corpus != nil, "needs the corpus ($BIEUMAU_CORPUS or ../shared/corpus beside the checkout)"))
    func corpus() throws {
        let corpus = try #require(TestPaths.corpus)
        let rows = try CorpusTests.manifest(corpus)
        var files: [(path: String, bytes: [UInt8])] = []
        for row in rows where row.file.hasSuffix(".xlsx") {
            let path = corpus.appendingPathComponent(row.file).path
            guard let data = FileManager.default.contents(atPath: path), data.count < 2 << 20 else { continue }
            files.append((path, [UInt8](data)))
        }
        #expect(files.count >= 100)
        Self.check(files)
    }
}

/// `TextInterner.string` is `String(decoding:as: UTF8.self)` of the bytes, whatever was kept before.
@Suite struct TextInternerTests {
    @Test("random texts (valid and invalid UTF-8, 0–600 bytes) give String(decoding:) and the same string again")
    func randomTexts() {
        var rng = SplitMix64(state: 0x1E4A)
        let interner = TextInterner(seed: 7)
        var kept: [[UInt8]] = []
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if !kept.isEmpty && rng.chance(40) {
                bytes = rng.pick(kept)
            } else {
                let n = rng.chance(5) ? rng.below(600) : rng.below(80)
                bytes = (0..<n).map { _ in
                    // Mostly ASCII and Vietnamese UTF-8 lead/continuation bytes, some anything.
                    rng.chance(70) ? UInt8(0x20 + rng.below(0x5F)) : UInt8(rng.below(256))
                }
                if rng.chance(30) { kept.append(bytes) }
            }
            let s = interner.string(bytes)
            let expected = String(decoding: bytes, as: UTF8.self)
            #expect(s == expected && Array(s.utf8) == Array(expected.utf8), "round \(round)")
            if s != expected { return }
        }
    }

    @Test("past its entry limit the table starts again and still answers right")
    func limits() {
        let interner = TextInterner(seed: 1)
        let n = TextInterner.maxEntries + 5_000
        for k in 0..<n {
            let text = "Chỉ tiêu \(k)"
            #expect(interner.string(Array(text.utf8)) == text)
        }
        #expect(interner.count <= TextInterner.maxEntries)
        #expect(interner.count >= 1)
        // Texts longer than the limit are made, not kept.
        let long = String(repeating: "ă", count: TextInterner.maxTextBytes)
        let before = interner.count
        #expect(interner.string(Array(long.utf8)) == long)
        #expect(interner.count == before)
        #expect(interner.string([]) == "")
    }

    @Test("two seeds, the same answers")
    func seeds() {
        let a = TextInterner(seed: 1), b = TextInterner(seed: 0xFFFF_FFFF_FFFF)
        for k in 0..<3_000 {
            let bytes = Array("\(k * 7919) đơn vị".utf8)
            #expect(a.string(bytes) == b.string(bytes))
        }
    }
}
