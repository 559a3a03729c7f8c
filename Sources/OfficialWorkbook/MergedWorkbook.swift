import AppendixMerge
import AppendixModel
import FormSchema
import Foundation
import Support
import XlsxWriterWrapper

/// The merged workbook:
/// - "Tổng hợp": the parent's appendix in the official layout (custom properties make it mergeable again);
/// - "Chi tiết": every form row × every accepted unit, with the merged column first;
/// - "Nguồn": provenance (file, SHA-256, unit, period, validator errors/warnings, accepted or why not),
///   missing and unexpected units;
/// - one sheet per unit, its appendix as received (optional: `--unit-sheets`);
/// - a bar chart of the form's key ratios per unit (data from "Chi tiết").
public enum MergeWorkbook {
    public static let summarySheet = MergedLayout.summarySheet
    public static let detailSheet = MergedLayout.detailSheet
    public static let sourcesSheet = MergedLayout.sourcesSheet
    /// Sheet names Excel keeps for itself (a workbook with such a sheet is "repaired" on opening).
    static let excelReserved = ["History"]

    /// Chi tiết columns: STT, label, unit, rule, merged, then one per unit.
    static let mergedColumn = 4
    static let firstUnitColumn = MergedLayout.detailFirstUnitColumn
    static let detailHeaderRow = MergedLayout.detailHeaderRow

    public static func write(_ result: MergeResult, to path: String, unitSheets: Bool = true) throws {
        var info = OfficialWorkbookWriter.documentInfo(for: result.merged, kind: "merged")
        info.customProperties[WorkbookProperty.sheet] = summarySheet
        info.customProperties[WorkbookProperty.kind] = "merged"
        info.customProperties[WorkbookProperty.unitCount] = String(result.unitCount)
        let writer = try OfficialWorkbookWriter(path: path, document: info)
        let summary = try writer.addAppendixSheet(result.merged, name: summarySheet, mode: .filled)
        _ = summary
        let book = writer.workbook
        let names: [String]? = unitSheets
            ? unitSheetNames(result.accepted.map(\.unitName),
                             reserved: [summarySheet, detailSheet, sourcesSheet, OfficialWorkbookWriter.listSheetName] + excelReserved)
            : nil
        try writeDetail(result, book: book)
        try writeSources(result, book: book, unitSheets: names)
        for (i, unit) in result.accepted.enumerated() {
            guard let names else { break }
            try writer.addAppendixSheet(unit.appendix, name: names[i], mode: .filled)
        }
        try writer.close()
    }

    // MARK: - Sheet names

    /// Excel sheet names: no `[]:*?/\`, not starting or ending with `'`, at most 31 characters,
    /// unique ignoring case. "UBND"/"Ủy ban nhân dân" are dropped to keep names short.
    static func unitSheetNames(_ units: [String], reserved: [String]) -> [String] {
        var used = Set(reserved.map { $0.lowercased() })
        var out: [String] = []
        for unit in units {
            var name = TextNormalization.collapseWhitespace(unit)
            for prefix in ["ủy ban nhân dân ", "uỷ ban nhân dân ", "ubnd "] where name.lowercased().hasPrefix(prefix) {
                name = String(name.dropFirst(prefix.count))
            }
            name = String(name.map { "[]:*?/\\".contains($0) ? "-" : $0 })
            name = name.trimmingCharacters(in: CharacterSet(charactersIn: "' "))
            if name.isEmpty { name = "Đơn vị" }
            name = String(name.prefix(31))
            var candidate = name
            var n = 2
            while used.contains(candidate.lowercased()) {
                let suffix = " (\(n))"
                candidate = String(name.prefix(31 - suffix.count)) + suffix
                n += 1
            }
            used.insert(candidate.lowercased())
            out.append(candidate)
        }
        return out
    }

    // MARK: - Chi tiết

    static func ruleText(_ rule: MergeRule) -> String {
        switch rule {
        case .none: return ""
        case .sum: return "Tổng / sum"
        case .ratio: return "Tử/mẫu × 100 / ratio"
        case .countYes: return "Số đơn vị Có / count yes"
        case .choices: return "Các lựa chọn / choices"
        case .perUnit: return "Từng đơn vị / per unit"
        }
    }

    /// A percentage (`25` for 25 %) as the fraction a percent-formatted cell holds, rounded to
    /// `places + 2` decimals. When the number has at most `places` decimals the division by 100 is
    /// exact (two more decimals, nothing to round): no division is made — the same number.
    static func fraction(ofPercent n: ExactDecimal, places: Int) -> Double {
        if n.scale <= places && n.scale + 2 <= ExactDecimal.maxScale {
            return ExactDecimal(significand: n.significand, scale: n.scale + 2).doubleValue
        }
        return (n.divided(by: ExactDecimal(100), places: places + 2) ?? n).doubleValue
    }

