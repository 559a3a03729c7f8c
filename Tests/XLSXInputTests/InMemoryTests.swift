import Foundation
import SheetGrid
import Support
import Testing
import TestSupport
@testable import XLSXInput
import ZipWrapper

/// A workbook opened from its bytes in memory (the merge reads each file once, hashes it and opens
/// the zip from the same bytes) must read, and refuse, exactly as the same file opened by path.
@Suite struct InMemoryWorkbookTests {
    /// What a reader sees of a workbook: every worksheet's grid, or the error text.
    static func outcome(_ open: () throws -> XLSXWorkbook) -> String {
        do {
            let wb = try open()
            var out = "sheets: \(wb.sheets.map { "\($0.name)|\($0.state)|\($0.kind)|\($0.part ?? "-")" })\n"
            out += "properties: \(wb.properties.sorted { $0.key < $1.key })\n"
            for s in wb.worksheets {
                do {
                    let g = try wb.readGrid(s)
                    out += "\(s.name): \(g.rows.count) rows, merges \(g.merges)\n"
                    for r in g.rows { out += "\(r)\n" }
                } catch {
                    out += "\(s.name): error \(Self.describe(error))\n"
                }
            }
            out += "notices: \(wb.notices)\n"
            return out
        } catch {
            return "error \(Self.describe(error))"
        }
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? BieuMauError { return "\(e.status) \(e.message.vi) | \(e.message.en) @ \(String(describing: e.location))" }
        return "\(error)"
    }

    static func compare(bytes: [UInt8], path: String) -> (String, String) {
        let byPath = outcome { try XLSXWorkbook(path: path, limits: .appendix) }
        let inMemory = outcome { try bytes.withUnsafeBytes { try XLSXWorkbook(contents: $0, path: path, limits: .appendix) } }
        return (byPath, inMemory)
    }

