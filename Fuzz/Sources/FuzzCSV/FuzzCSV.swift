import CSVInput
import Foundation
import Support

/// The whole-file CSV reader on arbitrary bytes, and the streaming reader on the same bytes in
/// small chunks: both must return or throw a BieuMauError, never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    _ = try? CSVReader.read(data: bytes, fileName: "fuzz.csv")
    let path = NSTemporaryDirectory() + "bieumau-fuzz-\(getpid()).csv"
    guard FileManager.default.createFile(atPath: path, contents: bytes) else { return 0 }
    defer { unlink(path) }
    if let reader = try? CSVStreamReader(file: path, chunkSize: 1 + size % 7) {
        try? reader.forEachRecord { r in
            for i in 0..<r.count { _ = r.string(i); _ = r.cString(i) }
        }
    }
    return 0
}
