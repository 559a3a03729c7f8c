#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Strings made from UTF-8 bytes, each distinct text made once per merge worker: the texts of a
/// form (its labels, units, headings) come back in every unit's file, and making a `String`
/// validates its bytes and allocates it. `string(_:)` gives exactly `String(decoding:as: UTF8.self)`
/// of the bytes (invalid sequences repaired the same way): the first time it makes that string,
/// later times it hands out the same one.
///
/// Only threads inside ``MemoWorker/run(_:)`` (the readers of a merge) have one
/// (``forCurrentWorker``); anywhere else the callers make their strings as before. Bounded: texts
/// longer than `maxTextBytes` are not kept, and when `maxEntries` texts or `maxTotalBytes` bytes
/// are held the table is emptied (like ``Memo``). A lookup probes at most `maxProbes` slots, so
/// texts made to collide cost no more than a miss. The hash is seeded per table at random.
public final class TextInterner {
    public static let maxTextBytes = 512
    public static let maxEntries = 1 << 15
    public static let maxTotalBytes = 4 << 20
    static let maxProbes = 16

    /// The table, behind a pointer: a class's `var` arrays cost a dynamic exclusivity check at
    /// every access, which was most of a lookup.
    private let table: UnsafeMutablePointer<Table>

    public init(seed: UInt64 = UInt64.random(in: .min ... .max)) {
        table = .allocate(capacity: 1)
        table.initialize(to: Table(seed: seed | 1))
    }

    deinit {
        table.deinitialize(count: 1)
        table.deallocate()
    }

    /// How many texts are held.
    public var count: Int { table.pointee.strings.count }

    private static let perWorker = WorkerLocal { TextInterner() }

    /// The calling worker's table, nil outside ``MemoWorker/run(_:)``.
    public static var forCurrentWorker: TextInterner? { perWorker.current }

    /// `String(decoding: bytes, as: UTF8.self)`, the same object for the same bytes.
    public func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        table.pointee.string(bytes)
    }

    /// `string(_:)` of an array's bytes.
    public func string(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { table.pointee.string($0) }
    }

    struct Table {
        /// Slots (a power of two): 0 = empty, else the index + 1 of the entry.
        var slots: [Int32] = Array(repeating: 0, count: 1024)
        var hashes: [UInt64] = []
        var offsets: [Int] = []
        var lengths: [Int] = []
        var strings: [String] = []
        /// Every kept text's bytes, back to back.
        var arena: [UInt8] = []
        let seed: UInt64

        init(seed: UInt64) { self.seed = seed }

        mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
            let n = bytes.count
            guard n > 0, n <= TextInterner.maxTextBytes, let base = bytes.baseAddress else {
                return String(decoding: bytes, as: UTF8.self)
            }
            let h = hash(base, n)
            let mask = slots.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            var probes = 0
            let found: Int? = arena.withUnsafeBufferPointer { kept in
                while probes < TextInterner.maxProbes {
                    let e = Int(slots[s])
                    if e == 0 { return nil }
                    let k = e - 1
                    if hashes[k] == h && lengths[k] == n && memcmp(kept.baseAddress! + offsets[k], base, n) == 0 { return k }
                    s = (s + 1) & mask
                    probes += 1
                }
                return nil
            }
            if let found { return strings[found] }
            let made = String(decoding: bytes, as: UTF8.self)
            if probes == TextInterner.maxProbes { return made }
            if strings.count >= TextInterner.maxEntries || arena.count + n > TextInterner.maxTotalBytes {
                clear()
                return insert(made, bytes, h)
            }
            if (strings.count + 1) * 2 > slots.count {
                grow()
                return insert(made, bytes, h)
            }
            slots[s] = Int32(strings.count + 1)
            append(made, bytes, h)
            return made
        }

        private mutating func append(_ made: String, _ bytes: UnsafeBufferPointer<UInt8>, _ h: UInt64) {
            hashes.append(h)
            offsets.append(arena.count)
            lengths.append(bytes.count)
            strings.append(made)
            arena.append(contentsOf: bytes)
        }

        /// Puts a new text into a free slot (after `clear` or `grow`).
        private mutating func insert(_ made: String, _ bytes: UnsafeBufferPointer<UInt8>, _ h: UInt64) -> String {
            let mask = slots.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            for _ in 0..<TextInterner.maxProbes {
                if slots[s] == 0 {
                    slots[s] = Int32(strings.count + 1)
                    append(made, bytes, h)
                    return made
                }
                s = (s + 1) & mask
            }
            return made
        }

        private mutating func clear() {
            for k in slots.indices { slots[k] = 0 }
            hashes.removeAll(keepingCapacity: true)
            offsets.removeAll(keepingCapacity: true)
            lengths.removeAll(keepingCapacity: true)
            strings.removeAll(keepingCapacity: true)
            arena.removeAll(keepingCapacity: true)
        }

        private mutating func grow() {
            var bigger = [Int32](repeating: 0, count: slots.count * 2)
            let mask = bigger.count - 1
            for k in strings.indices {
                var s = Int(truncatingIfNeeded: hashes[k]) & mask
                var probes = 0
                while bigger[s] != 0 && probes < TextInterner.maxProbes { s = (s + 1) & mask; probes += 1 }
                // A text that finds no slot within the probe limit is not found again (made anew).
                if bigger[s] == 0 { bigger[s] = Int32(k + 1) }
            }
            slots = bigger
        }

        /// A seeded multiply–xor hash over 8-byte words.
        private func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
            let m: UInt64 = 0x9E37_79B9_7F4A_7C15
            var h = seed ^ (UInt64(n) &* m)
            let raw = UnsafeRawPointer(p)
            var i = 0
            while i + 8 <= n {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                h = (h ^ w) &* m
                h ^= h >> 29
                i += 8
            }
            if i < n {
                var w: UInt64 = 0
                var shift: UInt64 = 0
                while i < n { w |= UInt64(p[i]) << shift; shift += 8; i += 1 }
                h = (h ^ w) &* m
                h ^= h >> 29
            }
            h = (h ^ seed) &* m
            return h ^ (h >> 32)
        }
    }
}
