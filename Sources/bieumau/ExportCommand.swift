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

    @Argument(help: "Tệp đầu vào (.csv hoặc .xlsx). / Input file.")
    var input: String

    @Option(name: .shortAndLong, help: "Tệp kết quả (.csv hoặc .json). / Output file.")
    var output: String

    @Option(name: .long, help: "csv hoặc json (mặc định: theo đuôi tệp kết quả). / Output format.")
    var format: Format?

    @Option(name: .long, help: "Mã biểu mẫu. / Form id.")
    var form: String?

    @Option(name: .long, help: "Trang tính cần đọc (tệp .xlsx). / Sheet to read.")
    var sheet: String?

    @Flag(name: .long, help: "Ghi đè tệp kết quả đã có. / Overwrite an existing output.")
    var force = false

    @Flag(name: .long, help: "CSV: giữ nguyên ô bắt đầu bằng = + - @ (mặc định thêm ' để Excel không tính như công thức). / CSV: keep fields starting with = + - @ as they are (by default a ' is added so that spreadsheets do not evaluate them).")
    var rawValues = false

    func run() throws {
        common.apply()
        let chosen: Format
        if let format { chosen = format } else {
            switch (output as NSString).pathExtension.lowercased() {
            case "csv": chosen = .csv
            case "json": chosen = .json
            default:
                throw BieuMauError(.usage,
                    vi: "không biết xuất \(output) theo định dạng nào. Dùng đuôi .csv hoặc .json, hoặc --format csv|json.",
                    en: "cannot tell the format of \(output). Use a .csv or .json name, or --format csv|json.")
            }
        }
        try AtomicOutput.checkWritable(output, force: force, inputs: [input])
        let library = try FormLibrary.load(extraFolders: common.formsDirs)
        let appendix = try readAppendix(path: input, library: library, formID: form, sheet: sheet)
        ConversionCheck.warnings(appendix).forEach(Console.warn)
        let errors = appendix.readingFindings.filter { $0.severity == .error && $0.rule != .duplicateRow }
        for f in errors.prefix(ConversionCheck.maxListedProblems) {
            let w = f.location?.describe(Console.language) ?? ""
            Console.error((w.isEmpty ? "" : w + ": ") + f.message.text(Console.language))
        }
        if errors.count > ConversionCheck.maxListedProblems {
            Console.error(Console.text("… và \(errors.count - ConversionCheck.maxListedProblems) dòng không có trong biểu mẫu nữa.",
                                       "… and \(errors.count - ConversionCheck.maxListedProblems) more rows not in the form."))
        }
        let text = chosen == .csv ? AppendixExport.csv(appendix, rawValues: rawValues) : AppendixExport.json(appendix)
        try AtomicOutput.write(Data(text.utf8), to: output, force: force, inputs: [input])
        Console.say(Console.text("Đã ghi \(output).", "Wrote \(output)."))
    }
}

/// The appendix as plain data.
enum AppendixExport {
    struct Line {
        var id, code, label, unit, kind, type, value, raw, note, cell: String
    }

    static func lines(_ a: Appendix) -> [Line] {
        a.form.rows.map { row in
            let v = a.values[row.id]
            let (type, value) = v.map { normalised($0.value, form: a.form) } ?? ("absent", "")
            return Line(id: row.id, code: row.code.isEmpty ? (row.marker ?? "") : row.code, label: row.label,
                        unit: row.unit, kind: row.kind.rawValue, type: type, value: value,
                        raw: v?.raw ?? "", note: v?.note ?? "", cell: v?.location.flatMap(cellText) ?? "")
        }
    }

    /// `D105` in a workbook, `105:4` (line:column) in a CSV file.
    static func cellText(_ loc: SourceLocation) -> String? {
        if let cell = loc.cell { return loc.sheet.map { "'\($0)'!\(cell)" } ?? cell }
        if let line = loc.line { return loc.column.map { "\(line):\($0)" } ?? "\(line)" }
        return nil
    }

