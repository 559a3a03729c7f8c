import ArgumentParser
import BieuMau
import Foundation
import Support

struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Chép một trang tính giữa .xlsx và CSV (hai chiều), hoặc liệt kê các trang tính. / Copy one sheet between .xlsx and CSV (either way), or list sheets.",
        discussion: """
        .xlsx → CSV: CSV theo RFC 4180 (UTF-8, CRLF, chỉ đặt trong ngoặc kép khi cần); ngày theo ISO 8601; số giữ \
        nguyên như lưu trong tệp; ô lỗi ghi mã lỗi (#DIV/0!). / RFC 4180 CSV (UTF-8, CRLF, quoted only when needed); \
        dates ISO 8601; numbers exactly as stored; error cells as their code.

        CSV (.csv, .tsv, .txt) → .xlsx (cần -o): đọc và ghi từng dòng, bộ nhớ không tăng theo cỡ tệp. Ô là số thập \
        phân đơn giản (-12, 3.5; không dấu phân nhóm, không số 0 đứng đầu, tối đa 15 chữ số) được ghi là số, mọi ô \
        khác (03, mã số, 1.234,5) là chữ. / CSV → .xlsx (needs -o), streamed with flat memory. A field that is a plain \
        decimal number (-12, 3.5; no grouping, no leading zeros, at most 15 digits) becomes a number; everything else \
        (03, codes, 1.234,5) stays text.
        """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Tệp .xlsx hoặc CSV đầu vào. / Input .xlsx or CSV file.")
    var input: String

    @Flag(name: .long, help: "CSV: giữ nguyên ô bắt đầu bằng = + - @ (mặc định thêm ' để Excel không tính như công thức). / CSV: keep fields starting with = + - @ as they are (by default a ' is added so that spreadsheets do not evaluate them).")
    var rawValues = false

    @Option(name: .long, help: "Tên hoặc số thứ tự (từ 1) của trang tính; mặc định trang hiển thị đầu tiên. Với CSV → .xlsx: tên trang tính ghi ra. / Sheet name or 1-based index; for CSV → .xlsx the name of the sheet written.")
    var sheet: String?

    @Option(name: .long, help: "Dấu phân cách của CSV đầu vào (mặc định tự nhận). / Delimiter of a CSV input (detected by default).")
    var delimiter: String?

    @Option(name: [.short, .customLong("output")], help: "Tệp CSV kết quả; '-' hoặc bỏ trống là stdout. / Output CSV ('-' = stdout).")
    var output: String?

    @Flag(name: .long, help: "Ghi đè tệp kết quả đã có. / Overwrite an existing output.")
    var force = false

    @Flag(name: .long, help: "Chỉ liệt kê các trang tính. / List the sheets only.")
    var list = false

    func run() throws {
        common.apply()
        if list {
            let text = Dump.listing(try Dump.sheets(of: input, sheet: sheet))
            if Dump.isCSVPath(input) { Console.say(String(text.dropLast())); return }
            if let out = output, out != "-" {
                try AtomicOutput.write(Data(text.utf8), to: out, force: force, inputs: [input])
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
            return
        }
        guard Dump.isCSVPath(input) else {
            try Dump.sheetToCSV(input: input, sheet: sheet, output: output, force: force, rawValues: rawValues)
            return
        }
        guard let out = output, out != "-" else {
            throw BieuMauError(.usage,
                vi: "chép CSV sang .xlsx cần tệp kết quả: -o TỆP.xlsx (không ghi bảng tính ra stdout).",
                en: "copying a CSV to .xlsx needs an output file: -o FILE.xlsx (a workbook is not written to stdout).")
        }
        var delim: Character? = nil
        if let d = delimiter {
            let named: [String: Character] = ["tab": "\t", "\\t": "\t", ",": ",", ";": ";", "|": "|"]
            guard let c = named[d.lowercased()] ?? (d.count == 1 ? d.first : nil) else {
                throw BieuMauError(.usage, vi: "dấu phân cách \"\(d)\" không hợp lệ: dùng , ; | hoặc tab.",
                                   en: "the delimiter \"\(d)\" is not valid: use , ; | or tab.")
            }
            delim = c
        }
        let copy = try Dump.csvToXLSX(input: input, output: out, sheet: sheet, delimiter: delim, force: force)
        let d = copy.delimiter == "\t" ? "tab" : "'\(copy.delimiter)'"
        Console.say(Console.text(
            "Đã ghi \(out): trang tính '\(copy.sheetName)', \(copy.rows) dòng, \(copy.cells) ô (CSV \(copy.encoding.rawValue), dấu phân cách \(d)).",
            "Wrote \(out): sheet '\(copy.sheetName)', \(copy.rows) rows, \(copy.cells) cells (CSV \(copy.encoding.rawValue), delimiter \(d))."))
    }
}
