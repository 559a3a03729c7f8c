#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What can go wrong while scanning one XML part. The reader adds the file and part name.
public enum XMLScanError: Error, Equatable, Sendable {
    case malformed(String, offset: Int)
    /// A `<!DOCTYPE` or `<!ENTITY` declaration: refused, never expanded.
    case dtdRefused(offset: Int)
    case depthExceeded(limit: Int)
    /// A single token (tag, text node) grew past the limit.
    case tokenTooLong(limit: Int)
    case unknownEntity(String, offset: Int)
}

public typealias XMLBytes = UnsafeBufferPointer<UInt8>

/// The attributes of one start tag, valid only during the `startElement` call.
public struct XMLAttributes {
    @usableFromInline let base: UnsafePointer<UInt8>
    /// (local name start, name end, value start, value end) as offsets from `base`.
    @usableFromInline let spans: UnsafeBufferPointer<(Int, Int, Int, Int)>

    @usableFromInline
    init(base: UnsafePointer<UInt8>, spans: UnsafeBufferPointer<(Int, Int, Int, Int)>) {
        self.base = base
        self.spans = spans
    }

    /// The raw (still entity-encoded) value of the attribute with this local name.
    @inlinable
    public func raw(_ localName: StaticString) -> XMLBytes? {
        for s in spans {
            let name = XMLBytes(start: base + s.0, count: s.1 - s.0)
            if name.equals(localName) { return XMLBytes(start: base + s.2, count: s.3 - s.2) }
        }
        return nil
    }

    /// The raw values of three attributes by local name, in one pass over the tag's attributes
    /// (each the first of its name, as `raw` gives): for the hot tags of a sheet (`<c r t s>`).
    @inlinable
    public func raw(_ first: StaticString, _ second: StaticString, _ third: StaticString) -> (XMLBytes?, XMLBytes?, XMLBytes?) {
        var a: XMLBytes?, b: XMLBytes?, c: XMLBytes?
        for s in spans {
            let name = XMLBytes(start: base + s.0, count: s.1 - s.0)
            let value = XMLBytes(start: base + s.2, count: s.3 - s.2)
            if a == nil && name.equals(first) { a = value }
            else if b == nil && name.equals(second) { b = value }
            else if c == nil && name.equals(third) { c = value }
        }
        return (a, b, c)
    }

    /// The raw value of the attribute `prefix:localName` (when two namespaces use one local name,
    /// e.g. ODF's `office:value-type` and `calcext:value-type`).
    @inlinable
    public func raw(prefix: StaticString, _ localName: StaticString) -> XMLBytes? {
        let plen = prefix.utf8CodeUnitCount
        for s in spans {
            let name = XMLBytes(start: base + s.0, count: s.1 - s.0)
            guard name.equals(localName), s.0 - plen - 1 >= 0, base[s.0 - 1] == UInt8(ascii: ":") else { continue }
            if XMLBytes(start: base + s.0 - plen - 1, count: plen).equals(prefix) {
                // The byte before the prefix ends the previous token (the name stops at white space).
                let before = s.0 - plen - 2
                if before < 0 || base[before] == 0x20 || base[before] == 0x0A || base[before] == 0x09 || base[before] == 0x0D {
                    return XMLBytes(start: base + s.2, count: s.3 - s.2)
                }
            }
        }
        return nil
    }

