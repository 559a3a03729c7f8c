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
    // The same bytes opened from memory (as the merge does) must read exactly as the file.
    let fromMemory = try? XLSXWorkbook(contents: UnsafeRawBufferPointer(start: data, count: size), path: path, limits: limits)
    guard let wb = try? XLSXWorkbook(path: path, limits: limits) else {
        if fromMemory != nil { fatalError("opened from memory but not from the file") }
        return 0
    }
    guard let memory = fromMemory else { fatalError("opened from the file but not from memory") }
    for s in wb.sheets {
        let a = try? wb.readGrid(s)
        let b = try? memory.readGrid(s)
        if a?.rows != b?.rows || a?.merges != b?.merges { fatalError("sheet \(s.name) reads differently from memory") }
        _ = wb.declaredDimension(of: s)
    }
    return 0
}
