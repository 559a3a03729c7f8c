import XMLScan

/// Counts events; touches every byte handed out so that ASan sees out-of-bounds views.
struct CountingHandler: XMLHandler {
    var sum = 0
    mutating func startElement(_ name: XMLBytes, _ attributes: XMLAttributes) throws {
        for b in name { sum &+= Int(b) }
        _ = try? attributes.string("r")
        _ = attributes.int("s")
    }
    mutating func endElement(_ name: XMLBytes) throws { for b in name { sum &+= Int(b) } }
    mutating func text(_ raw: XMLBytes, cdata: Bool) throws { for b in raw { sum &+= Int(b) } }
}

/// The sheet XML scanner alone, fed the input in chunks whose size the first byte chooses.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let step = 1 + Int(data[0] % 64)
    var scanner = XMLScanner(handler: CountingHandler(), maxDepth: 64, maxTokenBytes: 1 << 16)
    var offset = 1
    do {
        while offset < size {
            let n = min(step, size - offset)
            try scanner.feed(UnsafeRawBufferPointer(start: data + offset, count: n))
            offset += n
        }
        try scanner.finish()
    } catch {}
    return 0
}