    /// The decoded value as a String.
    @inlinable
    public func string(_ localName: StaticString) throws -> String? {
        guard let r = raw(localName) else { return nil }
        if r.firstIndex(of: UInt8(ascii: "&")) == nil { return String(decoding: r, as: UTF8.self) }
        var out: [UInt8] = []
        try XMLText.appendDecoded(r, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @inlinable
    public func bool(_ localName: StaticString) -> Bool {
        guard let r = raw(localName) else { return false }
        return r.equals("1") || r.equals("true")
    }

    /// Non-negative decimal integer value, nil when absent or malformed.
    @inlinable
    public func int(_ localName: StaticString) -> Int? {
        guard let r = raw(localName) else { return nil }
        return r.parseInt()
    }
}

public protocol XMLHandler {
    /// `name` is the local name (any `prefix:` removed).
    mutating func startElement(_ name: XMLBytes, _ attributes: XMLAttributes) throws
    mutating func endElement(_ name: XMLBytes) throws
    /// Character data, still entity-encoded unless `cdata`.
    mutating func text(_ raw: XMLBytes, cdata: Bool) throws
}

/// Thrown by a handler to stop scanning early without an error.
public struct XMLStop: Error {
    public init() {}
}

/// A non-validating, namespace-blind XML scanner fed in chunks (shared by the readers of XML
/// packages: XLSX, ODS, DOCX; `@inlinable` so that each reader's handler is specialised). It checks well-formedness
/// (matching tags, one root, no stray text, known entities), refuses DTDs, bounds nesting depth
/// and token size, and bounds-checks every look-ahead.
public struct XMLScanner<H: XMLHandler> {
    public var handler: H
    @usableFromInline var pending: [UInt8] = []
    /// Open element names, back to back; only the first `nameStackCount` bytes are live.
    @usableFromInline var nameStack = ScanBuffer<UInt8>(capacity: 256)
    @usableFromInline var nameStackCount = 0
    /// The lengths of the open elements' names; `depth` of them are live.
    @usableFromInline var nameLengths = ScanBuffer<Int>(capacity: 32)
    @usableFromInline var depth = 0
    @usableFromInline var attrSpans = ScanBuffer<(Int, Int, Int, Int)>(capacity: 16)
    @usableFromInline var attrCount = 0
    @usableFromInline var rootClosed = false
    @usableFromInline var sawRoot = false
    @usableFromInline var started = false
    @usableFromInline var consumedBefore = 0
    public let maxDepth: Int
    public let maxTokenBytes: Int

    @inlinable
    public init(handler: H, maxDepth: Int = 256, maxTokenBytes: Int = 16 << 20) {
        self.handler = handler
        self.maxDepth = maxDepth
        self.maxTokenBytes = maxTokenBytes
    }

    @inlinable
    public mutating func feed(_ chunk: UnsafeRawBufferPointer) throws {
        var bytes = chunk
        if !started {
            // A UTF-8 byte order mark before the declaration, possibly split across chunks.
            pending.append(contentsOf: bytes)
            if pending.count < 3 { return }
            started = true
            if pending[0] == 0xEF && pending[1] == 0xBB && pending[2] == 0xBF { pending.removeFirst(3) }
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
        }
        if pending.isEmpty {
            let used = try bytes.withMemoryRebound(to: UInt8.self) { try parse($0, final: false) }
            if used < bytes.count { pending.append(contentsOf: bytes[used...]) }
            consumedBefore += used
        } else {
            pending.append(contentsOf: bytes)
            let buf = pending
            let used = try buf.withUnsafeBufferPointer { try parse($0, final: false) }
            pending.removeFirst(used)
            consumedBefore += used
        }
        if pending.count > maxTokenBytes { throw XMLScanError.tokenTooLong(limit: maxTokenBytes) }
    }

    @inlinable
    public mutating func finish() throws {
        if !started && pending.count >= 3 && pending[0] == 0xEF && pending[1] == 0xBB && pending[2] == 0xBF {
            pending.removeFirst(3)
        }
        started = true
        let buf = pending
        let used = try buf.withUnsafeBufferPointer { try parse($0, final: true) }
        pending.removeFirst(used)
        if !pending.isEmpty || depth > 0 {
            throw XMLScanError.malformed("unexpected end of document (unclosed element)", offset: consumedBefore + used)
        }
        if !sawRoot { throw XMLScanError.malformed("no root element", offset: consumedBefore) }
    }

    @inlinable static func find(_ byte: UInt8, in p: XMLBytes, from: Int) -> Int? {
        guard from < p.count, let base = p.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), p.count - from) else { return nil }
        return UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
    }

