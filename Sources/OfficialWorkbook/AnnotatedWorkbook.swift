import AppendixModel
import AppendixValidation
import Foundation
import Support
import XlsxWriterWrapper

/// The annotated copy (`validate --annotate`): the appendix in the official layout with each problem cell highlighted and commented,
/// plus a sheet "Kiểm tra" listing the findings with links to their cells.
public enum AnnotatedWorkbook {
    public static let sheetName = "Kiểm tra"

    /// One annotation per row: the most severe finding's colour, every finding's message in the comment.
    public static func annotations(_ findings: [Finding], language: Language) -> [String: CellAnnotation] {
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

    public static func write(appendix: Appendix, report: ValidationReport, to path: String, force: Bool, language: Language) throws {
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
                // Wrapped cells do not grow by themselves in every spreadsheet: size the row for its
                // text with the official workbook's estimate (Times New Roman 12, the default format).
                let lines = max(Layout.lines(of: f.message.text(language), widthUnits: widths[8], fontSize: 12),
                                Layout.lines(of: f.label, widthUnits: widths[4], fontSize: 12))
                try ws.setRow(r, height: Layout.height(lines: lines, fontSize: 12))
            }
            if report.findings.isEmpty {
                try ws.writeString(row: 4, col: 0, en ? "No problems found." : "Không phát hiện vấn đề nào.")
            }
            try writer.close()
        }
    }
}