    static func writeDetail(_ result: MergeResult, book: XlsxWorkbook) throws {
        let ws = try book.addWorksheet(name: detailSheet)
        let title = book.addFormat(FormatSpec(fontSize: 13, bold: true))
        let head = book.addFormat(FormatSpec(bold: true, horizontal: .center, wrap: true, border: true))
        let text = book.addFormat(FormatSpec(wrap: true, border: true))
        let bold = book.addFormat(FormatSpec(bold: true, wrap: true, border: true))
        let number = book.addFormat(FormatSpec(border: true, numberFormat: "#,##0.###"))
        let mergedNumber = book.addFormat(FormatSpec(bold: true, border: true, numberFormat: "#,##0.###"))
        var percentFormats: [Int: XlsxFormat] = [:]
        func percent(_ places: Int) -> XlsxFormat {
            if let f = percentFormats[places] { return f }
            let f = book.addFormat(FormatSpec(border: true, numberFormat: places == 0 ? "0%" : "0." + String(repeating: "0", count: places) + "%"))
            percentFormats[places] = f
            return f
        }
        let status = book.addFormat(FormatSpec(italic: true, fontColor: 0x9C5700, backgroundColor: 0xFFEB9C, border: true))
        let note = book.addFormat(FormatSpec(italic: true, wrap: true, border: true))
        let noteHeader = MergedLayout.detailNoteHeader

        let period = result.period?.vietnamese ?? ""
        try ws.writeString(row: 0, col: 0, "Chi tiết số liệu từng đơn vị — \(result.merged.metadata.unit ?? "") — \(period)", format: title)
        try ws.writeString(row: 1, col: 0, "Details per unit: \(result.accepted.count) đơn vị / units", format: nil)
        let h = detailHeaderRow
        let headers = ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Cách tổng hợp / rule", "Tổng hợp / merged"]
        for (c, t) in headers.enumerated() { try ws.writeString(row: h, col: c, t, format: head) }
        for (i, u) in result.accepted.enumerated() {
            try ws.writeString(row: h, col: firstUnitColumn + i, u.unitName, format: head)
        }
        let noteColumn = firstUnitColumn + result.accepted.count
        try ws.writeString(row: h, col: noteColumn, noteHeader, format: head)
        try ws.setColumn(first: 0, width: 7)
        try ws.setColumn(first: 1, width: 50)
        try ws.setColumn(first: 2, width: 12)
        try ws.setColumn(first: 3, width: 22)
        try ws.setColumn(first: 4, width: 20)
        if !result.accepted.isEmpty {
            try ws.setColumn(first: firstUnitColumn, last: noteColumn - 1, width: 14)
        }
        try ws.setColumn(first: noteColumn, width: 60)
        try ws.freezePanes(row: h + 1, col: firstUnitColumn)
        try ws.setRow(h, height: 45)

        let form = result.merged.form
        func write(_ v: RowValue, row: FormRow, r: Int, c: Int, merged: Bool) throws {
            switch v.value {
            case .empty:
                if merged && row.merge == .perUnit {
                    try ws.writeString(row: r, col: c, "không tổng hợp được", format: status)
                } else {
                    try ws.writeBlank(row: r, col: c, format: text)
                }
            case .number(let n):
                if row.kind == .ratio {
                    let places = v.decimals ?? row.decimals ?? 2
                    try ws.writeNumber(row: r, col: c, fraction(ofPercent: n, places: places), format: percent(min(places, 4)))
                } else {
                    try ws.writeNumber(row: r, col: c, n.doubleValue, format: merged ? mergedNumber : number)
                }
            case .status(let s):
                try ws.writeString(row: r, col: c, s, format: status)
            case .yesNo(let b):
                try ws.writeString(row: r, col: c, b ? "Có" : "Không", format: text)
            case .choices(let list):
                try ws.writeString(row: r, col: c, list.joined(separator: "; "), format: text)
            case .text(let t):
                try ws.writeString(row: r, col: c, t, format: merged ? bold : text)
            }
        }
        for (i, rm) in result.rows.enumerated() {
            let r = h + 1 + i
            let row = rm.row
            let heading = row.merge == .none
            try ws.writeString(row: r, col: 0, row.code.isEmpty ? (row.marker ?? "") : row.code, format: heading ? bold : text)
            try ws.writeString(row: r, col: 1, row.label, format: heading ? bold : text)
            try ws.writeString(row: r, col: 2, row.unit, format: text)
            try ws.writeString(row: r, col: 3, ruleText(rm.rule), format: text)
            if heading {
                for c in mergedColumn..<noteColumn { try ws.writeBlank(row: r, col: c, format: text) }
            } else {
                try write(rm.merged, row: row, r: r, c: mergedColumn, merged: true)
                // By index: each unit's value is read in place, not copied (a copy per cell retains its texts).
                for j in rm.units.indices {
                    try write(rm.units[j], row: row, r: r, c: firstUnitColumn + j, merged: false)
                }
            }
            try ws.writeString(row: r, col: noteColumn, rm.note?.vi ?? "", format: note)
        }
        _ = form

        // The key ratios, unit by unit (the merged value first).
        let keyRows = form.keyRatios.compactMap { id in result.rows.firstIndex { $0.row.id == id } }
        guard !keyRows.isEmpty, !result.accepted.isEmpty else { return }
        let lastCol = noteColumn - 1
        let series = keyRows.map { i -> ChartSeries in
            let r = h + 1 + i
            let row = result.rows[i].row
            let code = form.displayCode(of: row.id)
            let label = row.label.count > 48 ? String(row.label.prefix(47)) + "…" : row.label
            return ChartSeries(name: "\(code) \(label)",
                               categories: ChartRange(sheet: detailSheet, firstRow: h, firstCol: mergedColumn, lastRow: h, lastCol: lastCol),
                               values: ChartRange(sheet: detailSheet, firstRow: r, firstCol: mergedColumn, lastRow: r, lastCol: lastCol))
        }
        let units = result.accepted.count + 1
        let spec = ChartSpec(type: .bar, title: "Các tỷ lệ chính theo đơn vị / Key ratios by unit",
                             categoryAxisTitle: "Đơn vị / unit", valueAxisTitle: "%", valueNumberFormat: "0%",
                             series: series, xScale: 2.5, yScale: min(40, max(1.5, Double(units * keyRows.count) / 12)))
        try ws.insertChart(row: h + result.rows.count + 3, col: 1, spec)
    }

