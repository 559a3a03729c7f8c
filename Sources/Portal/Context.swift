import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The request context of the portal: Hummingbird's basic context plus the address of the peer
/// that connected (the client, or the reverse proxy in front of the portal).
public struct PortalContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connected peer; nil in in-process tests.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// Who is asking, for per-address limits: the peer's IP address, or — only when the peer is one of
/// the configured trusted proxies — the client address that proxy put in `X-Forwarded-For`.
public enum ClientAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// `peer`: the connected peer's IP (nil when unknown). `trusted`: the proxies whose
    /// `X-Forwarded-For` is believed (empty: never). The header is read from the right: each proxy
    /// appends the address it received from, so the rightmost entry that is not itself a trusted
    /// proxy is the client; entries to its left were written by the client and may be forged.
    public static func of(peer: String?, forwardedFor headers: [String], trusted: Set<String>) -> String {
        let peerKey = peer.map(normalise) ?? "unknown"
        guard trusted.contains(peerKey), !headers.isEmpty else { return peerKey }
        let hops = headers.flatMap { $0.split(separator: ",") }.map { normalise(String($0)) }
        for hop in hops.reversed() {
            guard looksLikeAddress(hop) else { return peerKey }
            if !trusted.contains(hop) { return hop }
        }
        return hops.first.flatMap { looksLikeAddress($0) ? $0 : nil } ?? peerKey
    }

    /// Trims spaces, an IPv6 literal's brackets and an IPv4 port; lowercases IPv6 hex digits.
    public static func normalise(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespaces).lowercased()
        if t.hasPrefix("["), let close = t.firstIndex(of: "]") { t = String(t[t.index(after: t.startIndex)..<close]) }
        if t.filter({ $0 == ":" }).count == 1, let colon = t.firstIndex(of: ":") { t = String(t[..<colon]) }
        if t.hasPrefix("::ffff:"), t.contains(".") { t = String(t.dropFirst(7)) }
        return t
    }

    /// Whether `text` is an IPv4 or IPv6 address (for `--trusted-proxy`).
    public static func isAddress(_ text: String) -> Bool {
        let t = normalise(text)
        if t.contains(":") { return looksLikeAddress(t) && t.split(separator: ":", omittingEmptySubsequences: false).count <= 8 }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in p.count <= 3 && !p.isEmpty && p.allSatisfy(\.isNumber) && Int(p)! <= 255 }
    }

    /// Digits, hex letters, dots and colons only, at most 45 characters (the longest IPv6 text form).
    static func looksLikeAddress(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 45 && s.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" }
    }
}

/// A shared allowance (bytes of request bodies in memory, or checks running) that requests take
/// a part of and wait for, first come first served, when it is used up. A part larger than the
/// whole allowance is clamped to it (it then runs alone).
actor Allowance {
    let capacity: Int
    private var used = 0
    private var waiting: [(amount: Int, resume: CheckedContinuation<Void, Never>)] = []
    /// The most in use at once, and the most holders at once (for tests and the benchmark).
    private(set) var peakUsed = 0
    private(set) var peakHolders = 0
    private var holders = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    private func clamp(_ amount: Int) -> Int { min(max(1, amount), capacity) }

    func take(_ amount: Int) async {
        let a = clamp(amount)
        if waiting.isEmpty && used + a <= capacity {
            grant(a)
        } else {
            // Granted (and counted) by `give` when enough has come back.
            await withCheckedContinuation { waiting.append((a, $0)) }
        }
    }

    func give(_ amount: Int) {
        used -= clamp(amount)
        holders -= 1
        while let first = waiting.first, used + first.amount <= capacity {
            waiting.removeFirst()
            grant(first.amount)
            first.resume.resume()
        }
    }

    private func grant(_ a: Int) {
        used += a
        holders += 1
        peakUsed = max(peakUsed, used)
        peakHolders = max(peakHolders, holders)
    }

    /// Runs `body` holding `amount` of the allowance.
    nonisolated func run<T: Sendable>(_ amount: Int, _ body: @Sendable () async throws -> T) async throws -> T {
        await take(amount)
        do {
            let value = try await body()
            await give(amount)
            return value
        } catch {
            await give(amount)
            throw error
        }
    }
}

/// Where the time of one upload goes, phase by phase, printed as one JSON line on standard error
/// when the server runs with `BIEUMAU_PORTAL_TRACE=1` (the benchmark's `--trace`); nothing otherwise.
final class UploadTrace: @unchecked Sendable {
    static let enabled = ProcessInfo.processInfo.environment["BIEUMAU_PORTAL_TRACE"] == "1"
    private let lock = NSLock()
    private var last = DispatchTime.now().uptimeNanoseconds
    private var phases: [(String, Double)] = []

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// The time since the previous lap (or the start) as `phase`.
    func lap(_ phase: String) {
        guard Self.enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Self.now()
        phases.append((phase, Double(now - last) / 1e6))
        last = now
    }

    /// The time since `start` as `phase` (for phases that overlap: the check and the storing).
    func record(_ phase: String, since start: UInt64) {
        guard Self.enabled else { return }
        lock.lock(); defer { lock.unlock() }
        phases.append((phase, Double(Self.now() - start) / 1e6))
    }

    func emit() {
        guard Self.enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let fields = phases.map { "\"\($0.0)\": " + String(format: "%.3f", $0.1) }.joined(separator: ", ")
        FileHandle.standardError.write(Data(("upload-trace {" + fields + "}\n").utf8))
    }
}
