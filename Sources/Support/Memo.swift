import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small thread-safe memo: answers already computed, by key, for work that comes back with the
/// same inputs in every unit's file (label keys, heading vocabularies, number formats…). The one
/// cache type of bieumau; each user keeps its own instance.
///
/// Two ways of keeping answers:
/// - on a thread running inside ``MemoWorker/run(_:)`` (the readers of a merge), each memo keeps
///   the answers in a table of that worker's own: no lock, and the answers (strings, arrays) are
///   objects that worker made, so their reference counts are touched by one core only. Shared
///   tables cost a lock per lookup and let two cores write the same cache lines (the lock's and
///   the shared answers' reference counts); the overhead of two cores over one measured 2–7 %
///   before and after this change, too close to the noise to show a gain (docs/performance-merge.md).
///   Each worker computes an answer once (the first file it reads); the tables go with the worker.
/// - anywhere else, one table shared by all threads, behind a lock.
///
/// When `limit` entries are held, the next new entry first clears the table (simple, and the
/// working set of one run is far below every limit). `make` runs outside the lock, so two threads
/// may compute one key at once; both get an equal answer.
public final class Memo<Key: Hashable, Value>: @unchecked Sendable {
    @usableFromInline let lock = NSLock()
    @usableFromInline var known: [Key: Value] = [:]
    public let limit: Int
    /// This memo's place in each worker's tables.
    @usableFromInline let slot: Int

    public init(limit: Int) {
        self.limit = limit
        slot = MemoWorker.newSlot()
    }

    /// A worker's answers of one memo.
    @usableFromInline final class Table {
        @usableFromInline var known: [Key: Value] = [:]
        @usableFromInline init() {}
    }

    /// The answer for `key`, made with `make` the first time.
    @inlinable
    public func value(_ key: Key, _ make: () throws -> Value) rethrows -> Value {
        if let worker = MemoWorker.current {
            let table = worker.table(slot, as: Table.self) { Table() }
            if let v = table.known[key] { return v }
            let v = try make()
            if table.known.count >= limit { table.known.removeAll(keepingCapacity: true) }
            table.known[key] = v
            return v
        }
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

/// The memo tables of one worker thread (see ``Memo``): `run` gives the calling thread tables of
/// its own for every memo until it returns.
public final class MemoWorker {
    /// Tables by memo slot (a worker uses the few memos of reading a file; slots are small numbers).
    @usableFromInline var tables: ContiguousArray<AnyObject?> = []

    init() {}

    /// Runs `body` with memo tables of this thread's own, dropped when `body` returns (nested
    /// calls use the outer tables).
    public static func run<R>(_ body: () throws -> R) rethrows -> R {
        if current != nil { return try body() }
        let worker = MemoWorker()
        let pointer = Unmanaged.passRetained(worker).toOpaque()
        setCurrent(pointer)
        defer {
            setCurrent(nil)
            Unmanaged<MemoWorker>.fromOpaque(pointer).release()
        }
        return try body()
    }

    /// This thread's worker, if it runs inside `run`.
    @inlinable
    static var current: MemoWorker? {
        #if canImport(Glibc)
        guard let p = pthread_getspecific(key) else { return nil }
        return Unmanaged<MemoWorker>.fromOpaque(p).takeUnretainedValue()
        #else
        return nil
        #endif
    }

    @inlinable
    func table<T: AnyObject>(_ slot: Int, as type: T.Type, make: () -> T) -> T {
        if slot < tables.count, let t = tables[slot] { return unsafeDowncast(t, to: T.self) }
        return newTable(slot, make())
    }

    @usableFromInline
    func newTable<T: AnyObject>(_ slot: Int, _ table: T) -> T {
        if slot >= tables.count { tables.append(contentsOf: repeatElement(nil, count: slot + 1 - tables.count)) }
        tables[slot] = table
        return table
    }

    // MARK: Slots and the thread-local pointer

    private static let slots = SlotCounter()
    private final class SlotCounter: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
    }

    static func newSlot() -> Int {
        slots.lock.lock(); defer { slots.lock.unlock() }
        slots.next += 1
        return slots.next - 1
    }

    #if canImport(Glibc)
    @usableFromInline static let key: pthread_key_t = {
        var k = pthread_key_t()
        let status = pthread_key_create(&k, nil)
        precondition(status == 0, "pthread_key_create failed (\(status))")
        return k
    }()

    private static func setCurrent(_ pointer: UnsafeMutableRawPointer?) {
        _ = pthread_setspecific(key, pointer)
    }
    #else
    private static func setCurrent(_ pointer: UnsafeMutableRawPointer?) {}
    #endif
}

/// An object of each merge worker's own (see ``MemoWorker``), made on the worker's first use:
/// for caches that are not a plain key → value memo. Nil on threads outside `MemoWorker.run`.
public final class WorkerLocal<T: AnyObject>: Sendable {
    let slot: Int
    let make: @Sendable () -> T

    public init(_ make: @escaping @Sendable () -> T) {
        slot = MemoWorker.newSlot()
        self.make = make
    }

    /// The calling worker's object, nil outside ``MemoWorker/run(_:)``.
    public var current: T? {
        MemoWorker.current?.table(slot, as: T.self, make: make)
    }
}
