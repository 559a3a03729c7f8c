import FormSchema
import Support

/// Form definitions from arbitrary text: load or a BieuMauError, never a crash or a hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? FormLoader.parse(yaml: text, file: "fuzz.yaml")
    return 0
}
