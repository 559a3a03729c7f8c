import BieuMau
import Foundation
import Support
import Testing
import TestSupport

/// The reader entry point tells formats apart by their bytes, on disk and in memory.
@Suite struct FormatSniffingTests {
    static let fixtures = TestPaths.packageRoot.appendingPathComponent("Tests/BieuMauTests/Fixtures/formats")

    @Test(arguments: [
        ("libreoffice.xlsx", InputFormat.xlsx),
        ("libreoffice.xls", InputFormat.xls),
        ("libreoffice.ods", InputFormat.ods),
        ("no-mimetype.ods", InputFormat.ods),
        ("python-docx.docx", InputFormat.docx),
        ("odfpy.odt", InputFormat.odt),
    ])
    func producersFilesAreRecognised(file: String, expected: InputFormat) throws {
        let path = Self.fixtures.appendingPathComponent(file).path
        #expect(try InputFormat.sniff(path: path) == expected)
        #expect(InputFormat.sniff(bytes: try Data(contentsOf: URL(fileURLWithPath: path))) == expected)
    }

    @Test func textIsCSVWhateverTheName() throws {
        let folder = TestPaths.temporaryFolder("sniff")
        let path = folder.appendingPathComponent("bang.xlsx").path
        try Data("STT,Nội dung,Số liệu\n1,Thủ tục,12\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try InputFormat.sniff(path: path) == .csv)
        // Windows-1258 bytes are text too.
        #expect(InputFormat.sniff(bytes: Data([0x53, 0x54, 0x54, 0x2C, 0xD0, 0xEC, 0x6E, 0x0A])) == .csv)
    }

    @Test func missingFileIs66() {
        #expect(throws: BieuMauError.self) { try InputFormat.sniff(path: "/nonexistent/bieumau/x.xlsx") }
        do { _ = try InputFormat.sniff(path: "/nonexistent/bieumau/x.xlsx") } catch let e as BieuMauError {
            #expect(e.status == .noInput)
        } catch { Issue.record("unexpected \(error)") }
    }

    /// A compound file (512-byte sectors) whose directory holds the root entry and `streams`.
    static func compoundFile(streams: [String]) -> Data {
        var bytes = [UInt8](repeating: 0, count: 512)
        bytes.replaceSubrange(0..<8, with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        bytes[0x1E] = 9   // sector shift: 512
        func entry(_ name: String, type: UInt8) -> [UInt8] {
            var e = [UInt8](repeating: 0, count: 128)
            let units = Array(name.utf16) + [0]
            for (i, u) in units.enumerated() { e[2 * i] = UInt8(u & 0xFF); e[2 * i + 1] = UInt8(u >> 8) }
            e[64] = UInt8(units.count * 2)
            e[66] = type
            return e
        }
        bytes += entry("Root Entry", type: 5)
        for s in streams { bytes += entry(s, type: 2) }
        while bytes.count % 512 != 0 { bytes.append(0) }
        return Data(bytes)
    }

    @Test func compoundFilesAreToldApartByTheirStreams() {
        #expect(InputFormat.sniff(bytes: Self.compoundFile(streams: ["WordDocument", "1Table"])) == .doc)
        #expect(InputFormat.sniff(bytes: Self.compoundFile(streams: ["EncryptionInfo", "EncryptedPackage"])) == .encrypted)
        #expect(InputFormat.sniff(bytes: Self.compoundFile(streams: ["Book"])) == .xls)
        #expect(InputFormat.sniff(bytes: Self.compoundFile(streams: ["Workbook"])) == .xls)
        // Streams we know nothing of: an OLE file of unknown kind (legacy Excel or encrypted).
        #expect(InputFormat.sniff(bytes: Self.compoundFile(streams: ["Contents"])) == .ole)
    }
}
