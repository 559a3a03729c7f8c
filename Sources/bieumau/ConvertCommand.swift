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

    @Argument(help: "Tệp đầu vào (.xlsx, .xls, .ods, .csv hoặc văn bản Word .docx). / Input file (workbook, CSV or Word document).")
    var input: String

    @Option(name: .shortAndLong, help: "Tệp Excel kết quả (.xlsx). / Output workbook.")
    var output: String

    @Option(name: .long, help: "Mã biểu mẫu (xem `bieumau forms`). / Form id.")
    var form: String?

    @Option(name: .long, help: "Trang tính (hoặc bảng Word) cần đọc: tên hoặc số thứ tự. / Sheet (or Word table) to read: name or number.")
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
        let options = ConvertOptions(formID: form, sheet: sheet, metadata: try flagMetadata(), force: force)
        let result: ConversionResult
        do {
            result = try Conversion.convert(input: input, output: output, options: options, library: library)
        } catch let refused as ConversionRefused {
            for problem in refused.listed { Console.error(problem.text(Console.language)) }
            throw refused.error
        }
        Console.notes(result.notices)
        result.warnings.forEach(Console.warn)
        Console.say(Console.text(
            "Đã ghi \(output): biểu mẫu \(result.appendix.form.id), \(result.valuedItems) chỉ tiêu có số liệu.",
            "Wrote \(output): form \(result.appendix.form.id), \(result.valuedItems) items with values."))
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
            guard d.isValid else {
                throw BieuMauError(.usage,
                    vi: "ngày báo cáo \"\(reportDate)\" không có thật (tháng từ 1 đến 12, ngày trong tháng đó). Ví dụ: \"15/3/2023\".",
                    en: "the report date \"\(reportDate)\" does not exist (months run 1–12, days within the month). Example: \"15/3/2023\".")
            }
            m.reportDate = d
            m.locations["reportDate"] = flagLoc
        }
        return m
    }
}
