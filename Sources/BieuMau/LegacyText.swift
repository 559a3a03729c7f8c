import SheetGrid
import VietnameseText

/// Text typed in TCVN3/VNI inside a workbook under a font that does not say so (the readers
/// convert cells whose font is a `.Vn…`/`VNI-…` font themselves), found by character statistics
/// and converted to Unicode.
enum LegacyText {
    /// Converts the text cells of `grid` that read as a legacy font encoding, when at least two
    /// cells of the sheet do (one odd cell is not enough to judge a sheet). Returns the encodings
    /// converted.
    static func repair(_ grid: inout Grid) -> Set<LegacyVietnameseEncoding> {
        var found: [(row: Int, cell: Int, encoding: LegacyVietnameseEncoding)] = []
        for (r, row) in grid.rows.enumerated() {
            for (c, cell) in row.cells.enumerated() {
                guard case .text(let text) = cell.value, text.unicodeScalars.contains(where: { $0.value >= 0x80 }),
                      let encoding = VietnameseText.detect(fontText: text) else { continue }
                found.append((r, c, encoding))
            }
        }
        guard found.count >= 2 else { return [] }
        var converted: Set<LegacyVietnameseEncoding> = []
        for f in found {
            guard case .text(let text) = grid.rows[f.row].cells[f.cell].value else { continue }
            grid.rows[f.row].cells[f.cell].value = .text(VietnameseText.convertFontText(text, from: f.encoding))
            converted.insert(f.encoding)
        }
        return converted
    }

    static func notices(_ converted: Set<LegacyVietnameseEncoding>) -> [ReadingNotice] {
        LegacyVietnameseEncoding.allCases.filter(converted.contains).map { encoding in
            let notice = encoding.cellConversionNotice
            return ReadingNotice(vi: notice.vi, en: notice.en)
        }
    }
}
