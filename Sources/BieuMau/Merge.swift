#if canImport(Glibc)
import Glibc
#endif
import AppendixMerge
import AppendixModel
import AppendixValidation
import CryptoWrapper
import FormSchema
import Foundation
import OfficialWorkbook
import SheetGrid
import Support

typealias JSON = JSONValue

/// Called after each input is read: files done, files in all, the file just read.
public typealias MergeProgress = @Sendable (_ done: Int, _ total: Int, _ file: String) -> Void

/// What `merge` takes.
public struct MergeJobOptions: Sendable {
    /// Files, and folders whose appendix files (``MergeJob/inputExtensions``) are read (sorted by name).
    public var inputs: [String]
    /// The merged workbook to write.
    public var output: String
    /// The parent unit issuing the merged appendix.
    public var unit: String
    public var parentBody: String?
    public var formID: String?
    /// The period every input must be for.
    public var period: Period?
    /// The units expected (see ``MergeJob/readExpectedUnits(_:)``); empty: no list.
    public var expectedUnits: [String]
    /// Merge although files were rejected or units are missing.
    public var allowPartial: Bool
    /// Of two different files of one unit, keep the newer instead of setting both aside.
    public var latest: Bool
    /// One sheet per unit in the merged workbook.
    public var unitSheets: UnitSheets
    public var maxInputs: Int
    public var force: Bool
    /// Files read at once (nil: one per core this process may run on), at most
    /// `Merger.maxInputsReadAtOnce`. The result does not depend on it.
    public var readers: Int?

    public init(inputs: [String], output: String, unit: String, parentBody: String? = nil, formID: String? = nil,
                period: Period? = nil, expectedUnits: [String] = [], allowPartial: Bool = false, latest: Bool = false,
                unitSheets: UnitSheets = .auto, maxInputs: Int = InputLimits.maxInputs, force: Bool = false,
                readers: Int? = nil) {
        self.inputs = inputs
        self.output = output
        self.unit = unit
        self.parentBody = parentBody
        self.formID = formID
        self.period = period
        self.expectedUnits = expectedUnits
        self.allowPartial = allowPartial
        self.latest = latest
        self.unitSheets = unitSheets
        self.maxInputs = maxInputs
        self.force = force
        self.readers = readers
    }
}

/// `merge`: units' appendices → the parent's merged workbook.
public enum MergeJob {
    /// Reads, hashes and validates every input (a few at a time), merges them by each row's
    /// rule and writes the merged workbook (atomically).
    /// - Throws: `MergeRefusal` when the merge is refused (nothing written; its lists say why),
    ///   `BieuMauError` for usage and input problems.
    public static func merge(_ options: MergeJobOptions, library: FormLibrary,
                             progress: MergeProgress? = nil) throws -> MergeResult {
        guard !options.inputs.isEmpty else {
            throw BieuMauError(.usage, vi: "Hãy nêu ít nhất một tệp hoặc thư mục đầu vào.",
                               en: "Name at least one input file or folder.")
        }
        try AtomicOutput.checkWritable(options.output, force: options.force, inputs: options.inputs)
        let files = try collectInputs(options.inputs, excluding: options.output)
        if files.count > options.maxInputs {
            throw BieuMauError(.usage,
                vi: "Có \(files.count) tệp đầu vào, quá giới hạn \(options.maxInputs) tệp cho một lần tổng hợp. Hãy tổng hợp theo từng nhóm (ví dụ từng huyện) rồi tổng hợp các kết quả đó, hoặc nâng giới hạn bằng --max-inputs.",
                en: "\(files.count) input files exceed the limit of \(options.maxInputs) for one merge. Merge in groups (e.g. per district), then merge the results, or raise the limit with --max-inputs.")
        }
        if let form = options.formID { _ = try library.require(form) }

        // Read and check every input (on every core); a file that cannot be read becomes a rejection.
        var clock = PhaseClock()
        clock.start()
        let outcomes = readAll(files, library: library, formID: library.formIDForReading(current: options.formID),
                               readers: options.readers, progress: progress)
        clock.lap("read+validate")
        var units: [UnitInput] = []
        var unreadable: [Rejection] = []
        for outcome in outcomes {
            switch outcome {
            case .unit(let u): units.append(u)
            case .rejected(let r): unreadable.append(r)
            }
        }

        // The form: the one asked for, else the newest of the inputs' forms, else the one most inputs are.
        let formID = options.formID ?? library.newest(of: units.map(\.appendix.form.id))?.id
            ?? majority(units.map(\.appendix.form.id)) ?? library.forms.first?.id
        guard let formID, let formDefinition = library.form(formID) ?? units.first(where: { $0.appendix.form.id == formID })?.appendix.form else {
            throw MergeRefusal(rejected: unreadable, missing: [], error: BieuMauError(.dataError,
                vi: "Không đọc được tệp đầu vào nào:\n" + unreadable.map { "  - \($0.file): \($0.reason.vi)" }.joined(separator: "\n"),
                en: "No input could be read:\n" + unreadable.map { "  - \($0.file): \($0.reason.en)" }.joined(separator: "\n")))
        }
        let mergeOptions = MergeOptions(parentUnit: TextNormalization.nfc(options.unit),
                                        parentBody: options.parentBody.map(TextNormalization.nfc),
                                        period: options.period, expectedUnits: options.expectedUnits,
                                        allowPartial: options.allowPartial, latestWins: options.latest)
        clock.start()
        let result = try Merger.merge(units, unreadable: unreadable, form: formDefinition, options: mergeOptions)
        clock.lap("merge")
        let withUnitSheets = options.unitSheets.enabled(units: result.accepted.count)
        try AtomicOutput.write(to: options.output, force: options.force, inputs: options.inputs) { tmp in
            try MergeWorkbook.write(result, to: tmp, unitSheets: withUnitSheets)
        }
        clock.lap("write")
        clock.report()
        return result
    }

