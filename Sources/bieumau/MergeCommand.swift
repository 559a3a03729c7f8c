import AppendixMerge
import AppendixModel
import ArgumentParser
import BieuMau
import FormSchema
import Foundation
import Support

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Tổng hợp phụ lục của các đơn vị thành phụ lục của cấp trên. / Merge units' appendices into the parent's workbook.",
        discussion: """
        INPUT là tệp (.xlsx, .xls, .ods, .csv, .docx) hoặc thư mục (mọi tệp như thế trong đó, theo thứ tự tên). Mỗi tệp hoặc được \
        tổng hợp, hoặc bị loại kèm lý do (khác biểu mẫu, khác kỳ, trùng đơn vị, không đọc được). Không có \
        --allow-partial thì một tệp bị loại hoặc một đơn vị thiếu (--expect) là lỗi và không ghi tệp nào.
        INPUT is files (.xlsx, .xls, .ods, .csv, .docx) or folders of them. Every file is merged or rejected with a reason. Without \
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
        var options = MergeJobOptions(inputs: inputs, output: output, unit: unit, parentBody: parent, formID: form,
                                      period: try period.map(Period.option), expectedUnits: [],
                                      allowPartial: allowPartial, latest: latest, unitSheets: unitSheets,
                                      maxInputs: maxInputs, force: force)
        options.expectedUnits = try expect.map(MergeJob.readExpectedUnits) ?? []
        let library = try FormLibrary.load(extraFolders: common.formsDirs)
        let result: MergeResult
        do {
            result = try MergeJob.merge(options, library: library, progress: Self.progressPrinter())
        } catch let refusal as MergeRefusal {
            // With --format json the lists go to stdout as data; the message to stderr.
            if format == .json { Console.say(MergeJob.refusalJSON(refusal, output: output, language: Console.language).text) }
            throw refusal.error
        }
        switch format {
        case .json: Console.say(MergeJob.json(result, output: output, language: Console.language).text)
        case .text: Console.say(Self.summary(result, output: output))
        }
        if result.rejected.contains(where: { !$0.kind.isInformational }) || !result.missingUnits.isEmpty {
            Console.warn(Localized(
                vi: "Tổng hợp chưa đầy đủ (--allow-partial): \(result.rejected.count) tệp bị loại, \(result.missingUnits.count) đơn vị thiếu.",
                en: "Partial merge (--allow-partial): \(result.rejected.count) file(s) rejected, \(result.missingUnits.count) unit(s) missing."))
        }
    }

    /// A progress line on a terminal (rewritten in place), cleared when the last file is read.
    static func progressPrinter() -> MergeProgress? {
        guard Console.stderrIsTerminal else { return nil }
        let reading = Console.text("Đang đọc", "Reading")
        return { done, total, file in
            guard total >= 10 else { return }
            let name = (file as NSString).lastPathComponent
            FileHandle.standardError.write(Data("\r\u{1B}[K\(reading) \(done)/\(total): \(name)".utf8))
            if done == total { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        }
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
}

/// `--unit-sheets yes|no|auto`.
extension UnitSheets: ExpressibleByArgument {}