    /// The index of the first byte of `pattern` at or after `from`, or nil.
    @inlinable static func find(_ pattern: StaticString, in p: XMLBytes, from: Int) -> Int? {
        let first = pattern.utf8Start[0]
        let len = pattern.utf8CodeUnitCount
        var i = from
        while let j = find(first, in: p, from: i) {
            if j + len > p.count { return nil }
            var ok = true
            for k in 1..<len where p[j + k] != pattern.utf8Start[k] { ok = false; break }
            if ok { return j }
            i = j + 1
        }
        return nil
    }

    @inlinable static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }

    @inlinable @inline(__always) static func isNameEnd(_ b: UInt8) -> Bool {
        // Letters and most name characters lie above '>': one comparison for them.
        b <= UInt8(ascii: ">") && (isSpace(b) || b == UInt8(ascii: ">") || b == UInt8(ascii: "/") || b == UInt8(ascii: "="))
    }

    /// Local name start within [s, e): after the last colon.
    /// The end of the name starting at `from` (the first byte that ends a name, or `count`) and
    /// where its local part starts (after its last ':'), for element and attribute names alike.
    @inlinable @inline(__always) static func scanName(_ p: XMLBytes, from: Int, count n: Int) -> (end: Int, local: Int) {
        var j = from
        var local = from
        while j < n {
            let b = p[j]
            if isNameEnd(b) { break }
            if b == UInt8(ascii: ":") { local = j + 1 }
            j += 1
        }
        return (j, local)
    }

    @inlinable static func localStart(_ p: XMLBytes, _ s: Int, _ e: Int) -> Int {
        var k = e - 1
        while k >= s {
            if p[k] == UInt8(ascii: ":") { return k + 1 }
            k -= 1
        }
        return s
    }

    @inlinable func malformed(_ what: String, _ at: Int) -> XMLScanError {
        .malformed(what, offset: consumedBefore + at)
    }

    /// Parses complete tokens; returns how many bytes were consumed.
    @inlinable mutating func parse(_ p: XMLBytes, final: Bool) throws -> Int {
        let n = p.count
        var i = 0
        guard let base = p.baseAddress else { return 0 }
        while i < n {
            if p[i] != UInt8(ascii: "<") {
                var end: Int
                if let lt = Self.find(UInt8(ascii: "<"), in: p, from: i) { end = lt }
                else if final { end = n }
                else {
                    // Hand over what we have, so a long text never accumulates here; keep back a
                    // possibly split entity reference or CR LF pair for the next chunk.
                    end = n
                    var k = n - 1
                    while k >= i && n - k <= 12 {
                        if p[k] == UInt8(ascii: ";") { break }
                        if p[k] == UInt8(ascii: "&") { end = k; break }
                        k -= 1
                    }
                    if end == n && p[n - 1] == 0x0D { end = n - 1 }
                    if end == i { return i }
                }
                let slice = XMLBytes(start: base + i, count: end - i)
                if depth == 0 {
                    for b in slice where !Self.isSpace(b) { throw malformed("text outside the root element", i) }
                } else {
                    try handler.text(slice, cdata: false)
                }
                i = end
                continue
            }
            guard i + 1 < n else { if final { throw malformed("truncated tag", i) }; return i }
            let c = p[i + 1]
            if c == UInt8(ascii: "/") {
                // The usual end tag: the open element's name right after "</", then '>'. (Its
                // bytes hold no '>' or space, so this is what the general path below finds.)
                if depth > 0, case let top = nameLengths.base[depth - 1], i + 2 + top < n, p[i + 2 + top] == UInt8(ascii: ">") {
                    let s = i + 2
                    let topStart = nameStackCount - top
                    let stack = nameStack.base
                    var same = true
                    for k in 0..<top where stack[topStart + k] != p[s + k] { same = false; break }
                    if same {
                        nameStackCount = topStart
                        depth -= 1
                        if depth == 0 { rootClosed = true }
                        let e = s + top
                        let ls = Self.localStart(p, s, e)
                        try handler.endElement(XMLBytes(start: base + ls, count: e - ls))
                        i = e + 1
                        continue
                    }
                }
                guard let gt = Self.find(UInt8(ascii: ">"), in: p, from: i + 2) else {
                    if final { throw malformed("truncated end tag", i) }
                    return i
                }
                var e = gt
                while e > i + 2 && Self.isSpace(p[e - 1]) { e -= 1 }
                let s = i + 2
                guard depth > 0 else { throw malformed("end tag without start tag", i) }
                let top = nameLengths.base[depth - 1]
                let topStart = nameStackCount - top
                var same = (e - s) == top
                if same {
                    let stack = nameStack.base
                    for k in 0..<top where stack[topStart + k] != p[s + k] { same = false; break }
                }
                if !same { throw malformed("mismatched end tag", i) }
                nameStackCount = topStart
                depth -= 1
                if depth == 0 { rootClosed = true }
                let ls = Self.localStart(p, s, e)
                try handler.endElement(XMLBytes(start: base + ls, count: e - ls))
                i = gt + 1
                continue
            }
            if c == UInt8(ascii: "?") {
                guard let q = Self.find("?>", in: p, from: i + 2) else {
                    if final { throw malformed("truncated processing instruction", i) }
                    return i
                }
                i = q + 2
                continue
            }
            if c == UInt8(ascii: "!") {
                // Need enough bytes to tell a comment, CDATA and a declaration apart.
                if i + 9 > n && !final { return i }
                if i + 4 <= n && p[i + 2] == UInt8(ascii: "-") && p[i + 3] == UInt8(ascii: "-") {
                    guard let q = Self.find("-->", in: p, from: i + 4) else {
                        if final { throw malformed("truncated comment", i) }
                        return i
                    }
                    i = q + 3
                    continue
                }
                if i + 9 <= n && XMLBytes(start: base + i, count: 9).equals("<![CDATA[") {
                    guard let q = Self.find("]]>", in: p, from: i + 9) else {
                        if final { throw malformed("truncated CDATA section", i) }
                        return i
                    }
                    if depth == 0 { throw malformed("CDATA outside the root element", i) }
                    try handler.text(XMLBytes(start: base + i + 9, count: q - i - 9), cdata: true)
                    i = q + 3
                    continue
                }
                throw XMLScanError.dtdRefused(offset: consumedBefore + i)
            }
            // Start tag.
            let s = i + 1
            var (j, ls) = Self.scanName(p, from: s, count: n)
            if j >= n { if final { throw malformed("truncated start tag", i) }; return i }
            if j == s { throw malformed("empty element name", i) }
            let nameEnd = j
            attrCount = 0
            var selfClosing = false
            var complete = false
            while j < n {
                let b = p[j]
                if Self.isSpace(b) { j += 1; continue }
                if b == UInt8(ascii: ">") { complete = true; j += 1; break }
                if b == UInt8(ascii: "/") {
                    guard j + 1 < n else { break }
                    guard p[j + 1] == UInt8(ascii: ">") else { throw malformed("stray '/' in tag", j) }
                    selfClosing = true; complete = true; j += 2; break
                }
                // Attribute name.
                let an = j
                let als: Int
                (j, als) = Self.scanName(p, from: an, count: n)
                if j == an { throw malformed("bad attribute", j) }
                let anEnd = j
                while j < n && Self.isSpace(p[j]) { j += 1 }
                guard j < n else { break }
                guard p[j] == UInt8(ascii: "=") else { throw malformed("attribute without value", j) }
                j += 1
                while j < n && Self.isSpace(p[j]) { j += 1 }
                guard j < n else { break }
                let quote = p[j]
                guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                    throw malformed("unquoted attribute value", j)
                }
                // The closing quote and the first '<' before it (refused), in one pass.
                var close = j + 1
                var lt = -1
                while close < n {
                    let b = p[close]
                    if b == quote { break }
                    if b == UInt8(ascii: "<") && lt < 0 { lt = close }
                    close += 1
                }
                guard close < n else { j = n; break }
                if lt >= 0 { throw malformed("'<' in attribute value", lt) }
                let span = (als, anEnd, j + 1, close)
                if attrCount == attrSpans.capacity { attrSpans = attrSpans.grown(keeping: attrCount) }
                attrSpans.base[attrCount] = span
                attrCount += 1
                j = close + 1
                if j < n && !(Self.isSpace(p[j]) || p[j] == UInt8(ascii: ">") || p[j] == UInt8(ascii: "/")) {
                    throw malformed("missing space between attributes", j)
                }
            }
            if !complete {
                if final { throw malformed("truncated start tag", i) }
                return i
            }
            if depth == 0 {
                if rootClosed { throw malformed("content after the root element", i) }
                sawRoot = true
            }
            if depth >= maxDepth { throw XMLScanError.depthExceeded(limit: maxDepth) }
            let local = XMLBytes(start: base + ls, count: nameEnd - ls)
            try handler.startElement(local, XMLAttributes(base: base, spans: UnsafeBufferPointer(start: attrSpans.base, count: attrCount)))
            if selfClosing {
                if depth == 0 { rootClosed = true }
                try handler.endElement(local)
            } else {
                let len = nameEnd - s
                if nameStack.capacity < nameStackCount + len {
                    nameStack = nameStack.grown(keeping: nameStackCount, toAtLeast: nameStackCount + len)
                }
                (nameStack.base + nameStackCount).update(from: base + s, count: len)
                nameStackCount += len
                if depth == nameLengths.capacity { nameLengths = nameLengths.grown(keeping: depth) }
                nameLengths.base[depth] = len
                depth += 1
            }
            i = j
        }
        return i
    }
}

