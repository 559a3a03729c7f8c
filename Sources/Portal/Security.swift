import CryptoWrapper
import Foundation
import Support

/// Random tokens, keyed hashes and the in-memory rate limits.
enum Secrets {
    /// `bytes` random bytes as lowercase base32 (no padding): easy to print, read and type.
    static func token(bytes: Int = 20) -> String {
        var rng = SystemRandomNumberGenerator()
        let raw = (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)
        var out = [UInt8]()
        var buffer = 0, bits = 0
        for b in raw {
            buffer = (buffer << 8) | Int(b)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func sha256(_ text: String) -> String { SHA256.hex(of: Array(text.utf8)) }

    /// HMAC-SHA256 (RFC 2104), hex.
    static func hmac(key: [UInt8], _ message: String) -> String {
        SHA256.hexString(SHA256.hmac(key: key, message: Array(message.utf8)))
    }

    /// Compares in time independent of where the strings differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    /// The server's secret (32 random bytes in `DATA/secret`, created on first start, mode 0600).
    static func serverSecret(folder: URL) throws -> [UInt8] {
        let url = folder.appendingPathComponent("secret")
        if let data = FileManager.default.contents(atPath: url.path), data.count == 32 { return [UInt8](data) }
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw StoreError.io("cannot write \(url.path)")
        }
        return bytes
    }
}

/// At most `limit` events per key in a sliding `window` (sign-in failures, uploads per link).
actor RateLimiter {
    let limit: Int
    let window: TimeInterval
    private var events: [String: [Date]] = [:]
    private var lastSweep = Date()

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Whether `key` is under its limit now (does not count an event).
    func allows(_ key: String, now: Date = Date()) -> Bool {
        sweep(now)
        return (events[key]?.filter { now.timeIntervalSince($0) < window }.count ?? 0) < limit
    }

    /// Counts an event; false (and not counted) when the key is already at its limit.
    func take(_ key: String, now: Date = Date()) -> Bool {
        sweep(now)
        var list = events[key, default: []].filter { now.timeIntervalSince($0) < window }
        guard list.count < limit else {
            events[key] = list
            return false
        }
        list.append(now)
        events[key] = list
        return true
    }

    func record(_ key: String, now: Date = Date()) {
        events[key, default: []].append(now)
    }

    func reset(_ key: String) { events[key] = nil }

    /// Forgets keys with no event in the window (bounded memory under many keys).
    private func sweep(_ now: Date) {
        guard now.timeIntervalSince(lastSweep) > window else { return }
        lastSweep = now
        events = events.filter { _, list in list.contains { now.timeIntervalSince($0) < window } }
    }
}