    static func normalised(_ v: Value, form: FormDefinition) -> (String, String) {
        switch v {
        case .empty: return ("empty", "")
        case .number(let n): return ("number", n.description)
        case .yesNo(let b): return ("yesno", b ? (form.yesTexts.first ?? "Có") : (form.noTexts.first ?? "Không"))
        case .choices(let c): return ("choices", c.joined(separator: "; "))
        case .status(let s): return ("status", s)
        case .text(let t): return ("text", t)
        }
    }

    static func csvField(_ s: String, rawValues: Bool = false) -> String {
        let s = SafeText.csvField(s, raw: rawValues)
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    static func csv(_ a: Appendix, rawValues: Bool = false) -> String {
        var out = "id,code,label,unit,kind,type,value,raw,note,cell\r\n"
        for l in lines(a) {
            out += [l.id, l.code, l.label, l.unit, l.kind, l.type, l.value, l.raw, l.note, l.cell]
                .map { csvField($0, rawValues: rawValues) }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func jsonString(_ s: String) -> String { JSONText.quote(s) }

    static func json(_ a: Appendix) -> String {
        func opt(_ s: String?) -> String { s.map(jsonString) ?? "null" }
        func optInt(_ i: Int?) -> String { i.map(String.init) ?? "null" }
        let m = a.metadata
        var out = "{\n"
        out += "  \"form\": \(jsonString(a.form.id)),\n"
        out += "  \"formVersion\": \(a.form.version),\n"
        out += "  \"source\": \(opt(a.sourceFile)),\n"
        out += "  \"numberLocale\": \(jsonString(a.numberLocale.rawValue)),\n"
        out += "  \"metadata\": {\n"
        out += "    \"unit\": \(opt(m.unit)),\n"
        out += "    \"parentBody\": \(opt(m.parentBody)),\n"
        out += "    \"period\": \(opt(m.period.map(WorkbookProperty.encode))),\n"
        out += "    \"periodText\": \(opt(m.period?.vietnamese ?? m.periodText)),\n"
        out += "    \"reportNumber\": \(opt(m.reportNumber)),\n"
        out += "    \"reportDate\": {\"day\": \(optInt(m.reportDate?.day)), \"month\": \(optInt(m.reportDate?.month)), \"year\": \(optInt(m.reportDate?.year))},\n"
        out += "    \"title\": \(opt(m.title))\n"
        out += "  },\n"
        out += "  \"rows\": [\n"
        let ls = lines(a)
        for (i, l) in ls.enumerated() {
            // Numbers are written as JSON numbers with their exact decimal digits.
            let value = l.type == "number" ? l.value : (l.type == "absent" || l.type == "empty" ? "null" : jsonString(l.value))
            out += "    {\"id\": \(jsonString(l.id)), \"code\": \(jsonString(l.code)), \"label\": \(jsonString(l.label)), "
            out += "\"unit\": \(jsonString(l.unit)), \"kind\": \(jsonString(l.kind)), \"type\": \(jsonString(l.type)), "
            out += "\"value\": \(value), \"raw\": \(jsonString(l.raw)), \"note\": \(jsonString(l.note)), \"cell\": \(jsonString(l.cell))}"
            out += i == ls.count - 1 ? "\n" : ",\n"
        }
        out += "  ],\n"
        out += "  \"findings\": [\n"
        for (i, f) in a.readingFindings.enumerated() {
            out += "    {\"severity\": \(jsonString(f.severity.rawValue)), \"rule\": \(jsonString(f.rule.rawValue)), "
            out += "\"code\": \(jsonString(f.code)), \"cell\": \(jsonString(f.location.flatMap(cellText) ?? "")), "
            out += "\"message\": \(jsonString(f.message.vi)), \"messageEn\": \(jsonString(f.message.en))}"
            out += i == a.readingFindings.count - 1 ? "\n" : ",\n"
        }
        out += "  ]\n}\n"
        return out
    }
}