/// A scanner's working storage (open names, their lengths, the attributes of a tag): plain memory
/// behind a class only to be freed, its fields constants, so that no access pays an exclusivity
/// check or a uniqueness test. A scanner is used by one reader and never copied while in use.
@usableFromInline final class ScanBuffer<T: BitwiseCopyable> {
    @usableFromInline let base: UnsafeMutablePointer<T>
    @usableFromInline let capacity: Int

    @usableFromInline init(capacity: Int) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// A buffer twice as large (at least `toAtLeast`) holding this one's first `count` elements.
    @usableFromInline func grown(keeping count: Int, toAtLeast wanted: Int = 0) -> ScanBuffer<T> {
        let bigger = ScanBuffer(capacity: max(capacity * 2, wanted))
        bigger.base.update(from: base, count: count)
        return bigger
    }
}

public enum XMLText {
    /// True when `raw` holds no entity reference and no CR: its decoded text is `raw` itself.
    @inlinable
    public static func isPlain(_ raw: XMLBytes) -> Bool {
        let n = raw.count
        if n >= 32, let base = raw.baseAddress {
            return memchr(base, Int32(UInt8(ascii: "&")), n) == nil && memchr(base, 0x0D, n) == nil
        }
        for b in raw where b == UInt8(ascii: "&") || b == 0x0D { return false }
        return true
    }

