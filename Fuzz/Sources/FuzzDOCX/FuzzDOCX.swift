import Foundation
import SheetGrid
import Support
@testable import DOCXInput

/// The Word reader. First byte even: the rest is `word/document.xml` itself, read by the body
/// handler through the XML scanner (where most of the reader's logic is); odd: the rest is a
/// whole .docx package on disk. Every table's grid is then built.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    var limits = DOCXLimits()
    limits.maxBlocks = 100_000
    limits.maxTextBytes = 8 << 20
    limits.maxPartBytes = 32 << 20
    limits.maxTotalUncompressedBytes = 64 << 20
    let document: DOCXDocument?
    if data[0] % 2 == 0 {
        let xml = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
        document = try? DOCXDocument(documentXML: xml, path: "fuzz.docx", limits: limits)
    } else {
        let path = NSTemporaryDirectory() + "bieumau-fuzz-\(getpid()).docx"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data + 1, count: size - 1)) else { return 0 }
        defer { unlink(path) }
        document = try? DOCXDocument(path: path, limits: limits)
    }
    guard let document else { return 0 }
    for i in document.sheetEntries.indices {
        if let grid = try? document.grid(ofSheet: i) {
            for row in grid.rows { for cell in row.cells { _ = grid.location(row: row, column: cell.column) } }
        }
    }
    _ = document.paragraphs.map(\.headingLevel)
    return 0
}
