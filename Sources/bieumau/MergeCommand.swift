import AppendixMerge
import AppendixModel
import AppendixValidation
import ArgumentParser
import BieuMau
import FormSchema
import Foundation
import OfficialWorkbook
import SheetGrid
import Support

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Tổng hợp phụ lục của các đơn vị thành phụ lục của cấp trên. / Merge units' appendices into the parent's workbook.",
        discussion: """
        INPUT là tệp .xlsx/.csv hoặc thư mục (mọi tệp .xlsx/.csv trong đó, theo thứ tự tên). Mỗi tệp hoặc được \
        tổng hợp, hoặc bị loại kèm lý do (khác biểu mẫu, khác kỳ, trùng đơn vị, không đọc được). Không có \
        --allow-partial thì một tệp bị loại hoặc một đơn vị thiếu (--expect) là lỗi và không ghi tệp nào.
        INPUT is .xlsx/.csv files or folders. Every file is merged or rejected with a reason. Without \
        --allow-partial any rejection or missing unit is an error (exit 65) and nothing is written.
        """)

    @Argument(help: "Tệp hoặc thư mục đầu vào. / Input files or folders.")
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: "Tệp Excel kết quả. / Output workbook.")
    var output: String

    @Option(name: .long, help: "Đơn vị tổng hợp (cấp trên), ví dụ \"ỦY BAN NHÂN DÂN TỈNH BẮC KẠN\". / The parent unit.")
    var unit: String

    @Option(name: .long, help: "Cơ quan cấp trên của đơn vị tổng hợp. / The body above the parent unit.")
    var parent: String?

    @Option(name: .long, help: "Kỳ báo cáo, ví dụ \"Quý I/2023\", \"6 tháng 2023\", \"quy-1/2023\". Mặc định: kỳ của đa số tệp. / Period (default: the majority's).")
    var period: String?

    @Option(name: .long, help: "Mã biểu mẫu (xem `bieumau forms`). Mặc định: biểu mẫu của đa số tệp. / Form id.")
    var form: String?

    @Option(name: .long, help: "Tệp danh sách đơn vị phải gửi, mỗi dòng một tên. / File listing the expected units, one per line.")
    var expect: String?

    @Flag(name: .customLong("allow-partial"), help: "Vẫn tổng hợp khi có tệp bị loại hoặc đơn vị thiếu. / Merge even with rejections or missing units.")
    var allowPartial = false

    @Flag(name: .customLong("latest"), help: "Một đơn vị gửi nhiều tệp: lấy tệp mới nhất. / For a unit given twice, take its newest file.")
    var latest = false

    @Option(name: .long, help: "Định dạng tóm tắt: text hoặc json. / Summary format.")
    var format: SummaryFormat = .text

    @Flag(name: .long, help: "Ghi đè tệp kết quả đã có. / Overwrite the output.")
    var force = false

    @Option(name: .customLong("unit-sheets"), help: "Một trang tính cho mỗi đơn vị: yes, no hoặc auto (có khi tối đa \(UnitSheets.autoLimit) đơn vị). / One sheet per unit: yes, no or auto (yes up to \(UnitSheets.autoLimit) units).")
    var unitSheets: UnitSheets = .auto

    @Option(name: .customLong("max-inputs"), help: "Số tệp đầu vào tối đa (mặc định \(InputLimits.maxInputs)). / At most this many input files.")
    var maxInputs: Int = InputLimits.maxInputs

    @OptionGroup var common: CommonOptions

    enum SummaryFormat: String, ExpressibleByArgument { case text, json }

    func run() throws {
        common.apply()
        guard !inputs.isEmpty else {
            throw BieuMauError(.usage, vi: "Hãy nêu ít nhất một tệp hoặc thư mục đầu vào.",
                               en: "Name at least one input file or folder.")
        }
        let requestedPeriod = try period.map(Period.option)
        let expected = try expect.map(Self.readExpectedUnits) ?? []
        try AtomicOutput.checkWritable(output, force: force, inputs: inputs)
        let files = try Self.collectInputs(inputs, excluding: output)
        if files.count > maxInputs {
            throw BieuMauError(.usage,
                vi: "Có \(files.count) tệp đầu vào, quá giới hạn \(maxInputs) tệp cho một lần tổng hợp. Hãy tổng hợp theo từng nhóm (ví dụ từng huyện) rồi tổng hợp các kết quả đó, hoặc nâng giới hạn bằng --max-inputs.",
                en: "\(files.count) input files exceed the limit of \(maxInputs) for one merge. Merge in groups (e.g. per district), then merge the results, or raise the limit with --max-inputs.")
        }
        let library = try FormLibrary.load(extraFolders: common.formsDirs)
        if let form { _ = try library.require(form) }

        // Read and check every input (on every core); a file that cannot be read becomes a rejection.
        var clock = PhaseClock()
        clock.start()
        let showProgress = Console.stderrIsTerminal && files.count >= 10
        let outcomes = Self.readAll(files, library: library, formID: library.formIDForReading(current: form), progress: showProgress)
        clock.lap("read+validate")
        var units: [UnitInput] = []
        var unreadable: [Rejection] = []
        for outcome in outcomes {
            switch outcome {
            case .unit(let u): units.append(u)
            case .rejected(let r): unreadable.append(r)
            }
        }

        // The form: the one asked for, else the one most readable inputs are.
        let formID = form ?? library.newest(of: units.map(\.appendix.form.id))?.id
            ?? Self.majority(units.map(\.appendix.form.id)) ?? library.forms.first?.id
        guard let formID, let formDefinition = library.form(formID) ?? units.first(where: { $0.appendix.form.id == formID })?.appendix.form else {
            throw refused(MergeRefusal(rejected: unreadable, missing: [], error: BieuMauError(.dataError,
                vi: "Không đọc được tệp đầu vào nào:\n" + unreadable.map { "  - \($0.file): \($0.reason.vi)" }.joined(separator: "\n"),
                en: "No input could be read:\n" + unreadable.map { "  - \($0.file): \($0.reason.en)" }.joined(separator: "\n"))),
                output: output)
        }
        let options = MergeOptions(parentUnit: TextNormalization.nfc(unit), parentBody: parent.map(TextNormalization.nfc),
                                   period: requestedPeriod, expectedUnits: expected, allowPartial: allowPartial,
                                   latestWins: latest)
        clock.start()
        let result: MergeResult
        do {
            result = try Merger.merge(units, unreadable: unreadable, form: formDefinition, options: options)
        } catch let refusal as MergeRefusal {
            throw refused(refusal, output: output)
        }
        clock.lap("merge")
        let withUnitSheets = unitSheets.enabled(units: result.accepted.count)
        try AtomicOutput.write(to: output, force: force, inputs: inputs) { tmp in
            try MergeWorkbook.write(result, to: tmp, unitSheets: withUnitSheets)
        }
        clock.lap("write")
        clock.report()
        switch format {
        case .json: Console.say(Self.json(result, output: output))
        case .text: Console.say(Self.summary(result, output: output))
        }
        if result.rejected.contains(where: { !$0.kind.isInformational }) || !result.missingUnits.isEmpty {
            Console.warn(Localized(
                vi: "Tổng hợp chưa đầy đủ (--allow-partial): \(result.rejected.count) tệp bị loại, \(result.missingUnits.count) đơn vị thiếu.",
                en: "Partial merge (--allow-partial): \(result.rejected.count) file(s) rejected, \(result.missingUnits.count) unit(s) missing."))
        }
    }

    /// A refused merge: with `--format json` the lists go to stdout as data; the message to stderr.
    func refused(_ refusal: MergeRefusal, output: String) -> BieuMauError {
        if format == .json { Console.say(Self.refusalJSON(refusal, output: output)) }
        return refusal.error
    }

    enum ReadOutcome: Sendable {
        case unit(UnitInput)
        case rejected(Rejection)
    }

    /// Reads, hashes and validates every file, a few at a time (`Merger.maxInputsReadAtOnce`),
    /// keeping the input order; each unit is kept compact once validated.
    static func readAll(_ files: [String], library: FormLibrary, formID: String?, progress: Bool) -> [ReadOutcome] {
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
        let reading = Console.text("Đang đọc", "Reading")
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, Merger.maxInputsReadAtOnce, files.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = results.take() {
                var outcome = readOne(files[i], library: library, formID: formID)
                if case .unit(let u) = outcome { outcome = .unit(u.compacted()) }
                results.lock.lock()
                results.items[i] = outcome
                results.done += 1
                let done = results.done
                if progress {
                    let name = (files[i] as NSString).lastPathComponent
                    FileHandle.standardError.write(Data("\r\u{1B}[K\(reading) \(done)/\(files.count): \(name)".utf8))
                }
                results.lock.unlock()
            }
        }
        if progress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        return results.items.map { $0! }
    }

    static func readOne(_ file: String, library: FormLibrary, formID: String?) -> ReadOutcome {
        let sha: String
        do { sha = try SHA256.hexOfFile(file) } catch {
            let message = (error as? BieuMauError)?.message
                ?? Localized(vi: "không đọc được tệp (\(error))", en: "cannot read the file (\(error))")
            return .rejected(Rejection(file: file, kind: .unreadable, reason: message))
        }
        do {
            var appendix = try readAppendix(path: file, library: library, formID: formID, sheet: nil)
            // A merged workbook's claim (custom properties) is believed only when its own sheets back it.
            let check = MergedWorkbookCheck.verify(&appendix) { name in mergedWorkbookSheet(file, name) }
            // The validator knows a merged workbook's yes/no counts and "Name (n)" choice counts.
            let findings = Validator.validate(appendix)
            let modified = Self.modificationDate(file)
            return .unit(UnitInput(file: file, sha256: sha, appendix: appendix, findings: findings, modified: modified,
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

    /// Files named, and the .xlsx/.csv files inside folders named (sorted by name, hidden and lock files skipped).
    static func collectInputs(_ paths: [String], excluding output: String) throws -> [String] {
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
                    return !name.hasPrefix(".") && !name.hasPrefix("~$") && (lower.hasSuffix(".xlsx") || lower.hasSuffix(".csv"))
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
            throw BieuMauError(.noInput, vi: "Không có tệp .xlsx hoặc .csv nào trong \(paths.joined(separator: ", ")).",
                               en: "No .xlsx or .csv file in \(paths.joined(separator: ", ")).")
        }
        return files
    }

    /// One unit name a line; blank lines and lines starting with `#` are skipped.
    static func readExpectedUnits(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BieuMauError(.noInput, vi: "Không đọc được danh sách đơn vị \(path).",
                               en: "Cannot read the list of units \(path).")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw BieuMauError(.dataError, vi: "Danh sách đơn vị \(path) không phải văn bản UTF-8. Hãy lưu lại dưới dạng UTF-8.",
                               en: "The list of units \(path) is not UTF-8 text. Save it as UTF-8.")
        }
        return text.split(whereSeparator: \.isNewline)
            .map { TextNormalization.collapseWhitespace(TextNormalization.nfc(String($0))) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    static func majority(_ items: [String]) -> String? {
        var counts: [String: Int] = [:]
        for i in items { counts[i, default: 0] += 1 }
        return items.first { counts[$0] == counts.values.max() }
    }

    // MARK: - Summaries

    static func summary(_ r: MergeResult, output: String) -> String {
        let lang = Console.language
        var lines: [String] = []
        let period = r.period.map { lang == .en ? $0.english : $0.vietnamese } ?? "?"
        lines.append(lang == .en
            ? "Merged \(r.accepted.count) unit(s) (\(r.unitCount) reporting units) for \(r.merged.metadata.unit ?? ""), \(period) → \(output)"
            : "Đã tổng hợp \(r.accepted.count) đơn vị (\(r.unitCount) đơn vị báo cáo) cho \(r.merged.metadata.unit ?? ""), \(period) → \(output)")
        let withErrors = r.accepted.filter { $0.errorCount > 0 }
        if !withErrors.isEmpty {
            lines.append(lang == .en ? "Merged with validation errors (see sheet Nguồn):" : "Đã tổng hợp nhưng có lỗi kiểm tra (xem trang Nguồn):")
            for u in withErrors { lines.append("  - \(u.file) (\(u.unitName)): \(u.errorCount) \(lang == .en ? "error(s)" : "lỗi")") }
        }
        if !r.carried.isEmpty {
            lines.append(lang == .en ? "Files on the replaced form, merged through the row map: \(r.carried.count)"
                                     : "Tệp theo biểu mẫu cũ, tổng hợp qua bảng đối chiếu dòng: \(r.carried.count)")
            for c in r.carried { lines.append("  - \(c.file) (\(c.unit)): \(c.carried.note.text(lang))") }
        }
        let informational = r.rejected.filter(\.kind.isInformational)
        let rejected = r.rejected.filter { !$0.kind.isInformational }
        lines.append(lang == .en ? "Rejected: \(rejected.count)" : "Bị loại: \(rejected.count)")
        for x in rejected { lines.append("  - \(x.file): \(x.reason.text(lang))") }
        if !informational.isEmpty {
            lines.append(lang == .en ? "Not merged, not an error: \(informational.count)" : "Không tổng hợp (không phải lỗi): \(informational.count)")
            for x in informational { lines.append("  - \(x.file): \(x.reason.text(lang))") }
        }
        lines.append(contentsOf: Self.conflictLines(r.conflicts, lang))
        for u in r.accepted where !u.notes.isEmpty {
            lines.append("  ! \(u.file): " + u.notes.map { $0.text(lang) }.joined(separator: "; "))
        }
        lines.append(lang == .en ? "Missing units: \(r.missingUnits.count)" : "Đơn vị thiếu: \(r.missingUnits.count)")
        for m in r.missingUnits { lines.append("  - \(m)") }
        if !r.unexpectedUnits.isEmpty {
            lines.append(lang == .en ? "Units not on the expected list: \(r.unexpectedUnits.joined(separator: ", "))"
                                     : "Đơn vị không có trong danh sách: \(r.unexpectedUnits.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }

    /// Units whose files disagree, each with its files and the rows where they differ.
    static func conflictLines(_ conflicts: [SubmissionConflict], _ lang: Language) -> [String] {
        guard !conflicts.isEmpty else { return [] }
        var lines = [lang == .en ? "Units with conflicting submissions (not merged, counted missing): \(conflicts.count)"
                                 : "Đơn vị gửi nhiều tệp có số liệu khác nhau (không tổng hợp, tính là thiếu): \(conflicts.count)"]
        for c in conflicts {
            lines.append("  - \(c.unit): \(c.files.joined(separator: ", "))")
            for row in c.rows {
                let values = zip(c.files, row.raws).map { file, raw in
                    "\((file as NSString).lastPathComponent) = \(raw.isEmpty ? (lang == .en ? "(blank)" : "(trống)") : raw)"
                }
                lines.append("      \(row.code): " + values.joined(separator: "; "))
            }
        }
        return lines
    }

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
    static func refusalJSON(_ r: MergeRefusal, output: String) -> String {
        let lang = Console.language
        return JSON.object([
            ("refused", .bool(true)),
            ("output", .null),
            ("requestedOutput", .string(output)),
            ("message", .string(r.error.message.text(lang))),
            ("rejected", .array(r.rejected.map { rejectionJSON($0, lang) })),
            ("missing", .array(r.missing.map(JSON.string))),
            ("conflicts", conflictsJSON(r.conflicts)),
        ]).text
    }

    static func json(_ r: MergeResult, output: String) -> String {
        let lang = Console.language
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
        return doc.text
    }
}

/// A small JSON writer that keeps exact decimals exact (numbers are written from their text).
enum JSON {
    case null, bool(Bool), number(String), string(String), array([JSON]), object([(String, JSON)])

    var text: String {
        var out = ""
        write(into: &out, indent: 0)
        return out
    }

    private func write(into out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1), end = String(repeating: "  ", count: indent)
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): JSON.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(into: &out, indent: indent + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += end + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (k, v)) in members.enumerated() {
                out += pad
                JSON.quote(k, into: &out)
                out += ": "
                v.write(into: &out, indent: indent + 1)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += end + "}"
        }
    }

    static func quote(_ s: String, into out: inout String) { JSONText.append(s, to: &out) }
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

/// `--unit-sheets yes|no|auto`.
extension UnitSheets: ExpressibleByArgument {}
