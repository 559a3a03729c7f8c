import AppendixModel
import AppendixValidation
import ArgumentParser
import BieuMau
import FormSchema
import Foundation
import OfficialWorkbook
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

    @Argument(help: "Các tệp phụ lục (.csv hoặc .xlsx). / Appendix files.")
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

    @Option(name: .long, help: "Trang tính cần đọc (tệp .xlsx). / Sheet to read.")
    var sheet: String?

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() throws {
        common.apply()
        let lang = Console.language
        if annotate != nil && files.count != 1 {
            throw BieuMauError(.usage, vi: "--annotate chỉ dùng với đúng một tệp đầu vào (đang có \(files.count)).",
                               en: "--annotate takes exactly one input file (\(files.count) given).")
        }
        let expectedPeriod = try period.map(Period.option)
        if let annotate { try AtomicOutput.checkWritable(annotate, force: force, inputs: files) }
        let library = try FormLibrary.load(extraFolders: common.formsDirs)
        var previousAppendix: Appendix?
        if let previous {
            previousAppendix = try readAppendix(path: previous, library: library,
                                                 formID: library.formIDForReading(current: form), sheet: nil)
        }
        let options = ValidationOptions(expectedPeriod: expectedPeriod, expectedUnit: unit.map(TextNormalization.nfc),
                                        previous: previousAppendix, strict: strict)

        var reports: [ValidationReport] = []
        var unreadable: [(file: String, reason: String)] = []
        var failureStatus: ExitStatus?
        var annotated: (Appendix, ValidationReport)?
        for file in files {
            do {
                let appendix = try readAppendix(path: file, library: library, formID: form, sheet: sheet)
                let report = ValidationReport(appendix: appendix, file: file, options: options)
                reports.append(report)
                if annotate != nil { annotated = (appendix, report) }
            } catch let error as BieuMauError {
                Console.error(error.text(lang))
                unreadable.append((file, error.message.text(lang)))
                // A file that is there but cannot be read as an appendix: 65; only missing files: 66.
                if failureStatus != .dataError { failureStatus = error.status == .noInput ? .noInput : .dataError }
            }
        }

        switch format {
        case .json:
            Console.say(files.count == 1 && reports.count == 1 ? reports[0].json(lang) : ValidationReport.json(reports, lang))
        case .text:
            var blocks = reports.map { $0.text(lang) }
            if files.count > 1 {
                blocks.append((lang == .en ? "Summary of \(files.count) files:" : "Tổng hợp \(files.count) tệp:") + "\n"
                              + ValidationReport.summaryTable(reports, unreadable: unreadable, lang))
            }
            if !blocks.isEmpty { Console.say(blocks.joined(separator: "\n\n" + String(repeating: "=", count: 60) + "\n\n")) }
        }

        if let annotate, let (appendix, report) = annotated {
            try Annotation.write(appendix: appendix, report: report, to: annotate, force: force, language: lang)
            if format == .text {
                Console.say(lang == .en ? "Wrote the annotated copy \(annotate)." : "Đã ghi bản đánh dấu \(annotate).")
            }
        }

        if let failureStatus { throw ExitFindings(status: failureStatus) }
        if reports.contains(where: \.hasErrors) { throw ExitFindings(status: .findings) }
    }
}

/// `--annotate`: the appendix in the official layout with each problem cell highlighted and commented,
/// plus a sheet "Kiểm tra" listing the findings with links to their cells.
enum Annotation {
    static let sheetName = "Kiểm tra"

    /// One annotation per row: the most severe finding's colour, every finding's message in the comment.
    static func annotations(_ findings: [Finding], language: Language) -> [String: CellAnnotation] {
        var byRow: [String: [Finding]] = [:]
        for f in findings { if let id = f.rowID { byRow[id, default: []].append(f) } }
        return byRow.mapValues { list in
            let severity: AnnotationSeverity = list.contains { $0.severity == .error } ? .error : .warning
            let comment = list.map { f in
                "\(ValidationReport.severityWord(f.severity, language)) \(f.rule.rawValue): \(f.message.text(language))"
            }.joined(separator: "\n\n")
            return CellAnnotation(severity: severity, comment: comment)
        }
    }

