import AppendixModel
import Foundation
import SheetGrid
import Support

/// The sheets of a merged workbook (written by the merged-workbook writer, read back here).
public enum MergedLayout {
    /// The parent's appendix in the official layout.
    public static let summarySheet = "Tổng hợp"
    /// Every form row × every merged unit.
    public static let detailSheet = "Chi tiết"
    /// Provenance: one row per input file, merged or set aside.
    public static let sourcesSheet = "Nguồn"
    /// The "Nguồn" header cells the check finds its columns by.
    public static let sourcesUnitHeader = "Đơn vị / unit"
    public static let sourcesOutcomeHeader = "Kết quả / outcome"
    /// The outcome text of a merged input on "Nguồn".
    public static let mergedOutcome = "Đã tổng hợp / merged"
    /// "Chi tiết": the header row (0-based), the first unit column, and the note column's header that ends them.
    public static let detailHeaderRow = 2
    public static let detailFirstUnitColumn = 5
    public static let detailNoteHeader = "Ghi chú tổng hợp / merge note"
    /// Words after the count of reporting units on "Nguồn"'s second line (`… (12 đơn vị báo cáo) …`).
    public static let reportingUnitsWords = "đơn vị báo cáo"
}

/// Whether a workbook that says it is a merge (custom properties `bieumau.kind = merged`,
/// `bieumau.units = N`) is one: properties are easy to forge (a commune's file claiming
/// `units=1000` would count as 1,000 units and its "Có" as 1,000). The claim is trusted only when
/// the workbook's own "Nguồn" and "Chi tiết" sheets agree with it: the same units listed as merged
/// on both, and `N` the count of reporting units "Nguồn" states.
public enum MergedWorkbookCheck {
    public struct Outcome: Sendable, Hashable {
        /// The units "Nguồn" lists as merged (nil: not a merged workbook, or the claim not backed).
        public var sourceUnits: [String]?
        /// Why the claim was not believed (nil when believed or not made).
        public var note: Localized?
    }

    /// Checks `appendix`'s claim against its workbook's sheets (`sheet(name)` gives a sheet's grid,
    /// nil when absent). A claim not backed is dropped from `appendix.metadata`, so that the
    /// file is validated and merged as one unit's appendix.
    public static func verify(_ appendix: inout Appendix, sheet: (String) -> Grid?) -> Outcome {
        guard appendix.metadata.isMergedWorkbook else {
            return Outcome(sourceUnits: nil, note: nil)
        }
        let claimed = appendix.metadata.mergedUnits
        if let units = backedUnits(claimed: claimed, sources: sheet(MergedLayout.sourcesSheet),
                                   detail: sheet(MergedLayout.detailSheet)) {
            appendix.metadata.workbookKind = "merged"
            return Outcome(sourceUnits: units, note: nil)
        }
        appendix.metadata.workbookKind = nil
        appendix.metadata.mergedUnits = nil
        let n = claimed.map(String.init) ?? "?"
        return Outcome(sourceUnits: nil, note: Localized(
            vi: "thuộc tính của tệp nói đây là tệp tổng hợp của \(n) đơn vị, nhưng trang «\(MergedLayout.sourcesSheet)» và «\(MergedLayout.detailSheet)» của tệp không khớp với điều đó; tệp được coi là phụ lục của một đơn vị",
            en: "the file's properties say it merges \(n) units, but its own '\(MergedLayout.sourcesSheet)' and '\(MergedLayout.detailSheet)' sheets do not back that; it is taken as one unit's appendix"))
    }

    /// The units merged, when "Nguồn" and "Chi tiết" agree with each other and with the claim.
    static func backedUnits(claimed: Int?, sources: Grid?, detail: Grid?) -> [String]? {
        guard let sources, let detail else { return nil }
        // "Nguồn": the header row names the unit and outcome columns; merged rows follow it.
        var unitColumn: Int?, outcomeColumn: Int?, headerIndex: Int?
        for (i, row) in sources.rows.enumerated() where headerIndex == nil {
            for cell in row.cells {
                let t = text(cell.value)
                if t == MergedLayout.sourcesUnitHeader { unitColumn = cell.column }
                if t == MergedLayout.sourcesOutcomeHeader { outcomeColumn = cell.column }
            }
            if unitColumn != nil && outcomeColumn != nil { headerIndex = i }
        }
        guard let unitColumn, let outcomeColumn, let headerIndex else { return nil }
        var listed: [String] = []
        for row in sources.rows[(headerIndex + 1)...] where text(row.value(at: outcomeColumn)) == MergedLayout.mergedOutcome {
            let name = text(row.value(at: unitColumn))
            guard !name.isEmpty else { return nil }
            listed.append(name)
        }
        guard !listed.isEmpty else { return nil }
        // The count of reporting units stated above the table.
        var stated: Int?
        for row in sources.rows.prefix(headerIndex) {
            for cell in row.cells {
                let t = text(cell.value)
                guard let r = t.range(of: MergedLayout.reportingUnitsWords) else { continue }
                let digits = t[..<r.lowerBound].reversed().drop { $0 == " " }.prefix { $0.isNumber }
                stated = Int(String(digits.reversed()))
            }
        }
        guard let stated, stated >= listed.count, (claimed ?? listed.count) == stated else { return nil }
        // "Chi tiết": the unit columns of the header row, up to the note column.
        guard let header = detail.rows.first(where: { $0.index == MergedLayout.detailHeaderRow }) else { return nil }
        var columns: [String] = []
        var column = MergedLayout.detailFirstUnitColumn
        while true {
            let t = text(header.value(at: column))
            if t == MergedLayout.detailNoteHeader || t.isEmpty { break }
            columns.append(t)
            column += 1
        }
        guard columns.count == listed.count,
              zip(columns, listed).allSatisfy({ UnitIdentity.same($0, $1) }) else { return nil }
        return listed
    }

    static func text(_ v: CellValue) -> String {
        TextNormalization.collapseWhitespace(TextNormalization.nfc(v.plainText))
    }
}