    /// Appends `raw` with entities decoded and line ends normalised (CRLF and CR → LF).
    @inlinable
    public static func appendDecoded(_ raw: XMLBytes, to out: inout [UInt8]) throws {
        var i = 0
        let n = raw.count
        var hasSpecial = false
        if n >= 32, let base = raw.baseAddress {
            // Long texts (shared strings): two memchr calls beat a byte loop.
            hasSpecial = memchr(base, Int32(UInt8(ascii: "&")), n) != nil || memchr(base, 0x0D, n) != nil
        } else {
            for b in raw where b == UInt8(ascii: "&") || b == 0x0D { hasSpecial = true; break }
        }
        if !hasSpecial { out.append(contentsOf: raw); return }
        while i < n {
            let b = raw[i]
            if b == 0x0D {
                out.append(0x0A)
                i += (i + 1 < n && raw[i + 1] == 0x0A) ? 2 : 1
                continue
            }
            if b != UInt8(ascii: "&") { out.append(b); i += 1; continue }
            var j = i + 1
            while j < n && raw[j] != UInt8(ascii: ";") && j - i < 12 { j += 1 }
            guard j < n, raw[j] == UInt8(ascii: ";") else {
                throw XMLScanError.unknownEntity(String(decoding: raw[i..<min(n, i + 12)], as: UTF8.self), offset: i)
            }
            let name = XMLBytes(rebasing: raw[(i + 1)..<j])
            if name.equals("lt") { out.append(UInt8(ascii: "<")) }
            else if name.equals("gt") { out.append(UInt8(ascii: ">")) }
            else if name.equals("amp") { out.append(UInt8(ascii: "&")) }
            else if name.equals("quot") { out.append(UInt8(ascii: "\"")) }
            else if name.equals("apos") { out.append(UInt8(ascii: "'")) }
            else if name.count >= 2 && name[0] == UInt8(ascii: "#") {
                var v: UInt32 = 0
                var ok = true
                if name[1] == UInt8(ascii: "x") || name[1] == UInt8(ascii: "X") {
                    if name.count == 2 { ok = false }
                    for k in 2..<max(2, name.count) {
                        guard let d = hexValue(name[k]), v < 0x110000 else { ok = false; break }
                        v = v * 16 + d
                    }
                } else {
                    for k in 1..<name.count {
                        let d = name[k]
                        guard d >= 48 && d <= 57, v < 0x110000 else { ok = false; break }
                        v = v * 10 + UInt32(d - 48)
                    }
                }
                guard ok, let scalar = Unicode.Scalar(v) else {
                    throw XMLScanError.unknownEntity("&" + String(decoding: name, as: UTF8.self) + ";", offset: i)
                }
                appendUTF8(scalar, to: &out)
            } else {
                throw XMLScanError.unknownEntity("&" + String(decoding: name, as: UTF8.self) + ";", offset: i)
            }
            i = j + 1
        }
    }

