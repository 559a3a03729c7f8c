import Foundation

/// A small thread-safe memo: answers already computed, by key, for work that comes back with the
/// same inputs in every unit's file (label keys, heading vocabularies, number formats…). The one
/// cache type of bieumau; each user keeps its own instance.
///
/// When `limit` entries are held, the next new entry first clears the memo (simple, and the
/// working set of one run is far below every limit). `make` runs outside the lock, so two threads
/// may compute one key at once; both get an equal answer.
public final class Memo<Key: Hashable, Value>: @unchecked Sendable {
    @usableFromInline let lock = NSLock()
    @usableFromInline var known: [Key: Value] = [:]
    public let limit: Int

    public init(limit: Int) { self.limit = limit }

    /// The answer for `key`, made with `make` the first time.
    @inlinable
    public func value(_ key: Key, _ make: () throws -> Value) rethrows -> Value {
        lock.lock()
        if let v = known[key] { lock.unlock(); return v }
        lock.unlock()
        let v = try make()
        lock.lock()
        if known.count >= limit { known.removeAll(keepingCapacity: true) }
        known[key] = v
        lock.unlock()
        return v
    }
}
