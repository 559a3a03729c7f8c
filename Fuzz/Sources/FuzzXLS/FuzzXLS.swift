import Foundation
import SheetGrid
import Support
import XLSInput

/// Whole .xls bytes → a temporary file → our Swift reader (compound file, BIFF records, every
/// sheet's grid). No C code reads the bytes: any crash, hang or runaway allocation is ours.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = NSTemporaryDirectory() + "bieumau-fuzz-\(getpid()).xls"
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else { return 0 }
    defer { unlink(path) }
    var limits = XLSLimits()
    limits.maxDeclaredCells = 2_000_000
    limits.maxCellsPerSheet = 200_000
    guard let doc = try? XLSDocument(path: path, limits: limits) else { return 0 }
    for i in doc.sheetEntries.indices { _ = try? doc.grid(ofSheet: i) }
    _ = doc.notices
    return 0
}
