import AppendixModel
import ArgumentParser
import BieuMau
import FormSchema
import Foundation
import OfficialWorkbook
import Support

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Chuyển CSV hoặc bảng tính rời thành biểu Excel chính thức. / Convert a CSV or loose sheet into the official workbook.",
        discussion: """
        Thông tin đơn vị, kỳ báo cáo, số và ngày báo cáo lấy từ tuỳ chọn, nếu không thì từ tệp đầu vào. \
        Dòng không có trong biểu mẫu và số không đọc được là lỗi (mã thoát 65, không ghi tệp kết quả). \
        Metadata comes from the flags, else from the input. Unknown rows and unreadable numbers are errors \
        (exit 65, no output); ambiguous numbers are warnings.
        """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Tệp đầu vào (.csv hoặc .xlsx). / Input file.")
    var input: String

    @Option(name: .shortAndLong, help: "Tệp Excel kết quả (.xlsx). / Output workbook.")
    var output: String

    @Option(name: .long, help: "Mã biểu mẫu (xem `bieumau forms`). / Form id.")
    var form: String?

    @Option(name: .long, help: "Trang tính cần đọc (tệp .xlsx). / Sheet to read.")
    var sheet: String?

    @Option(name: .long, help: "Đơn vị báo cáo, vd. \"UBND huyện Ngân Sơn\". / Reporting unit.")
    var unit: String?

    @Option(name: .long, help: "Cơ quan cấp trên, vd. \"UBND tỉnh Bắc Kạn\". / Parent body.")
    var parent: String?

    @Option(name: .long, help: "Kỳ báo cáo, vd. \"Quý I/2023\", \"6 tháng đầu năm 2023\". / Period.")
    var period: String?

    @Option(name: .customLong("report-no"), help: "Số báo cáo, vd. \"15/BC-UBND\". / Report number.")
    var reportNumber: String?

    @Option(name: .customLong("report-date"), help: "Ngày báo cáo, vd. \"15/3/2023\". / Report date.")
    var reportDate: String?

    @Flag(name: .long, help: "Ghi đè tệp kết quả đã có. / Overwrite an existing output.")
    var force = false

    func run() throws {
        common.apply()
        let library = try FormLibrary.load(extraFolders: common.formsDirs)
        let flags = try flagMetadata()
        // Refuse early, before reading, when the output exists.
        try AtomicOutput.checkWritable(output, force: force, inputs: [input])
        var appendix = try readAppendix(path: input, library: library, formID: form, sheet: sheet)
        appendix.metadata = flags.filling(from: appendix.metadata)
        try ConversionCheck.requireReadable(appendix)
        ConversionCheck.warnings(appendix).forEach(Console.warn)
        ConversionCheck.missingMetadataWarnings(appendix.metadata).forEach(Console.warn)
        try writeOfficialWorkbook(appendix, to: output, force: force)
        let valued = appendix.values.values.filter { !$0.value.isEmpty }.count
        Console.say(Console.text(
            "Đã ghi \(output): biểu mẫu \(appendix.form.id), \(valued) chỉ tiêu có số liệu.",
            "Wrote \(output): form \(appendix.form.id), \(valued) items with values."))
    }

    /// Metadata given on the command line.
    func flagMetadata() throws -> Metadata {
        var m = Metadata()
        let flagLoc = SourceLocation(file: nil)
        if let unit { m.unit = TextNormalization.nfc(unit); m.locations["unit"] = flagLoc }
        if let parent { m.parentBody = TextNormalization.nfc(parent); m.locations["parentBody"] = flagLoc }
        if let period {
            guard let p = Period.parse(period) else {
                throw BieuMauError(.usage,
                    vi: "không hiểu kỳ báo cáo \"\(period)\". Ví dụ: \"Quý I/2023\", \"6 tháng đầu năm 2023\", \"Năm 2023\".",
                    en: "cannot read the period \"\(period)\". Examples: \"Quý I/2023\", \"6 tháng đầu năm 2023\", \"Năm 2023\".")
            }
            m.period = p
            m.periodText = period
            m.locations["period"] = flagLoc
        }
        if let reportNumber { m.reportNumber = reportNumber; m.locations["reportNumber"] = flagLoc }
        if let reportDate {
            guard let d = ReportDate.parse("ngày " + reportDate) ?? ReportDate.parse(reportDate) else {
                throw BieuMauError(.usage,
                    vi: "không hiểu ngày báo cáo \"\(reportDate)\". Ví dụ: \"15/3/2023\".",
                    en: "cannot read the report date \"\(reportDate)\". Example: \"15/3/2023\".")
            }
            m.reportDate = d
            m.locations["reportDate"] = flagLoc
        }
        return m
    }
}

