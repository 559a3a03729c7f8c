import Foundation
import SheetGrid
import Support
import XLSXInput

/// Whole package bytes → a temporary file (the reader opens paths) → every sheet read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = NSTemporaryDirectory() + "bieumau-fuzz-\(getpid()).xlsx"
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else { return 0 }
    defer { unlink(path) }
    var limits = XLSXLimits()
    limits.maxCellsPerSheet = 200_000
    limits.maxTotalUncompressedBytes = 64 << 20
    limits.maxPartBytes = 32 << 20
    guard let wb = try? XLSXWorkbook(path: path, limits: limits) else { return 0 }
    for s in wb.sheets {
        _ = try? wb.readGrid(s)
        _ = wb.declaredDimension(of: s)
    }
    return 0
}
