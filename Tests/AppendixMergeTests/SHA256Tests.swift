import CryptoWrapper
import Foundation
import Testing
import TestSupport

@Suite("SHA-256")
struct SHA256Tests {
    @Test("known vectors")
    func vectors() {
        #expect(SHA256.hex(of: Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("the NIST vectors of FIPS 180-4 (SHA256ShortMsg/LongMsg examples and the million 'a')")
    func nistVectors() {
        #expect(SHA256.hex(of: Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8))
                == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        #expect(SHA256.hex(of: [UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // NIST SHA256ShortMsg.rsp, Len = 8 and Len = 16.
        #expect(SHA256.hex(of: [0xd3]) == "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1")
        #expect(SHA256.hex(of: [0x11, 0xaf]) == "5ca7133fa735326081558ac312c620eeca9970d1e70a4b95533d956f072d1f98")
    }

    @Test("every length from 0 to 200 bytes agrees with hashlib, whole and fed in pieces of every size")
    func lengths() throws {
        let data = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 167 &+ 13) }
        let script = "import hashlib\nd=bytes((i*167+13)&255 for i in range(200))\nfor n in range(201): print(hashlib.sha256(d[:n]).hexdigest())"
        let expected = try Run.python(script, []).stdout.split(separator: "\n").map(String.init)
        #expect(expected.count == 201)
        for n in 0...200 where n < expected.count {
            let bytes = Array(data[0..<n])
            #expect(SHA256.hex(of: bytes) == expected[n], "length \(n)")
            let piece = n % 67 + 1
            var h = SHA256()
            var i = 0
            while i < n { let m = min(piece, n - i); h.update(bytes[i..<(i + m)]); i += m }
            #expect(h.finalize().map { String(format: "%02x", $0) }.joined() == expected[n], "length \(n) in pieces of \(piece)")
        }
    }

    @Test("files agree with sha256sum and hashlib, across block boundaries")
    func files() throws {
        let dir = TestPaths.temporaryFolder("sha")
        for size in [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 1 << 20 + 3] {
            let path = dir.appendingPathComponent("f\(size)").path
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let ours = try SHA256.hexOfFile(path)
            let py = try Run.python("import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())", [path])
            #expect(ours == py.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "size \(size)")
            if let tool = Run.which("sha256sum") {
                let r = try Run.process(tool, [path])
                #expect(r.stdout.hasPrefix(ours))
            }
            // Fed in uneven pieces.
            var h = SHA256()
            var i = 0
            while i < bytes.count { let n = min(37, bytes.count - i); h.update(bytes[i..<(i + n)]); i += n }
            #expect(h.finalize().map { String(format: "%02x", $0) }.joined() == ours)
        }
    }
}