    enum ReadOutcome: Sendable {
        case unit(UnitInput)
        case rejected(Rejection)
    }

    /// Reads, hashes and validates every file, one worker per core (at most
    /// `Merger.maxInputsReadAtOnce`, or `readers`), keeping the input order; each unit is kept
    /// compact once validated. Each worker keeps its own memo tables (`MemoWorker`): the workers
    /// share no mutable state but the queue of files and the results, so the answers do not depend
    /// on which worker read which file.
    static func readAll(_ files: [String], library: FormLibrary, formID: String?, readers: Int? = nil,
                        progress: MergeProgress?) -> [ReadOutcome] {
        ProcessMemory.keepFreedMemoryForReuse()
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
        let workers = max(1, min(readers ?? Processors.usable, Merger.maxInputsReadAtOnce, files.count))
        @Sendable func work() {
            MemoWorker.run {
                while let i = results.take() {
                    var outcome = readOne(files[i], library: library, formID: formID)
                    if case .unit(let u) = outcome { outcome = .unit(u.compacted()) }
                    results.lock.lock()
                    results.items[i] = outcome
                    results.done += 1
                    let done = results.done
                    progress?(done, files.count, files[i])
                    results.lock.unlock()
                }
            }
        }
        if workers == 1 {
            work()
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in work() }
        }
        return results.items.map { $0! }
    }

    /// Inputs up to this size are read once into memory, hashed and opened from there; larger
    /// ones (never a real appendix) are hashed and read from the file.
    static let inMemoryInputBytes = 16 << 20

    static func readOne(_ file: String, library: FormLibrary, formID: String?) -> ReadOutcome {
        // A regular file is read once: its bytes are hashed and the workbook opened from them.
        // Anything else (missing, a folder, a pipe, a huge file) takes the path by name, which
        // reports it as before.
        let contents = FileContents.load(file, maxBytes: inMemoryInputBytes)
        let sha: String
        if let contents {
            sha = SHA256.hex(of: contents.bytes)
        } else {
            do { sha = try SHA256.hexOfFile(file) } catch {
                let message = (error as? BieuMauError)?.message
                    ?? Localized(vi: "không đọc được tệp (\(error))", en: "cannot read the file (\(error))")
                return .rejected(Rejection(file: file, kind: .unreadable, reason: message))
            }
        }
        do {
            let reader = AppendixReader(library: library)
            var appendix = try contents.map { try reader.read(path: file, contents: $0.bytes, formID: formID) }?.appendix
                ?? reader.read(path: file, formID: formID).appendix
            // A merged workbook's claim (custom properties) is believed only when its own sheets back it.
            let check = MergedWorkbookCheck.verify(&appendix) { name in mergedWorkbookSheet(file, name) }
            // The validator knows a merged workbook's yes/no counts and "Name (n)" choice counts.
            let counts = Validator.counts(appendix)
            let modified = contents?.modified ?? Self.modificationDate(file)
            return .unit(UnitInput(file: file, sha256: sha, appendix: appendix, errorCount: counts.errors,
                                   warningCount: counts.warnings, modified: modified,
                                   sourceUnits: check.sourceUnits, notes: check.note.map { [$0] } ?? []))
        } catch let e as BieuMauError {
            func place(_ lang: Language) -> String {
                guard var l = e.location else { return "" }
                l.file = nil
                let w = l.describe(lang)
                return w.isEmpty ? "" : w + ": "
            }
            return .rejected(Rejection(file: file, kind: .unreadable,
                                       reason: Localized(vi: place(.vi) + e.message.vi, en: place(.en) + e.message.en),
                                       sha256: sha))
        } catch {
            return .rejected(Rejection(file: file, kind: .unreadable,
                                       reason: Localized(vi: "không đọc được tệp (\(error))", en: "cannot read the file (\(error))"),
                                       sha256: sha))
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

    // MARK: - Inputs

    /// The extensions of the files taken from a folder: every format the reader entry point reads.
    public static let inputExtensions: Set<String> = ["xlsx", "xlsm", "xls", "ods", "csv", "docx"]

    /// Files named, and the appendix files inside folders named (sorted by name, hidden and lock files skipped).
    public static func collectInputs(_ paths: [String], excluding output: String) throws -> [String] {
        let fm = FileManager.default
        let outKey = URL(fileURLWithPath: output).standardizedFileURL.path
        var files: [String] = []
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                throw BieuMauError(.noInput, vi: "Không có tệp hoặc thư mục \(path). Hãy kiểm tra lại đường dẫn.",
                                   en: "There is no file or folder \(path). Check the path.")
            }
            if isDir.boolValue {
                let names = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { name in
                    let lower = name.lowercased()
                    return !name.hasPrefix(".") && !name.hasPrefix("~$") && inputExtensions.contains((lower as NSString).pathExtension)
                }.sorted()
                for name in names {
                    let full = (path as NSString).appendingPathComponent(name)
                    // The output of an earlier run in the same folder is not an input.
                    if URL(fileURLWithPath: full).standardizedFileURL.path == outKey { continue }
                    files.append(full)
                }
            } else {
                files.append(path)
            }
        }
        guard !files.isEmpty else {
            throw BieuMauError(.noInput, vi: "Không có tệp phụ lục (.xlsx, .xls, .ods, .csv, .docx) nào trong \(paths.joined(separator: ", ")).",
                               en: "No appendix file (.xlsx, .xls, .ods, .csv, .docx) in \(paths.joined(separator: ", ")).")
        }
        return files
    }

    /// One unit name a line; blank lines and lines starting with `#` are skipped.
    public static func readExpectedUnits(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BieuMauError(.noInput, vi: "Không đọc được danh sách đơn vị \(path).",
                               en: "Cannot read the list of units \(path).")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw BieuMauError(.dataError, vi: "Danh sách đơn vị \(path) không phải văn bản UTF-8. Hãy lưu lại dưới dạng UTF-8.",
                               en: "The list of units \(path) is not UTF-8 text. Save it as UTF-8.")
        }
        return ExpectedUnits.parse(text)
    }

    static func majority(_ items: [String]) -> String? {
        var counts: [String: Int] = [:]
        for i in items { counts[i, default: 0] += 1 }
        return items.first { counts[$0] == counts.values.max() }
    }

    // MARK: - JSON

    static func rejectionJSON(_ x: Rejection, _ lang: Language) -> JSON {
        .object([
            ("file", .string(x.file)), ("unit", x.unit.map(JSON.string) ?? .null), ("kind", .string(x.kind.rawValue)),
            ("reason", .string(x.reason.text(lang))), ("sha256", x.sha256.map(JSON.string) ?? .null),
        ])
    }

    static func conflictsJSON(_ conflicts: [SubmissionConflict]) -> JSON {
        .array(conflicts.map { c in .object([
            ("unit", .string(c.unit)), ("files", .array(c.files.map(JSON.string))),
            ("rows", .array(c.rows.map { row in .object([
                ("id", .string(row.rowID)), ("code", .string(row.code)), ("label", .string(row.label)),
                ("values", .array(row.raws.map(JSON.string))),
            ]) })),
        ]) })
    }

    /// What `--format json` prints when the merge is refused: nothing was written, and why.
    public static func refusalJSON(_ r: MergeRefusal, output: String, language lang: Language) -> JSONValue {
        JSONValue.object([
            ("refused", .bool(true)),
            ("output", .null),
            ("requestedOutput", .string(output)),
            ("message", .string(r.error.message.text(lang))),
            ("rejected", .array(r.rejected.map { rejectionJSON($0, lang) })),
            ("missing", .array(r.missing.map(JSON.string))),
            ("conflicts", conflictsJSON(r.conflicts)),
        ])
    }

    /// The merge as data (`merge --format json`): the merged rows, accepted files, rejected
    /// files, missing units, conflicting submissions.
    public static func json(_ r: MergeResult, output: String, language lang: Language) -> JSONValue {
        var merged: [JSON] = []
        for row in r.rows where row.rule != .none {
            let v = row.merged
            let value: JSON
            switch v.value {
            case .empty: value = .null
            case .number(let n): value = .number(n.description)
            case .yesNo(let b): value = .bool(b)
            case .choices(let c): value = .string(c.joined(separator: "; "))
            case .status(let s), .text(let s): value = .string(s)
            }
            merged.append(.object([
                ("id", .string(row.row.id)), ("code", .string(r.merged.form.displayCode(of: row.row.id))),
                ("label", .string(row.row.label)), ("unit", .string(row.row.unit)), ("rule", .string(row.rule.rawValue)),
                ("value", value), ("raw", .string(v.raw)), ("note", row.note.map { .string($0.text(lang)) } ?? .null),
                ("notMerged", .array(row.notMerged.map { .object([("unit", .string($0.unit)), ("raw", .string($0.raw)),
                                                                  ("reason", .string($0.reason.text(lang)))]) })),
            ]))
        }
        let doc = JSON.object([
            ("unit", .string(r.merged.metadata.unit ?? "")),
            ("parent", r.merged.metadata.parentBody.map(JSON.string) ?? .null),
            ("period", r.period.map { .string(WorkbookProperty.encode($0)) } ?? .null),
            ("periodText", r.period.map { .string(lang == .en ? $0.english : $0.vietnamese) } ?? .null),
            ("form", .string(r.merged.form.id)),
            ("output", .string(output)),
            ("unitCount", .number(String(r.unitCount))),
            ("merged", .array(merged)),
            ("accepted", .array(r.accepted.map { u in .object([
                ("file", .string(u.file)), ("unit", .string(u.unitName)), ("sha256", .string(u.sha256)),
                ("period", u.appendix.metadata.period.map { .string(WorkbookProperty.encode($0)) } ?? .null),
                ("errors", .number(String(u.errorCount))), ("warnings", .number(String(u.warningCount))),
                ("merged", .bool(u.isMerged)),
                ("notes", .array(u.notes.map { .string($0.text(lang)) })),
            ]) })),
            ("rejected", .array(r.rejected.map { rejectionJSON($0, lang) })),
            ("missing", .array(r.missingUnits.map(JSON.string))),
            ("conflicts", conflictsJSON(r.conflicts)),
            ("unexpected", .array(r.unexpectedUnits.map(JSON.string))),
        ])
        return doc
    }
}

/// Time per phase, printed to stderr when BIEUMAU_TIMING is set (for the benchmark).
struct PhaseClock {
    let enabled = ProcessInfo.processInfo.environment["BIEUMAU_TIMING"] != nil
    var totals: [(String, Double)] = []
    var last = Date()
    mutating func start() { if enabled { last = Date() } }
    mutating func lap(_ name: String) {
        guard enabled else { return }
        let now = Date()
        if let i = totals.firstIndex(where: { $0.0 == name }) { totals[i].1 += now.timeIntervalSince(last) }
        else { totals.append((name, now.timeIntervalSince(last))) }
        last = now
    }
    func report() {
        guard enabled else { return }
        let text = totals.map { "\($0.0) \(String(format: "%.2f", $0.1)) s" }.joined(separator: ", ")
        FileHandle.standardError.write(Data("timing: \(text)\n".utf8))
    }
}

/// The list of units that must submit (`merge --expect`, a portal collection's units): one name a
/// line, NFC, white space collapsed; blank lines and lines starting with `#` skipped.
public enum ExpectedUnits {
    public static func parse(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline)
            .map { TextNormalization.collapseWhitespace(TextNormalization.nfc(String($0))) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}