    @inlinable
    public static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 48...57: return UInt32(b - 48)
        case 65...70: return UInt32(b - 55)
        case 97...102: return UInt32(b - 87)
        default: return nil
        }
    }

    @inlinable
    public static func appendUTF8(_ s: Unicode.Scalar, to out: inout [UInt8]) {
        for u in UTF8.encode(s)! { out.append(u) }
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    @inlinable @inline(__always)
    public func equals(_ s: StaticString) -> Bool {
        let len = s.utf8CodeUnitCount
        guard count == len else { return false }
        let p = s.utf8Start
        for k in 0..<len where self[k] != p[k] { return false }
        return true
    }

    /// A non-negative decimal integer (no sign, no spaces), nil otherwise or on overflow.
    @inlinable
    public func parseInt() -> Int? {
        guard !isEmpty, count <= 18 else { return nil }
        var v = 0
        for b in self {
            guard b >= 48 && b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v
    }
}

extension ArraySlice where Element == UInt8 {
    @inlinable
    public func equals(_ s: StaticString) -> Bool {
        let len = s.utf8CodeUnitCount
        guard count == len else { return false }
        let p = s.utf8Start
        var k = 0
        for b in self { if b != p[k] { return false }; k += 1 }
        return true
    }

    @inlinable
    public func parseInt() -> Int? {
        guard !isEmpty, count <= 18 else { return nil }
        var v = 0
        for b in self {
            guard b >= 48 && b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v
    }
}
