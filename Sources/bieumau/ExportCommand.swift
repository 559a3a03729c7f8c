import AppendixModel
import ArgumentParser
import BieuMau
import FormSchema
import Foundation
import Support

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Xuất phụ lục ra CSV hoặc JSON. / Export the appendix as CSV or JSON.",
        discussion: """
        Mỗi dòng của biểu mẫu một dòng: id, mã, chỉ tiêu, đơn vị tính, loại, giá trị (số thập phân dấu chấm, \
        phần trăm tính theo %), nội dung gốc, ghi chú, ô nguồn. UTF-8. \
        One line per form row: id, code, label, unit, kind, value (plain decimal, percent units), raw text, \
        note, source cell. UTF-8.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @OptionGroup var common: CommonOptions

    @Argument(help: "Tệp đầu vào (.xlsx, .xls, .ods, .csv hoặc văn bản Word .docx). / Input file (workbook, CSV or Word document).")
    var input: String

    @Option(name: .shortAndLong, help: "Tệp kết quả (.csv hoặc .json). / Output file.")
    var output: String

    @Option(name: .long, help: "csv hoặc json (mặc định: theo đuôi tệp kết quả). / Output format.")
    var format: Format?

    @Option(name: .long, help: "Mã biểu mẫu. / Form id.")
    var form: String?

    @Option(name: .long, help: "Trang tính (hoặc bảng Word) cần đọc: tên hoặc số thứ tự. / Sheet (or Word table) to read: name or number.")
    var sheet: String?

    @Flag(name: .long, help: "Ghi đè tệp kết quả đã có. / Overwrite an existing output.")
    var force = false

    @Flag(name: .long, help: "CSV: giữ nguyên ô bắt đầu bằng = + - @ (mặc định thêm ' để Excel không tính như công thức). / CSV: keep fields starting with = + - @ as they are (by default a ' is added so that spreadsheets do not evaluate them).")
    var rawValues = false

    func run() throws {
        common.apply()
        guard let chosen = format.map({ ExportFormat(rawValue: $0.rawValue)! }) ?? ExportFormat(fileName: output) else {
            throw BieuMauError(.usage,
                vi: "không biết xuất \(output) theo định dạng nào. Dùng đuôi .csv hoặc .json, hoặc --format csv|json.",
                en: "cannot tell the format of \(output). Use a .csv or .json name, or --format csv|json.")
        }
        let library = try FormLibrary.load(extraFolders: common.formsDirs)
        let result = try Export.export(input: input, output: output, format: chosen, formID: form, sheet: sheet,
                                       force: force, rawValues: rawValues, library: library)
        Console.notes(result.notices)
        result.warnings.forEach(Console.warn)
        for problem in result.unknownRows.prefix(Conversion.maxListedProblems) { Console.error(problem.text(Console.language)) }
        if result.unknownRows.count > Conversion.maxListedProblems {
            let more = result.unknownRows.count - Conversion.maxListedProblems
            Console.error(Console.text("… và \(more) dòng không có trong biểu mẫu nữa.", "… and \(more) more rows not in the form."))
        }
        Console.say(Console.text("Đã ghi \(output).", "Wrote \(output)."))
    }
}