/// What convert accepts and what it only warns about.
enum ConversionCheck {
    static let maxListedProblems = 20

    /// Unknown rows and unreadable numbers stop a conversion; all are listed, then exit 65.
    static func requireReadable(_ appendix: Appendix) throws {
        var problems: [BieuMauError] = []
        // Unknown rows block; a duplicate row is reported (the first one is kept) but does not.
        for f in appendix.readingFindings where f.severity == .error && f.rule != .duplicateRow {
            problems.append(BieuMauError(.dataError, f.message, at: f.location))
        }
        for row in appendix.form.rows where row.kind.isNumeric {
            guard let v = appendix.values[row.id], case .text(let text) = v.value else { continue }
            let code = appendix.form.displayCode(of: row.id)
            problems.append(BieuMauError(.dataError,
                vi: "chỉ tiêu \"\(code) \(row.label)\" cần một số nhưng ô ghi \"\(text)\". Hãy ghi số (vd. 136.284 hoặc 2,30), để trống, hoặc ghi một trạng thái như \"\(appendix.form.statusTexts.first ?? "Chưa thực hiện")\".",
                en: "the item \"\(code) \(row.label)\" needs a number but the cell holds \"\(text)\". Write a number (e.g. 136.284 or 2,30), leave it blank, or write a status such as \"\(appendix.form.statusTexts.first ?? "Chưa thực hiện")\".",
                at: v.location))
        }
        guard !problems.isEmpty else { return }
        let sorted = problems.sorted { ($0.location?.line ?? 0, $0.location?.cell ?? "") < ($1.location?.line ?? 0, $1.location?.cell ?? "") }
        // A wrong file can hold thousands of unknown rows: show the first ones and count the rest.
        let shown = sorted.prefix(maxListedProblems)
        for p in shown.dropLast() { Console.error(p.text(Console.language)) }
        var last = shown.last!
        if sorted.count > 1 {
            let more = sorted.count - shown.count
            last.message = Localized(
                vi: last.message.vi + " (\(sorted.count) lỗi\(more > 0 ? ", \(more) lỗi không liệt kê" : ""); chưa ghi tệp kết quả)",
                en: last.message.en + " (\(sorted.count) errors\(more > 0 ? ", \(more) not listed" : ""); no output written)")
        }
        throw last
    }

    static func warnings(_ appendix: Appendix) -> [Localized] {
        appendix.readingFindings.filter { $0.severity == .warning || $0.rule == .duplicateRow }.map { f in
            let whereVi = f.location?.describe(.vi) ?? "", whereEn = f.location?.describe(.en) ?? ""
            return Localized(vi: whereVi.isEmpty ? f.message.vi : "\(whereVi): \(f.message.vi)",
                             en: whereEn.isEmpty ? f.message.en : "\(whereEn): \(f.message.en)")
        }
    }

    static func missingMetadataWarnings(_ m: Metadata) -> [Localized] {
        var out: [Localized] = []
        if m.unit == nil {
            out.append(Localized(vi: "không rõ đơn vị báo cáo; ô đơn vị để trống. Dùng --unit \"UBND huyện …\".",
                                 en: "the reporting unit is unknown and left blank. Use --unit \"UBND huyện …\"."))
        }
        if m.period == nil {
            out.append(Localized(vi: "không rõ kỳ báo cáo; để trống. Dùng --period \"Quý I/2023\".",
                                 en: "the reporting period is unknown and left blank. Use --period \"Quý I/2023\"."))
        }
        if m.reportNumber == nil {
            out.append(Localized(vi: "không rõ số báo cáo; để trống. Dùng --report-no \"15/BC-UBND\".",
                                 en: "the report number is unknown and left blank. Use --report-no \"15/BC-UBND\"."))
        }
        if m.reportDate == nil {
            out.append(Localized(vi: "không rõ ngày báo cáo; để trống. Dùng --report-date \"15/3/2023\".",
                                 en: "the report date is unknown and left blank. Use --report-date \"15/3/2023\"."))
        }
        return out
    }
}

/// The official workbook, written atomically by the OfficialWorkbook module.
func writeOfficialWorkbook(_ appendix: Appendix, to path: String, force: Bool) throws {
    try OfficialWorkbookWriter.writeAppendix(appendix, to: path, force: force, mode: .filled)
}
