import Foundation
import ODSInput
import SheetGrid
import Support

/// Whole .ods bytes → a temporary file (the reader opens paths) → every sheet read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = NSTemporaryDirectory() + "bieumau-fuzz-\(getpid()).ods"
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else { return 0 }
    defer { unlink(path) }
    var limits = ODSLimits()
    limits.maxCellsPerSheet = 200_000
    limits.maxTotalUncompressedBytes = 64 << 20
    limits.maxPartBytes = 32 << 20
    guard let doc = try? ODSDocument(path: path, limits: limits) else { return 0 }
    for i in doc.sheetEntries.indices { _ = try? doc.grid(ofSheet: i) }
    return 0
}
