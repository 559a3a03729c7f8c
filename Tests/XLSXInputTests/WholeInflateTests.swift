import Foundation
import Testing
import TestSupport
@testable import ZipWrapper

/// Small deflated entries are inflated whole with libdeflate (`ZipArchive.inflateWhole`); anything
/// it does not give exactly (declared size and CRC-32) is streamed through libzip as before. Every
/// entry must read to the same bytes, or fail with the same error, both ways.
@Suite struct WholeInflateTests {
    /// Every entry of the archive: its bytes (as a digest of length and content) or its error.
    static func entries(_ bytes: [UInt8], whole: Bool, chunkSize: Int = 1 << 16) -> [String] {
        do {
            let archive = try bytes.withUnsafeBytes { try ZipArchive(bytes: $0, path: "x.zip") }
            archive.inflatesWhole = whole
            return archive.entries.map { entry in
                do {
                    var data: [UInt8] = []
                    var chunks = 0
                    try archive.read(entry, chunkSize: chunkSize) { chunk in
                        data.append(contentsOf: chunk)
                        chunks += 1
                        #expect(chunk.count <= max(1024, chunkSize))
                        return true
                    }
                    return "\(entry.name): \(data.count) \(data.hashValue)"
                } catch {
                    return "\(entry.name): \(error)"
                }
            }
        } catch {
            return ["open: \(error)"]
        }
    }

    static func sameBothWays(_ bytes: [UInt8], _ what: String) {
        let streamed = entries(bytes, whole: false)
        let whole = entries(bytes, whole: true)
        #expect(whole == streamed, "\(what)")
    }

    /// A deflated workbook written by libzip's writer (the fixtures' parts).
    static func deflatedWorkbook() throws -> [UInt8] {
        var fixture = WorkbookFixture(sheetData: (1...400).map { r in
            "<row r=\"\(r)\"><c r=\"A\(r)\" t=\"s\"><v>\(r % 3)</v></c><c r=\"B\(r)\"><v>\(r * 37).25</v></c></row>"
        }.joined())
        fixture.sharedStrings = "<sst xmlns=\"\(WorkbookFixture.ns)\"><si><t>Chỉ tiêu</t></si><si><t>Đơn vị</t></si><si><t>%</t></si></sst>"
        return try WorkerReuseTests.deflated(fixture, name: "whole-inflate")
    }

    @Test("fixtures, a libzip-written workbook and the corpus: the same entries inflated whole as streamed")
    func files() throws {
        let folder = TestPaths.packageRoot.appendingPathComponent("Tests/XLSXInputTests/Fixtures/real-world")
        var files: [(String, [UInt8])] = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".xlsx") }.sorted().map { name in
                (name, [UInt8](try Data(contentsOf: folder.appendingPathComponent(name))))
            }
        files.append(("deflated", try Self.deflatedWorkbook()))
        if let corpus = TestPaths.corpus {
            for row in try CorpusTests.manifest(corpus) where row.file.hasSuffix(".xlsx") {
                let path = corpus.appendingPathComponent(row.file).path
                if let data = FileManager.default.contents(atPath: path), data.count < 4 << 20 { files.append((row.file, [UInt8](data))) }
            }
        }
        var inflatedWhole = 0
        for (name, bytes) in files {
            Self.sameBothWays(bytes, name)
            if let archive = try? bytes.withUnsafeBytes({ try ZipArchive(bytes: $0, path: name) }) {
                for e in archive.entries { if let w = archive.inflateWhole(e) { inflatedWhole += 1; w.deallocate() } }
            }
        }
        // The fast path is taken (else this compares the slow path with itself).
        #expect(inflatedWhole >= 10)
        // Chunks as a reader asks for them (the dimension reader reads 4 KiB at a time).
        let deflated = try Self.deflatedWorkbook()
        #expect(Self.entries(deflated, whole: true, chunkSize: 4096) == Self.entries(deflated, whole: false, chunkSize: 4096))
    }

    @Test("damaged deflated data, sizes and CRCs: whole and streamed reads agree (2,000 mutations)")
    func mutations() throws {
        let good = try Self.deflatedWorkbook()
        var rng = SplitMix64(state: 0xDEF1)
        for round in 0..<2_000 {
            var bytes = good
            for _ in 0..<(1 + rng.below(3)) {
                let at = rng.below(bytes.count)
                switch rng.below(3) {
                case 0: bytes[at] ^= UInt8(1 << rng.below(8))
                case 1: bytes[at] = UInt8(rng.below(256))
                default: bytes[at] = bytes[at] &+ 1
                }
            }
            let streamed = Self.entries(bytes, whole: false)
            let whole = Self.entries(bytes, whole: true)
            #expect(whole == streamed, "round \(round)")
            if whole != streamed { return }
        }
    }
}
