import AppendixModel
import AppendixValidation
import ArgumentParser
import BieuMau
import FormSchema
import Foundation
import Support

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Kiểm tra phụ lục trước khi gửi: mỗi vấn đề nêu tại ô của nó. / Check appendices before submission.",
        discussion: """
        Mọi quy tắc lấy từ định nghĩa biểu mẫu (loại dòng, giới hạn, tỷ lệ tử số/mẫu số, các quy tắc tổng và \
        thành phần). Xem docs/validation.md. Mã thoát: 0 không có lỗi (có thể có cảnh báo), 1 có lỗi, \
        65 có tệp không đọc được, 64 sai cách dùng.
        Every rule comes from the form definition. Exit 0: no errors (warnings allowed); 1: errors; \
        65: a file could not be read; 64: usage.
        """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Các tệp phụ lục (.xlsx, .xls, .ods, .csv, .docx). / Appendix files.")
    var files: [String]

    @Option(name: .long, help: "Mã biểu mẫu (xem `bieumau forms`). / Form id.")
    var form: String?

    @Option(name: .long, help: "Kỳ báo cáo phải có, vd. \"Quý I/2023\". / Expected period.")
    var period: String?

    @Option(name: .long, help: "Đơn vị báo cáo phải có, vd. \"UBND huyện Ngân Sơn\". / Expected unit.")
    var unit: String?

    @Option(name: .long, help: "Phụ lục kỳ trước (lũy kế) để so sánh. / The previous cumulative period's appendix.")
    var previous: String?

    @Flag(name: .long, help: "Coi cảnh báo là lỗi. / Treat warnings as errors.")
    var strict = false

    @Option(name: .long, help: "Định dạng kết quả: text hoặc json. / Output format.")
    var format: OutputFormat = .text

    @Option(name: .long, help: "Ghi bản sao có đánh dấu các ô có vấn đề (.xlsx; chỉ một tệp đầu vào). / Annotated copy.")
    var annotate: String?

    @Flag(name: .long, help: "Ghi đè tệp kết quả đã có. / Overwrite an existing output.")
    var force = false

    @Option(name: .long, help: "Trang tính (hoặc bảng Word) cần đọc: tên hoặc số thứ tự. / Sheet (or Word table) to read: name or number.")
    var sheet: String?

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() throws {
        common.apply()
        let lang = Console.language
        let library = try FormLibrary.load(extraFolders: common.formsDirs)
        let options = ValidateOptions(formID: form, sheet: sheet, expectedPeriod: try period.map(Period.option),
                                      expectedUnit: unit, previous: previous, strict: strict, annotate: annotate,
                                      force: force, language: lang)
        let run = try Validation.validate(files: files, options: options, library: library)
        for file in run.files {
            Console.notes(file.notices)
            if let error = file.error { Console.error(error.text(lang)) }
        }
        let reports = run.reports
        switch format {
        case .json:
            Console.say(files.count == 1 && reports.count == 1 ? reports[0].json(lang) : ValidationReport.json(reports, lang))
        case .text:
            var blocks = reports.map { $0.text(lang) }
            if files.count > 1 {
                let unreadable = run.unreadable.map { ($0.file, $0.error?.message.text(lang) ?? "") }
                blocks.append((lang == .en ? "Summary of \(files.count) files:" : "Tổng hợp \(files.count) tệp:") + "\n"
                              + ValidationReport.summaryTable(reports, unreadable: unreadable, lang))
            }
            if !blocks.isEmpty { Console.say(blocks.joined(separator: "\n\n" + String(repeating: "=", count: 60) + "\n\n")) }
        }
        if let annotated = run.annotated, format == .text {
            Console.say(lang == .en ? "Wrote the annotated copy \(annotated)." : "Đã ghi bản đánh dấu \(annotated).")
        }
        if run.status != .success { throw ExitFindings(status: run.status) }
    }
}
