#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A string hashed and compared by its exact UTF-8 bytes. String's own hashing normalises (NFC)
/// every time, which dominates lookups of the same cell texts in every unit's file.
public struct UTF8Key: Hashable, Sendable {
    public let text: String
    public init(_ text: String) { self.text = text }

    public static func == (a: UTF8Key, b: UTF8Key) -> Bool {
        var x = a.text, y = b.text
        return x.withUTF8 { px in
            y.withUTF8 { py in
                px.count == py.count && (px.isEmpty || memcmp(px.baseAddress!, py.baseAddress!, px.count) == 0)
            }
        }
    }

    public func hash(into hasher: inout Hasher) {
        var t = text
        t.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
