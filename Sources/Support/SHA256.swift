import Foundation

/// SHA-256 (FIPS 180-4), for the provenance of merged inputs. Small and dependency-free;
/// checked against `sha256sum` and Python's hashlib in the tests.
public struct SHA256: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    public init() { buffer.reserveCapacity(64) }

    /// Adds bytes to the message.
    public mutating func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        // Contiguous bytes (Data, arrays): whole blocks are compressed in place, without copies.
        let done: Void? = bytes.withContiguousStorageIfAvailable { p in updateBytes(UnsafeRawBufferPointer(p)) }
        if done != nil { return }
        length &+= UInt64(bytes.count)
        var rest = bytes[...]
        if !buffer.isEmpty {
            let take = min(64 - buffer.count, rest.count)
            buffer.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            if buffer.count == 64 {
                let block = buffer
                buffer.removeAll(keepingCapacity: true)
                block.withUnsafeBufferPointer { compress($0.baseAddress!) }
            }
        }
        while rest.count >= 64 {
            let block = Array(rest.prefix(64))
            block.withUnsafeBufferPointer { compress($0.baseAddress!) }
            rest = rest.dropFirst(64)
        }
        buffer.append(contentsOf: rest)
    }

    private mutating func updateBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        length &+= UInt64(bytes.count)
        var offset = 0
        let p = base.assumingMemoryBound(to: UInt8.self)
        if !buffer.isEmpty {
            let take = min(64 - buffer.count, bytes.count)
            buffer.append(contentsOf: UnsafeBufferPointer(start: p, count: take))
            offset = take
            if buffer.count == 64 {
                let block = buffer
                buffer.removeAll(keepingCapacity: true)
                block.withUnsafeBufferPointer { compress($0.baseAddress!) }
            }
        }
        while bytes.count - offset >= 64 {
            compress(p + offset)
            offset += 64
        }
        if offset < bytes.count {
            buffer.append(contentsOf: UnsafeBufferPointer(start: p + offset, count: bytes.count - offset))
        }
    }

    /// The 32-byte digest (the hasher may not be used after this).
    public mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        var tail = buffer
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for i in (0..<8).reversed() { tail.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
        tail.withUnsafeBufferPointer { p in
            var offset = 0
            while offset < p.count {
                compress(p.baseAddress! + offset)
                offset += 64
            }
        }
        buffer.removeAll()
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for word in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
            out.append(UInt8(truncatingIfNeeded: word >> 24))
            out.append(UInt8(truncatingIfNeeded: word >> 16))
            out.append(UInt8(truncatingIfNeeded: word >> 8))
            out.append(UInt8(truncatingIfNeeded: word))
        }
        return out
    }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 &- n)) }
    @inline(__always) private static func s0(_ x: UInt32) -> UInt32 { rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3) }
    @inline(__always) private static func s1(_ x: UInt32) -> UInt32 { rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10) }

    /// One round, with the eight working variables renamed instead of moved: `d` becomes the new
    /// `e` and `h` the new `a` (FIPS 180-4, 6.2.2 step 3).
    @inline(__always)
    private static func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                              _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ k: UInt32, _ w: UInt32, _ bc: inout UInt32) {
        let ab = a ^ b
        // Σ1(e) = (e ⋙ 6) ^ (e ⋙ 11) ^ (e ⋙ 25) and Σ0(a) = (a ⋙ 2) ^ (a ⋙ 13) ^ (a ⋙ 22), nested
        // to need fewer copies; Ch(e,f,g) = g ^ (e & (f ^ g)); Maj(a,b,c) = b ^ ((a ^ b) & (b ^ c)),
        // where b ^ c is the previous round's a ^ b (carried in `bc`).
        let t1 = h &+ rotr(e ^ rotr(e ^ rotr(e, 14), 5), 6) &+ (g ^ (e & (f ^ g))) &+ k &+ w
        d = d &+ t1
        h = t1 &+ rotr(a ^ rotr(a ^ rotr(a, 9), 11), 2) &+ (b ^ (ab & bc))
        bc = ab
    }

    /// Compresses the 64-byte block at `p` (read as 16 big-endian words; `p` needs no alignment).
    /// The 64 rounds are written out with their constants, and the message schedule kept in 16
    /// local words, so that nothing is looked up, copied or bounds-checked per round.
    private mutating func compress(_ p: UnsafePointer<UInt8>) {
        let raw = UnsafeRawPointer(p)
        @inline(__always) func word(_ i: Int) -> UInt32 { UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self)) }
        var w0 = word(0), w1 = word(1), w2 = word(2), w3 = word(3), w4 = word(4), w5 = word(5), w6 = word(6), w7 = word(7)
        var w8 = word(8), w9 = word(9), w10 = word(10), w11 = word(11), w12 = word(12), w13 = word(13), w14 = word(14), w15 = word(15)
        var (a, b, c, d, e, f, g, h) = state
        var bc = b ^ c
        Self.round(a, b, c, &d, e, f, g, &h, 0x428a2f98, w0, &bc)
        Self.round(h, a, b, &c, d, e, f, &g, 0x71374491, w1, &bc)
        Self.round(g, h, a, &b, c, d, e, &f, 0xb5c0fbcf, w2, &bc)
        Self.round(f, g, h, &a, b, c, d, &e, 0xe9b5dba5, w3, &bc)
        Self.round(e, f, g, &h, a, b, c, &d, 0x3956c25b, w4, &bc)
        Self.round(d, e, f, &g, h, a, b, &c, 0x59f111f1, w5, &bc)
        Self.round(c, d, e, &f, g, h, a, &b, 0x923f82a4, w6, &bc)
        Self.round(b, c, d, &e, f, g, h, &a, 0xab1c5ed5, w7, &bc)
        Self.round(a, b, c, &d, e, f, g, &h, 0xd807aa98, w8, &bc)
        Self.round(h, a, b, &c, d, e, f, &g, 0x12835b01, w9, &bc)
        Self.round(g, h, a, &b, c, d, e, &f, 0x243185be, w10, &bc)
        Self.round(f, g, h, &a, b, c, d, &e, 0x550c7dc3, w11, &bc)
        Self.round(e, f, g, &h, a, b, c, &d, 0x72be5d74, w12, &bc)
        Self.round(d, e, f, &g, h, a, b, &c, 0x80deb1fe, w13, &bc)
        Self.round(c, d, e, &f, g, h, a, &b, 0x9bdc06a7, w14, &bc)
        Self.round(b, c, d, &e, f, g, h, &a, 0xc19bf174, w15, &bc)
        w0 = w0 &+ Self.s0(w1) &+ w9 &+ Self.s1(w14)
        Self.round(a, b, c, &d, e, f, g, &h, 0xe49b69c1, w0, &bc)
        w1 = w1 &+ Self.s0(w2) &+ w10 &+ Self.s1(w15)
        Self.round(h, a, b, &c, d, e, f, &g, 0xefbe4786, w1, &bc)
        w2 = w2 &+ Self.s0(w3) &+ w11 &+ Self.s1(w0)
        Self.round(g, h, a, &b, c, d, e, &f, 0x0fc19dc6, w2, &bc)
        w3 = w3 &+ Self.s0(w4) &+ w12 &+ Self.s1(w1)
        Self.round(f, g, h, &a, b, c, d, &e, 0x240ca1cc, w3, &bc)
        w4 = w4 &+ Self.s0(w5) &+ w13 &+ Self.s1(w2)
        Self.round(e, f, g, &h, a, b, c, &d, 0x2de92c6f, w4, &bc)
        w5 = w5 &+ Self.s0(w6) &+ w14 &+ Self.s1(w3)
        Self.round(d, e, f, &g, h, a, b, &c, 0x4a7484aa, w5, &bc)
        w6 = w6 &+ Self.s0(w7) &+ w15 &+ Self.s1(w4)
        Self.round(c, d, e, &f, g, h, a, &b, 0x5cb0a9dc, w6, &bc)
        w7 = w7 &+ Self.s0(w8) &+ w0 &+ Self.s1(w5)
        Self.round(b, c, d, &e, f, g, h, &a, 0x76f988da, w7, &bc)
        w8 = w8 &+ Self.s0(w9) &+ w1 &+ Self.s1(w6)
        Self.round(a, b, c, &d, e, f, g, &h, 0x983e5152, w8, &bc)
        w9 = w9 &+ Self.s0(w10) &+ w2 &+ Self.s1(w7)
        Self.round(h, a, b, &c, d, e, f, &g, 0xa831c66d, w9, &bc)
        w10 = w10 &+ Self.s0(w11) &+ w3 &+ Self.s1(w8)
        Self.round(g, h, a, &b, c, d, e, &f, 0xb00327c8, w10, &bc)
        w11 = w11 &+ Self.s0(w12) &+ w4 &+ Self.s1(w9)
        Self.round(f, g, h, &a, b, c, d, &e, 0xbf597fc7, w11, &bc)
        w12 = w12 &+ Self.s0(w13) &+ w5 &+ Self.s1(w10)
        Self.round(e, f, g, &h, a, b, c, &d, 0xc6e00bf3, w12, &bc)
        w13 = w13 &+ Self.s0(w14) &+ w6 &+ Self.s1(w11)
        Self.round(d, e, f, &g, h, a, b, &c, 0xd5a79147, w13, &bc)
        w14 = w14 &+ Self.s0(w15) &+ w7 &+ Self.s1(w12)
        Self.round(c, d, e, &f, g, h, a, &b, 0x06ca6351, w14, &bc)
        w15 = w15 &+ Self.s0(w0) &+ w8 &+ Self.s1(w13)
        Self.round(b, c, d, &e, f, g, h, &a, 0x14292967, w15, &bc)
        w0 = w0 &+ Self.s0(w1) &+ w9 &+ Self.s1(w14)
        Self.round(a, b, c, &d, e, f, g, &h, 0x27b70a85, w0, &bc)
        w1 = w1 &+ Self.s0(w2) &+ w10 &+ Self.s1(w15)
        Self.round(h, a, b, &c, d, e, f, &g, 0x2e1b2138, w1, &bc)
        w2 = w2 &+ Self.s0(w3) &+ w11 &+ Self.s1(w0)
        Self.round(g, h, a, &b, c, d, e, &f, 0x4d2c6dfc, w2, &bc)
        w3 = w3 &+ Self.s0(w4) &+ w12 &+ Self.s1(w1)
        Self.round(f, g, h, &a, b, c, d, &e, 0x53380d13, w3, &bc)
        w4 = w4 &+ Self.s0(w5) &+ w13 &+ Self.s1(w2)
        Self.round(e, f, g, &h, a, b, c, &d, 0x650a7354, w4, &bc)
        w5 = w5 &+ Self.s0(w6) &+ w14 &+ Self.s1(w3)
        Self.round(d, e, f, &g, h, a, b, &c, 0x766a0abb, w5, &bc)
        w6 = w6 &+ Self.s0(w7) &+ w15 &+ Self.s1(w4)
        Self.round(c, d, e, &f, g, h, a, &b, 0x81c2c92e, w6, &bc)
        w7 = w7 &+ Self.s0(w8) &+ w0 &+ Self.s1(w5)
        Self.round(b, c, d, &e, f, g, h, &a, 0x92722c85, w7, &bc)
        w8 = w8 &+ Self.s0(w9) &+ w1 &+ Self.s1(w6)
        Self.round(a, b, c, &d, e, f, g, &h, 0xa2bfe8a1, w8, &bc)
        w9 = w9 &+ Self.s0(w10) &+ w2 &+ Self.s1(w7)
        Self.round(h, a, b, &c, d, e, f, &g, 0xa81a664b, w9, &bc)
        w10 = w10 &+ Self.s0(w11) &+ w3 &+ Self.s1(w8)
        Self.round(g, h, a, &b, c, d, e, &f, 0xc24b8b70, w10, &bc)
        w11 = w11 &+ Self.s0(w12) &+ w4 &+ Self.s1(w9)
        Self.round(f, g, h, &a, b, c, d, &e, 0xc76c51a3, w11, &bc)
        w12 = w12 &+ Self.s0(w13) &+ w5 &+ Self.s1(w10)
        Self.round(e, f, g, &h, a, b, c, &d, 0xd192e819, w12, &bc)
        w13 = w13 &+ Self.s0(w14) &+ w6 &+ Self.s1(w11)
        Self.round(d, e, f, &g, h, a, b, &c, 0xd6990624, w13, &bc)
        w14 = w14 &+ Self.s0(w15) &+ w7 &+ Self.s1(w12)
        Self.round(c, d, e, &f, g, h, a, &b, 0xf40e3585, w14, &bc)
        w15 = w15 &+ Self.s0(w0) &+ w8 &+ Self.s1(w13)
        Self.round(b, c, d, &e, f, g, h, &a, 0x106aa070, w15, &bc)
        w0 = w0 &+ Self.s0(w1) &+ w9 &+ Self.s1(w14)
        Self.round(a, b, c, &d, e, f, g, &h, 0x19a4c116, w0, &bc)
        w1 = w1 &+ Self.s0(w2) &+ w10 &+ Self.s1(w15)
        Self.round(h, a, b, &c, d, e, f, &g, 0x1e376c08, w1, &bc)
        w2 = w2 &+ Self.s0(w3) &+ w11 &+ Self.s1(w0)
        Self.round(g, h, a, &b, c, d, e, &f, 0x2748774c, w2, &bc)
        w3 = w3 &+ Self.s0(w4) &+ w12 &+ Self.s1(w1)
        Self.round(f, g, h, &a, b, c, d, &e, 0x34b0bcb5, w3, &bc)
        w4 = w4 &+ Self.s0(w5) &+ w13 &+ Self.s1(w2)
        Self.round(e, f, g, &h, a, b, c, &d, 0x391c0cb3, w4, &bc)
        w5 = w5 &+ Self.s0(w6) &+ w14 &+ Self.s1(w3)
        Self.round(d, e, f, &g, h, a, b, &c, 0x4ed8aa4a, w5, &bc)
        w6 = w6 &+ Self.s0(w7) &+ w15 &+ Self.s1(w4)
        Self.round(c, d, e, &f, g, h, a, &b, 0x5b9cca4f, w6, &bc)
        w7 = w7 &+ Self.s0(w8) &+ w0 &+ Self.s1(w5)
        Self.round(b, c, d, &e, f, g, h, &a, 0x682e6ff3, w7, &bc)
        w8 = w8 &+ Self.s0(w9) &+ w1 &+ Self.s1(w6)
        Self.round(a, b, c, &d, e, f, g, &h, 0x748f82ee, w8, &bc)
        w9 = w9 &+ Self.s0(w10) &+ w2 &+ Self.s1(w7)
        Self.round(h, a, b, &c, d, e, f, &g, 0x78a5636f, w9, &bc)
        w10 = w10 &+ Self.s0(w11) &+ w3 &+ Self.s1(w8)
        Self.round(g, h, a, &b, c, d, e, &f, 0x84c87814, w10, &bc)
        w11 = w11 &+ Self.s0(w12) &+ w4 &+ Self.s1(w9)
        Self.round(f, g, h, &a, b, c, d, &e, 0x8cc70208, w11, &bc)
        w12 = w12 &+ Self.s0(w13) &+ w5 &+ Self.s1(w10)
        Self.round(e, f, g, &h, a, b, c, &d, 0x90befffa, w12, &bc)
        w13 = w13 &+ Self.s0(w14) &+ w6 &+ Self.s1(w11)
        Self.round(d, e, f, &g, h, a, b, &c, 0xa4506ceb, w13, &bc)
        w14 = w14 &+ Self.s0(w15) &+ w7 &+ Self.s1(w12)
        Self.round(c, d, e, &f, g, h, a, &b, 0xbef9a3f7, w14, &bc)
        w15 = w15 &+ Self.s0(w0) &+ w8 &+ Self.s1(w13)
        Self.round(b, c, d, &e, f, g, h, &a, 0xc67178f2, w15, &bc)

        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
                 state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
    }

    /// Lower-case hex of the digest of `bytes`.
    public static func hex<Bytes: Collection>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var h = SHA256()
        h.update(bytes)
        return hexString(h.finalize())
    }

    /// Lower-case hex of the digest of the file at `path`, read in chunks (plain POSIX reads into
    /// one buffer: a merge hashes every input).
    public static func hexOfFile(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw BieuMauError(.noInput, vi: "Không mở được tệp \(path) để đọc.", en: "Cannot open \(path) for reading.")
        }
        defer { close(fd) }
        var h = SHA256()
        let size = 1 << 16
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, size)
            if n < 0 {
                if errno == EINTR { continue }
                throw BieuMauError(.noInput, vi: "Không đọc được tệp \(path).", en: "Cannot read \(path).")
            }
            if n == 0 { break }
            h.updateBytes(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return hexString(h.finalize())
    }

    private static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
