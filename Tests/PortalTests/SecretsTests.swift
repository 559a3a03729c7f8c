import Foundation
@testable import Portal
import Testing
import TestSupport

/// The keyed hash behind the unit pages' form tokens and the stored session-token hashes, against
/// Python's hmac/hashlib (RFC 2104 / FIPS 180-4), for keys shorter than, equal to and longer than
/// SHA-256's 64-byte block (a longer key is hashed first).
@Suite("Portal secrets")
struct SecretsTests {
    @Test("HMAC-SHA256 and SHA-256 of tokens agree with Python for keys of 0 to 131 bytes")
    func hmacAgreesWithPython() throws {
        let lengths = [0, 1, 20, 63, 64, 65, 131]
        let messages = ["", "Hi There", "unit-form:abcdefghijklmnopqrstuvwxyz234567", "Quý I/2023 — Ủy ban"]
        let script = """
            import hashlib, hmac, sys
            for n in [\(lengths.map(String.init).joined(separator: ","))]:
                key = bytes((i * 89 + 7) & 255 for i in range(n))
                for m in sys.argv[1:]:
                    print(hmac.new(key, m.encode(), hashlib.sha256).hexdigest())
            for m in sys.argv[1:]:
                print(hashlib.sha256(m.encode()).hexdigest())
            """
        let expected = try Run.python(script, messages).stdout.split(separator: "\n").map(String.init)
        #expect(expected.count == lengths.count * messages.count + messages.count)
        var i = 0
        for n in lengths {
            let key = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 89 &+ 7) }
            for m in messages where i < expected.count {
                #expect(Secrets.hmac(key: key, m) == expected[i], "key of \(n) bytes, message \(m)")
                i += 1
            }
        }
        for m in messages where i < expected.count {
            #expect(Secrets.sha256(m) == expected[i], "message \(m)")
            i += 1
        }
    }
}