    @Test("committed fixtures and built workbooks read the same from memory as from the file")
    func fixtures() throws {
        let folder = TestPaths.packageRoot.appendingPathComponent("Tests/XLSXInputTests/Fixtures/real-world")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".xlsx") }.sorted()
        #expect(names.count >= 5)
        var paths = names.map { folder.appendingPathComponent($0).path }
        var built = WorkbookFixture(sheetData: """
        <row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" s="1"><v>0.25</v></c></row><row r="1"><c r="C1"><f>1+1</f><v>2</v></c></row>
        """)
        built.sharedStrings = "<sst xmlns=\"\(WorkbookFixture.ns)\"><si><t>Chỉ tiêu</t></si></sst>"
        paths.append(try built.write("built.xlsx"))
        for path in paths {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let (a, b) = Self.compare(bytes: bytes, path: path)
            #expect(a == b, "\(path)")
            #expect(!a.hasPrefix("error") || path.contains("garbage"), "\(path): \(a.prefix(300))")
        }
    }

    @Test("damaged copies (cut short, bytes changed, not a zip, empty) are refused with the same message from memory as from the file")
    func damaged() throws {
        let source = WorkbookFixture(sheetData: """
        <row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is></c><c r="B1"><v>12</v></c></row>
        """).bytes()
        let dir = TestPaths.temporaryFolder("inmemory")
        var variants: [[UInt8]] = [[], Array("STT,Chỉ tiêu\n1,2\n".utf8), [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 600)]
        for cut in stride(from: 1, to: source.count, by: max(1, source.count / 60)) { variants.append(Array(source[0..<cut])) }
        var rng = SplitMix64(state: 42)
        for _ in 0..<60 {
            var v = source
            for _ in 0..<3 { v[Int.random(in: 0..<v.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            variants.append(v)
        }
        var refused = 0
        for (i, bytes) in variants.enumerated() {
            let path = dir.appendingPathComponent("v\(i).xlsx").path
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let (a, b) = Self.compare(bytes: bytes, path: path)
            #expect(a == b, "variant \(i) (\(bytes.count) bytes)")
            if a.hasPrefix("error") { refused += 1 }
        }
        #expect(refused > variants.count / 2)
    }

    @Test("every corpus workbook reads the same from memory as from the file",
          .enabled(if: TestPaths.corpus != nil, "needs the corpus ($BIEUMAU_CORPUS or ../shared/corpus beside the checkout)"))
    func corpus() throws {
        let corpus = try #require(TestPaths.corpus)
        let files = try CorpusTests.manifest(corpus).map(\.file).filter { $0.hasSuffix(".xlsx") }
        #expect(files.count > 100)
        for file in files {
            let path = corpus.appendingPathComponent(file).path
            guard let data = FileManager.default.contents(atPath: path), data.count < 4 << 20 else { continue }
            let (a, b) = Self.compare(bytes: [UInt8](data), path: path)
            #expect(a == b, "\(file)")
        }
    }

    @Test("a zip archive from memory lists and inflates the same entries as from the file")
    func zipEntries() throws {
        var fixture = WorkbookFixture(sheetData: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")
        fixture.sharedStrings = "<sst xmlns=\"\(WorkbookFixture.ns)\"><si><t>x</t></si></sst>"
        let path = try fixture.write("zip.xlsx")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let fromFile = try ZipArchive(path: path)
        let fromMemory = try bytes.withUnsafeBytes { try ZipArchive(bytes: $0, path: path) }
        #expect(fromFile.entries == fromMemory.entries)
        #expect(fromMemory.path == path)
        for e in fromFile.entries {
            #expect(try fromFile.readAll(e) == fromMemory.readAll(e), "\(e.name)")
        }
    }
}

/// `PartNames.resolve`'s byte path against the general one on every combination of a few segments.
@Suite struct PartNameTests {
    @Test("the ASCII fast path resolves every short combination of segments as the general one does")
    func exhaustive() {
        let pieces = ["a", "xl", ".", "..", "/", "b.xml", "_rels", "//"]
        var names: [String] = [""]
        for _ in 0..<4 { names = names.flatMap { n in pieces.map { n + $0 } } + names }
        names = Array(Set(names)).sorted()
        let sources = ["", "xl/workbook.xml", "/xl/workbook.xml", "a/b/c.xml", "x.xml", "a//b/"]
        var checked = 0
        for target in names {
            for source in sources {
                let fast = PartNames.resolveASCII(target, relativeTo: source)
                #expect(fast != nil)
                #expect(fast == PartNames.resolveGeneral(target, relativeTo: source), "\(target) relative to \(source)")
                checked += 1
            }
        }
        #expect(checked > 10_000)
        // Names the fast path leaves to the general one.
        for target in ["a\\b.xml", "sheet%201.xml", "x.xml#frag", "Bảng/ổ.xml"] {
            #expect(PartNames.resolveASCII(target, relativeTo: "xl/workbook.xml") == nil)
        }
        #expect(PartNames.resolve("worksheets/sheet1.xml", relativeTo: "xl/workbook.xml") == "xl/worksheets/sheet1.xml")
        #expect(PartNames.resolve("/xl/styles.xml", relativeTo: "xl/workbook.xml") == "xl/styles.xml")
        #expect(PartNames.resolve("..\\docProps\\custom.xml", relativeTo: "xl/workbook.xml") == "docProps/custom.xml")
        #expect(PartNames.resolve("sheet%201.xml#x", relativeTo: "xl/workbook.xml") == "xl/sheet 1.xml")
    }
}

@Suite struct FileContentsTests {
    @Test("a regular file is read whole; a folder, a missing file and one over the limit are left to the caller")
    func load() throws {
        let dir = TestPaths.temporaryFolder("contents")
        for size in [0, 1, 4095, 4096, 70_001] {
            let path = dir.appendingPathComponent("f\(size)").path
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let c = try #require(FileContents.load(path, maxBytes: 1 << 20))
            #expect(c.bytes == bytes)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let modified = try #require(attributes[.modificationDate] as? Date)
            #expect(abs(c.modified.timeIntervalSince(modified)) < 0.001)
            #expect(FileContents.load(path, maxBytes: size - 1) == nil || size == 0)
        }
        #expect(FileContents.load(dir.path, maxBytes: 1 << 20) == nil)
        #expect(FileContents.load(dir.appendingPathComponent("missing").path, maxBytes: 1 << 20) == nil)
    }
}
