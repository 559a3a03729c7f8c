import AppendixMerge
import AppendixModel
import AppendixValidation
import FormSchema
import Foundation
import OfficialWorkbook
import SheetGrid
import Support

/// `merge`: units' files → the parent's appendix and its merged workbook. Every front end (the
/// command line, the portal) reads, checks and merges through these calls.
public enum Merging {
    /// One input after reading: a unit to merge, or the reason it cannot be.
    public enum ReadOutcome: Sendable {
        case unit(UnitInput)
        case rejected(Rejection)
    }

    /// Reads, hashes and validates every file, a few at a time (`Merger.maxInputsReadAtOnce`),
    /// keeping the input order; each unit is kept compact once validated. `onRead` is called once
    /// per file (under a lock, in completion order) with the count done, the total, the file and
    /// what its reader noticed.
    public static func readInputs(_ files: [String], library: FormLibrary, formID: String?,
                                  onRead: (@Sendable (Int, Int, String, [ReadingNotice]) -> Void)? = nil) -> [ReadOutcome] {
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var items: [ReadOutcome?]
            var next = 0
            var done = 0
            init(_ n: Int) { items = Array(repeating: nil, count: n) }
            func take() -> Int? {
                lock.lock(); defer { lock.unlock() }
                guard next < items.count else { return nil }
                next += 1
                return next - 1
            }
        }
        let results = Results(files.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, Merger.maxInputsReadAtOnce, files.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = results.take() {
                var (outcome, notices) = readOne(files[i], library: library, formID: formID)
                if case .unit(let u) = outcome { outcome = .unit(u.compacted()) }
                results.lock.lock()
                results.items[i] = outcome
                results.done += 1
                onRead?(results.done, files.count, files[i], notices)
                results.lock.unlock()
            }
        }
        return results.items.map { $0! }
    }

    static func readOne(_ file: String, library: FormLibrary, formID: String?) -> (ReadOutcome, [ReadingNotice]) {
        let sha: String
        do { sha = try SHA256.hexOfFile(file) } catch {
            let message = (error as? BieuMauError)?.message
                ?? Localized(vi: "không đọc được tệp (\(error))", en: "cannot read the file (\(error))")
            return (.rejected(Rejection(file: file, kind: .unreadable, reason: message)), [])
        }
        do {
            let loaded = try AppendixReader(library: library).read(path: file, formID: formID)
            var appendix = loaded.appendix
            // A merged workbook's claim (custom properties) is believed only when its own sheets back it.
            let check = MergedWorkbookCheck.verify(&appendix) { name in mergedWorkbookSheet(file, name) }
            // The validator knows a merged workbook's yes/no counts and "Name (n)" choice counts.
            let findings = Validator.validate(appendix)
            let modified = modificationDate(file)
            return (.unit(UnitInput(file: file, sha256: sha, appendix: appendix, findings: findings, modified: modified,
                                    sourceUnits: check.sourceUnits, notes: check.note.map { [$0] } ?? [])), loaded.notices)
        } catch let e as BieuMauError {
            func place(_ lang: Language) -> String {
                guard var l = e.location else { return "" }
                l.file = nil
                let w = l.describe(lang)
                return w.isEmpty ? "" : w + ": "
            }
            return (.rejected(Rejection(file: file, kind: .unreadable,
                                        reason: Localized(vi: place(.vi) + e.message.vi, en: place(.en) + e.message.en),
                                        sha256: sha)), [])
        } catch {
            return (.rejected(Rejection(file: file, kind: .unreadable,
                                        reason: Localized(vi: "không đọc được tệp (\(error))", en: "cannot read the file (\(error))"),
                                        sha256: sha)), [])
        }
    }

    /// A sheet of a workbook that claims to be a merge (read only for such files).
    static func mergedWorkbookSheet(_ file: String, _ name: String) -> Grid? {
        (try? AppendixReader.grids(path: file, sheet: name))?.grids.first
    }

    /// The file's modification time from one `stat` (FileManager's attributes also read extended
    /// attributes and look up the owner's name: several system calls per input).
    static func modificationDate(_ path: String) -> Date? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
    }

    /// The whole job for a known form: reads `files`, merges them under `options` and writes the
    /// merged workbook to `output` (atomically). Throws `MergeRefusal` as `Merger.merge` does.
    ///
    /// ```swift
    /// let result = try Merging.merge(files: ["a.xlsx", "b.csv"], formID: "cchc-2023",
    ///                                options: MergeOptions(parentUnit: "UBND tỉnh Bắc Kạn", allowPartial: true),
    ///                                output: "tong-hop.xlsx", library: try FormLibrary.load())
    /// ```
    @discardableResult
    public static func merge(files: [String], formID: String, options: MergeOptions, output: String, force: Bool = false,
                             unitSheets: Bool = true, library: FormLibrary) throws -> MergeResult {
        let form = try library.require(formID)
        var units: [UnitInput] = []
        var unreadable: [Rejection] = []
        for outcome in readInputs(files, library: library, formID: library.formIDForReading(current: formID)) {
            switch outcome {
            case .unit(let u): units.append(u)
            case .rejected(let r): unreadable.append(r)
            }
        }
        let result = try Merger.merge(units, unreadable: unreadable, form: form, options: options)
        try AtomicOutput.write(to: output, force: force) { tmp in
            try MergeWorkbook.write(result, to: tmp, unitSheets: unitSheets)
        }
        return result
    }
}

/// The list of units that must submit (`merge --expect`, a portal collection): one name a line,
/// NFC, white space collapsed; blank lines and lines starting with `#` skipped.
public enum ExpectedUnits {
    public static func parse(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline)
            .map { TextNormalization.collapseWhitespace(TextNormalization.nfc(String($0))) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}