    // MARK: - Nguồn

    static func writeSources(_ result: MergeResult, book: XlsxWorkbook, unitSheets: [String]?) throws {
        let ws = try book.addWorksheet(name: sourcesSheet)
        let title = book.addFormat(FormatSpec(fontSize: 13, bold: true))
        let head = book.addFormat(FormatSpec(bold: true, horizontal: .center, wrap: true, border: true))
        let text = book.addFormat(FormatSpec(wrap: true, border: true))
        let mono = book.addFormat(FormatSpec(fontName: "Courier New", fontSize: 9, border: true))
        let number = book.addFormat(FormatSpec(border: true, numberFormat: "0"))
        let bad = book.addFormat(FormatSpec(fontColor: 0x9C0006, backgroundColor: 0xFFC7CE, wrap: true, border: true))
        let good = book.addFormat(FormatSpec(fontColor: 0x006100, backgroundColor: 0xC6EFCE, wrap: true, border: true))
        let m = result.merged.metadata
        try ws.writeString(row: 0, col: 0, "Nguồn số liệu / Sources — \(m.unit ?? "") — \(result.period?.vietnamese ?? "")", format: title)
        try ws.writeString(row: 1, col: 0,
            "Đã tổng hợp \(result.accepted.count) tệp (\(result.unitCount) đơn vị báo cáo); bị loại \(result.rejected.count); thiếu \(result.missingUnits.count) / merged \(result.accepted.count), rejected \(result.rejected.count), missing \(result.missingUnits.count)")
        let headers = ["STT", "Tệp / file", "SHA-256", MergedLayout.sourcesUnitHeader, "Kỳ báo cáo / period", "Lỗi / errors",
                       "Cảnh báo / warnings", MergedLayout.sourcesOutcomeHeader, "Lý do, ghi chú / reason", "Trang tính / sheet"]
        let h = 3
        for (c, t) in headers.enumerated() { try ws.writeString(row: h, col: c, t, format: head) }
        for (c, w) in [6.0, 34, 30, 34, 18, 9, 10, 16, 60, 24].enumerated() { try ws.setColumn(first: c, width: w) }
        try ws.freezePanes(row: h + 1, col: 0)
        var r = h + 1
        var n = 1
        for (i, u) in result.accepted.enumerated() {
            try ws.writeNumber(row: r, col: 0, Double(n), format: number)
            try ws.writeString(row: r, col: 1, u.file, format: text)
            try ws.writeString(row: r, col: 2, u.sha256, format: mono)
            try ws.writeString(row: r, col: 3, u.unitName, format: text)
            try ws.writeString(row: r, col: 4, u.appendix.metadata.period?.vietnamese ?? "(không ghi / not given)", format: text)
            try ws.writeNumber(row: r, col: 5, Double(u.errorCount), format: number)
            try ws.writeNumber(row: r, col: 6, Double(u.warningCount), format: number)
            try ws.writeString(row: r, col: 7, MergedLayout.mergedOutcome, format: u.errorCount > 0 ? bad : good)
            var notes: [String] = []
            if u.errorCount > 0 {
                notes.append("Tổng hợp dù có \(u.errorCount) lỗi kiểm tra; chạy `bieumau validate` trên tệp này / merged despite \(u.errorCount) validation error(s)")
            }
            if u.appendix.metadata.period == nil {
                notes.append("Tệp không ghi kỳ báo cáo; coi như kỳ đang tổng hợp / the file names no period; taken as the merged period")
            }
            if u.isMerged { notes.append("Tệp đã tổng hợp của \(u.leafUnits) đơn vị / a merged workbook of \(u.leafUnits) units") }
            for n in u.notes { notes.append("\(n.vi) / \(n.en)") }
            try ws.writeString(row: r, col: 8, notes.joined(separator: "; "), format: text)
            if let unitSheets {
                try ws.writeURL(row: r, col: 9, "internal:\(CellName.quotedSheet(unitSheets[i]))!A1", text: unitSheets[i])
            } else {
                try ws.writeBlank(row: r, col: 9, format: text)
            }
            r += 1
            n += 1
        }
        for x in result.rejected {
            try ws.writeNumber(row: r, col: 0, Double(n), format: number)
            try ws.writeString(row: r, col: 1, x.file, format: text)
            try ws.writeString(row: r, col: 2, x.sha256 ?? "", format: mono)
            try ws.writeString(row: r, col: 3, x.unit ?? "", format: text)
            try ws.writeString(row: r, col: 4, x.period?.vietnamese ?? "", format: text)
            if let e = x.errorCount { try ws.writeNumber(row: r, col: 5, Double(e), format: number) } else { try ws.writeBlank(row: r, col: 5, format: text) }
            if let w = x.warningCount { try ws.writeNumber(row: r, col: 6, Double(w), format: number) } else { try ws.writeBlank(row: r, col: 6, format: text) }
            try ws.writeString(row: r, col: 7, x.kind.isInformational ? "Không tổng hợp / not merged" : "Bị loại / rejected",
                               format: x.kind.isInformational ? text : bad)
            try ws.writeString(row: r, col: 8, "\(x.reason.vi) / \(x.reason.en)", format: text)
            try ws.writeBlank(row: r, col: 9, format: text)
            r += 1
            n += 1
        }
        r += 1
        try ws.writeString(row: r, col: 0, "Đơn vị chưa gửi (theo --expect) / missing units: \(result.missingUnits.count)", format: title)
        r += 1
        for (i, name) in result.missingUnits.enumerated() {
            try ws.writeNumber(row: r, col: 0, Double(i + 1), format: number)
            try ws.writeString(row: r, col: 3, name, format: bad)
            r += 1
        }
        if !result.conflicts.isEmpty {
            r += 1
            try ws.writeString(row: r, col: 0, "Đơn vị gửi nhiều tệp có số liệu khác nhau (không tổng hợp) / units with conflicting submissions (not merged): \(result.conflicts.count)", format: title)
            r += 1
            for c in result.conflicts {
                try ws.writeString(row: r, col: 1, c.files.joined(separator: "\n"), format: text)
                try ws.writeString(row: r, col: 3, c.unit, format: bad)
                let rows = c.rows.map { row in
                    "\(row.code): " + zip(c.files, row.raws).map { "\(($0 as NSString).lastPathComponent) = \($1.isEmpty ? "(trống)" : $1)" }.joined(separator: "; ")
                }
                try ws.writeString(row: r, col: 8, rows.joined(separator: "\n"), format: text)
                r += 1
            }
        }
        if !result.unexpectedUnits.isEmpty {
            r += 1
            try ws.writeString(row: r, col: 0, "Đơn vị không có trong danh sách --expect / units not on the expected list: \(result.unexpectedUnits.count)", format: title)
            r += 1
            for (i, name) in result.unexpectedUnits.enumerated() {
                try ws.writeNumber(row: r, col: 0, Double(i + 1), format: number)
                try ws.writeString(row: r, col: 3, name, format: text)
                r += 1
            }
        }
    }
}
