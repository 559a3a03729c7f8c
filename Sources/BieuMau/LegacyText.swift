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
                // A scalar beyond ASCII is a UTF-8 byte beyond ASCII (bytes are cheaper to test).
                guard case .text(let text) = cell.value, Self.beyondASCII(text),
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

    static func beyondASCII(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.contains { $0 >= 0x80 } } ?? text.utf8.contains { $0 >= 0x80 }
    }

    static func notices(_ converted: Set<LegacyVietnameseEncoding>) -> [ReadingNotice] {
        LegacyVietnameseEncoding.allCases.filter(converted.contains).map { encoding in
            let notice = encoding.cellConversionNotice
            return ReadingNotice(vi: notice.vi, en: notice.en)
        }
    }
}