    static func write(appendix: Appendix, report: ValidationReport, to path: String, force: Bool, language: Language) throws {
        let en = language == .en
        let info = OfficialWorkbookWriter.documentInfo(for: appendix, kind: "appendix")
        try AtomicOutput.write(to: path, force: force) { tmp in
            let writer = try OfficialWorkbookWriter(path: tmp, document: info)
            let layout = try writer.addAppendixSheet(appendix, annotations: annotations(report.findings, language: language),
                                                     ratioFormulas: false)
            let wb = writer.workbook
            let ws = try wb.addWorksheet(name: sheetName)
            let title = wb.addFormat(FormatSpec(fontSize: 13, bold: true))
            let plain = wb.addFormat(FormatSpec(vertical: .top, wrap: true, border: true))
            let header = wb.addFormat(FormatSpec(bold: true, backgroundColor: 0xD9E1F2, horizontal: .center, wrap: true, border: true))
            let error = wb.addFormat(FormatSpec(bold: true, fontColor: 0x9C0006, backgroundColor: 0xFFC7CE, vertical: .top, border: true))
            let warning = wb.addFormat(FormatSpec(bold: true, fontColor: 0x9C5700, backgroundColor: 0xFFEB9C, vertical: .top, border: true))
            let link = wb.addFormat(FormatSpec(underline: true, fontColor: 0x0563C1, vertical: .top, border: true))
            try ws.writeString(row: 0, col: 0, en ? "VALIDATION OF \(report.file)" : "KẾT QUẢ KIỂM TRA \(report.file)", format: title)
            var who = [report.unit, report.period.map { en ? $0.english : $0.vietnamese }].compactMap { $0 }
            who.append(ValidationReport.summaryLine(report.summary, language))
            try ws.writeString(row: 1, col: 0, who.joined(separator: " — "), format: wb.addFormat(FormatSpec(italic: true)))
            ws.setPaperA4()
            ws.setLandscape()
            ws.fitToPages(width: 1, height: 0)
            try ws.repeatRows(first: 3, last: 3)
            let headers = en
                ? ["No.", "Severity", "Rule", "Code", "Item", "Cell", "Found", "Expected", "What to do"]
                : ["STT", "Mức độ", "Quy tắc", "Mã", "Chỉ tiêu", "Ô", "Giá trị", "Cần", "Nội dung, cách sửa"]
            let widths: [Double] = [5, 11, 19, 7, 36, 13, 13, 13, 70]
            for (c, h) in headers.enumerated() {
                try ws.writeString(row: 3, col: c, h, format: header)
                try ws.setColumn(first: c, width: widths[c])
            }
            try ws.freezePanes(row: 4, col: 0)
            for (i, f) in report.findings.enumerated() {
                let r = 4 + i
                try ws.writeNumber(row: r, col: 0, Double(i + 1), format: plain)
                try ws.writeString(row: r, col: 1, ValidationReport.severityWord(f.severity, language),
                                   format: f.severity == .error ? error : warning)
                try ws.writeString(row: r, col: 2, f.rule.rawValue, format: plain)
                try ws.writeString(row: r, col: 3, f.code, format: plain)
                try ws.writeString(row: r, col: 4, f.label, format: plain)
                // The row's cell in the official layout; document-level findings point at the sheet's top.
                let target = f.rowID.flatMap { layout.qualifiedValueCell($0) }
                    ?? "\(CellName.quotedSheet(layout.sheetName))!A1"
                let shown = f.rowID.flatMap { layout.valueCell($0) } ?? (en ? "heading (A1)" : "phần đầu (A1)")
                try ws.writeURL(row: r, col: 5, "internal:\(target)", text: shown, format: link)
                try ws.writeString(row: r, col: 6, f.found ?? "", format: plain)
                try ws.writeString(row: r, col: 7, f.expected ?? "", format: plain)
                try ws.writeString(row: r, col: 8, f.message.text(language), format: plain)
                // Wrapped cells do not grow by themselves in every spreadsheet: size the row for its text.
                func lines(_ text: String, _ width: Double) -> Int { max(1, Int((Double(text.count) / width).rounded(.up))) }
                let height = max(lines(f.message.text(language), widths[8]), lines(f.label, widths[4]))
                try ws.setRow(r, height: Double(height) * 15.5)
            }
            if report.findings.isEmpty {
                try ws.writeString(row: 4, col: 0, en ? "No problems found." : "Không phát hiện vấn đề nào.")
            }
            try writer.close()
        }
    }
}
