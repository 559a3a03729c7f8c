import Foundation
import Support
import Testing

/// `Memo`: answers kept by key, in one shared table or, inside `MemoWorker.run`, in tables of the
/// worker's own (the readers of a merge).
@Suite("Memo and per-worker memo tables")
struct MemoTests {
    final class Counter: @unchecked Sendable {
        let lock = NSLock()
        var made = 0
        func make(_ k: Int) -> String {
            lock.lock(); made += 1; lock.unlock()
            return "answer \(k) " + String(repeating: "ư", count: k % 7)
        }
    }

    @Test("outside a worker the table is shared: each key is made once for all callers")
    func sharedTable() {
        let memo = Memo<Int, String>(limit: 100), counter = Counter()
        for _ in 0..<3 { for k in 0..<10 { #expect(memo.value(k) { counter.make(k) } == counter.make(k)) } }
        // 10 made by the memo, 30 by the expectations themselves.
        #expect(counter.made == 40)
    }

    @Test("a worker keeps its own answers: made once per worker, dropped when the worker ends, nested runs share the outer tables")
    func workerTables() {
        let memo = Memo<Int, String>(limit: 100), counter = Counter()
        MemoWorker.run {
            for _ in 0..<3 { for k in 0..<10 { _ = memo.value(k) { counter.make(k) } } }
            #expect(counter.made == 10)
            MemoWorker.run { for k in 0..<10 { _ = memo.value(k) { counter.make(k) } } }
            #expect(counter.made == 10)
        }
        // A new worker starts empty; the shared table was never filled.
        MemoWorker.run { _ = memo.value(3) { counter.make(3) } }
        #expect(counter.made == 11)
        _ = memo.value(3) { counter.make(3) }
        #expect(counter.made == 12)
    }

    @Test("the limit clears a worker's table like the shared one")
    func limit() {
        let memo = Memo<Int, String>(limit: 4), counter = Counter()
        MemoWorker.run {
            for k in 0..<5 { _ = memo.value(k) { counter.make(k) } }   // the 5th clears the table first
            _ = memo.value(0) { counter.make(0) }
            #expect(counter.made == 6)
            _ = memo.value(4) { counter.make(4) }
            #expect(counter.made == 6)
        }
    }

    @Test("many workers on many memos at once: every answer is the right one")
    func concurrentWorkers() {
        let memos = (0..<5).map { _ in Memo<Int, String>(limit: 1_000) }
        let counter = Counter()
        final class Failures: @unchecked Sendable { let lock = NSLock(); var count = 0 }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { w in
            MemoWorker.run {
                for round in 0..<200 {
                    let k = (round * 31 + w) % 97
                    let m = memos[(round + w) % memos.count]
                    if m.value(k, { counter.make(k) }) != "answer \(k) " + String(repeating: "ư", count: k % 7) {
                        failures.lock.lock(); failures.count += 1; failures.lock.unlock()
                    }
                }
            }
        }
        #expect(failures.count == 0)
        // Each worker made each (memo, key) it met at most once.
        #expect(counter.made <= 8 * 5 * 97)
    }
}
