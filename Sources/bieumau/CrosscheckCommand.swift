import ArgumentParser
import BieuMau
import Crosscheck
import FormSchema
import Foundation
import OfficialWorkbook
import Support

struct CrosscheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crosscheck",
        abstract: "Đối chiếu số liệu trong lời văn báo cáo với phụ lục của nó. / Check a report's text against its own appendix.",
        discussion: """
        Mỗi số trong lời văn (số lượng, tỷ lệ, tiền) được liên kết với chỉ tiêu của phụ lục theo từ ngữ, \
        đơn vị, cấp và cấu trúc câu; số lệch là cảnh báo text-mismatch, tỷ lệ không khớp với các số thành \
        phần trong cùng câu là text-arithmetic. Số không liên kết chắc chắn được liệt kê riêng, không báo lệch. \
        Xem docs/crosscheck.md. Mã thoát: 0 (kể cả khi có cảnh báo), 64, 65, 66, 73.
        Each number of the text is linked to an appendix row by words, unit, level and sentence structure. \
        Exit 0 (also with warnings); 64 usage; 65 unreadable; 66 missing; 73 cannot write.
        """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Báo cáo (.docx, hoặc văn bản .txt với --appendix). / The report.")
    var report: String

    @Option(name: .long, help: "Phụ lục ở tệp riêng (.xlsx, .csv…); mặc định: bảng trong chính báo cáo. / Appendix file.")
    var appendix: String?

    @Option(name: .long, help: "Mã biểu mẫu. / Form id.")
    var form: String?

    @Option(name: .long, help: "Định dạng kết quả: text hoặc json. / Output format.")
    var format: ValidateCommand.OutputFormat = .text

    @Flag(name: .long, help: "Liệt kê cả các số khớp. / List the agreeing numbers too.")
    var listAgreements = false

    @Option(name: .long, help: "Ghi bản phụ lục có đánh dấu ô lệch và trích câu (.xlsx). / Annotated copy.")
    var annotate: String?

    @Flag(name: .long, help: "Ghi đè tệp kết quả đã có. / Overwrite an existing output.")
    var force = false

    func run() throws {
        common.apply()
        let lang = Console.language
        if let annotate { try AtomicOutput.checkWritable(annotate, force: force, inputs: [report] + [appendix].compactMap { $0 }) }
        let library = try FormLibrary.load(extraFolders: common.formsDirs)
        let result = try ReportCrosscheck(library: library).check(report: report, appendix: appendix, formID: form)
        switch format {
        case .json: Console.say(result.report.json(lang))
        case .text: Console.say(result.report.text(lang, listAgreements: listAgreements))
        }
        if let annotate {
            try AnnotatedWorkbook.write(appendix: result.appendix.appendix, report: result.report.validationReport, to: annotate,
                                 force: force, language: lang)
            if format == .text {
                Console.say(lang == .en ? "Wrote the annotated copy \(annotate)." : "Đã ghi bản đánh dấu \(annotate).")
            }
        }
    }
}
