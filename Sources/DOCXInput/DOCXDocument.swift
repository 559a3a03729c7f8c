import Foundation
import SheetGrid
import Support
import VietnameseText
import XMLScan
import ZipWrapper

/// A Word document (`.docx`) read with libzip and the shared XML scanner: its body in order as
/// blocks (for the report cross-check) and one sheet per top-level table (for the table locator),
/// each table's grid preceded by the paragraphs above it as title rows.
///
/// The whole body is read when the document is opened (bounded by `DOCXLimits`); nothing else is
/// kept of the file.
public struct DOCXDocument: SheetDocument, Sendable {
    /// The path as given, used in messages.
    public let path: String
    /// The body in reading order.
    public let blocks: [DOCXBlock]
    public let notices: [ReadingNotice]
    public let limits: DOCXLimits

    /// Opens and reads a `.docx`. Throws a `BieuMauError` (exit 65) naming the file for anything
    /// that is not a readable Word document, and for a file past a limit.
    public init(path: String, limits: DOCXLimits = .default) throws {
        self.path = path
        self.limits = limits
        let archive: ZipArchive
        do {
            archive = try ZipArchive(path: path)
        } catch {
            throw DOCXErrors.zip(error, file: path, part: nil)
        }
        var inflated: UInt64 = 0
        // The main part: the package's officeDocument relationship, else the usual name.
        var mainPart = "word/document.xml"
        if let rels = archive.entry(named: "_rels/.rels"),
           let handler = try? Self.scan(archive, rels, PackageRelationshipsHandler(), file: path, limits: limits, inflated: &inflated),
           var target = handler.documentTarget {
            while target.hasPrefix("/") { target.removeFirst() }
            if archive.entry(named: target) != nil { mainPart = target }
        }
        guard let main = archive.entry(named: mainPart) else {
            if archive.entry(named: "xl/workbook.xml") != nil || archive.entry(named: "content.xml") != nil {
                throw BieuMauError(.dataError,
                    vi: "Tệp là bảng tính, không phải văn bản Word (.docx). Hãy đổi đuôi tệp cho đúng hoặc gửi đúng tệp báo cáo.",
                    en: "The file is a spreadsheet, not a Word document (.docx). Give it the right extension or send the report file itself.",
                    at: SourceLocation(file: path))
            }
            throw BieuMauError(.dataError,
                vi: "Tệp zip không chứa văn bản Word (thiếu \(mainPart)). Hãy mở bằng Word và lưu lại dưới dạng .docx.",
                en: "The zip file holds no Word document (\(mainPart) is missing). Open it in Word and save it as .docx.",
                at: SourceLocation(file: path))
        }
        var styles = StyleSheet()
        let stylesPart = (mainPart.split(separator: "/").dropLast().joined(separator: "/") + "/styles.xml")
        if let s = archive.entry(named: stylesPart) {
            styles = try Self.scan(archive, s, StylesHandler(), file: path, limits: limits, inflated: &inflated).sheet
        }
        let body = try Self.scan(archive, main, BodyHandler(limits: limits, styles: styles), file: path,
                                 limits: limits, inflated: &inflated)
        self.blocks = body.blocks
        self.notices = Self.notices(converted: body.converted)
    }

    /// Reads `word/document.xml` given as bytes (for tests and fuzzing), without styles.
    init(documentXML: UnsafeRawBufferPointer, path: String, limits: DOCXLimits = .default) throws {
        self.path = path
        self.limits = limits
        var scanner = XMLScanner(handler: BodyHandler(limits: limits, styles: StyleSheet()), maxDepth: limits.maxNestingDepth,
                                 maxTokenBytes: limits.maxStringBytes + (1 << 16))
        do {
            try scanner.feed(documentXML)
            try scanner.finish()
        } catch {
            throw DOCXErrors.convert(error, file: path, part: "word/document.xml")
        }
        self.blocks = scanner.handler.blocks
        self.notices = Self.notices(converted: scanner.handler.converted)
    }

    static func notices(converted: Set<LegacyVietnameseEncoding>) -> [ReadingNotice] {
        var out: [ReadingNotice] = []
        if converted.contains(.tcvn3) {
            out.append(ReadingNotice(
                vi: "Một phần văn bản được gõ bằng phông TCVN3 (ABC, .VnTime); bieumau đã chuyển sang Unicode.",
                en: "Some text was typed in TCVN3 (ABC, .VnTime) fonts; bieumau converted it to Unicode."))
        }
        if converted.contains(.vni) {
            out.append(ReadingNotice(
                vi: "Một phần văn bản được gõ bằng phông VNI (VNI-Times); bieumau đã chuyển sang Unicode.",
                en: "Some text was typed in VNI (VNI-Times) fonts; bieumau converted it to Unicode."))
        }
        return out
    }

    /// The paragraphs of the body (outside tables), in order.
    public var paragraphs: [DOCXParagraph] {
        blocks.compactMap { if case .paragraph(let p) = $0 { return p } else { return nil } }
    }

    /// The top-level tables, in order.
    public var tables: [DOCXTable] {
        blocks.compactMap { if case .table(let t) = $0 { return t } else { return nil } }
    }

    // MARK: SheetDocument

    /// One sheet per top-level table: `Bảng 1`, `Bảng 2`… (a document without tables has none).
    public var sheetEntries: [SheetEntry] {
        tables.map { SheetEntry(name: Self.sheetName(table: $0.number)) }
    }

    public var documentProperties: [String: String] { [:] }

    /// The name of table N as a sheet (`Bảng N`).
    public static func sheetName(table: Int) -> String { "Bảng \(table)" }

    public func grid(ofSheet index: Int) throws -> Grid {
        let all = tables
        guard index >= 0, index < all.count else {
            throw BieuMauError(.usage, vi: "Văn bản không có bảng số \(index + 1) (chỉ có \(all.count) bảng).",
                               en: "The document has no table \(index + 1) (it has \(all.count)).", at: SourceLocation(file: path))
        }
        return grid(of: all[index])
    }

    /// The grid of a table: the title paragraphs above it, one per row in column A, then the table's
    /// rows on its grid. Merged cells (column spans, vertical merges) become `merges`; their text is
    /// in the first cell only, as in a workbook.
    public func grid(of table: DOCXTable) -> Grid {
        let titles = titleParagraphs(of: table)
        var rows: [GridRow] = []
        rows.reserveCapacity(titles.count + table.rows.count)
        for (k, p) in titles.enumerated() {
            var style = CellStyle()
            style.bold = p.bold
            rows.append(GridRow(index: k, cells: [Cell(column: 0, value: .text(p.text), style: style)],
                                sourceLine: p.index + 1))
        }
        var merges: [CellRange] = []
        // Open vertical merges per column: the range's index in `merges`, or a new one.
        var openVertical: [Int: (row: Int, span: Int, merge: Int?)] = [:]
        for (r, tr) in table.rows.enumerated() {
            let gridRow = titles.count + r
            var cells: [Cell] = []
            var continuing = Set<Int>()
            for c in tr.cells {
                if c.continuesVerticalMerge {
                    continuing.insert(c.column)
                    if let open = openVertical[c.column] {
                        if let m = open.merge {
                            merges[m].lastRow = gridRow
                        } else {
                            merges.append(CellRange(firstRow: open.row, firstColumn: c.column, lastRow: gridRow,
                                                    lastColumn: c.column + max(open.span, c.columnSpan) - 1))
                            openVertical[c.column] = (open.row, open.span, merges.count - 1)
                        }
                    }
                    continue
                }
                openVertical[c.column] = (gridRow, c.columnSpan, nil)
                if c.columnSpan > 1 {
                    merges.append(CellRange(firstRow: gridRow, firstColumn: c.column, lastRow: gridRow,
                                            lastColumn: c.column + c.columnSpan - 1))
                    openVertical[c.column] = (gridRow, c.columnSpan, merges.count - 1)
                }
                if !c.text.isEmpty {
                    cells.append(Cell(column: c.column, value: .text(c.text), style: CellStyle(bold: c.bold, italic: c.italic)))
                }
            }
            // A vertical merge ends at the first row whose cell in that column does not continue it.
            for col in Array(openVertical.keys) where !continuing.contains(col) {
                if openVertical[col]!.row != gridRow { openVertical[col] = nil }
            }
            cells.sort { $0.column < $1.column }
            rows.append(GridRow(index: gridRow, cells: cells, sourceLine: r + 1))
        }
        return Grid(source: .document(file: path, table: table.number, titleRows: titles.count), rows: rows, merges: merges)
    }

    /// The paragraphs above a table taken as its title lines: back to the previous table, a page or
    /// section break, or `limits.maxTitleLines` non-empty paragraphs; empty paragraphs dropped.
    public func titleParagraphs(of table: DOCXTable) -> [DOCXParagraph] {
        var previousTableEnd = 0
        for case .table(let t) in blocks where t.number == table.number - 1 { previousTableEnd = t.paragraphsBefore }
        let all = paragraphs
        var picked: [DOCXParagraph] = []
        var i = min(table.paragraphsBefore, all.count) - 1
        while i >= previousTableEnd && picked.count < limits.maxTitleLines {
            let p = all[i]
            if p.breaksPage && !picked.isEmpty && !p.text.contains(where: { !$0.isWhitespace }) { break }
            if p.text.contains(where: { !$0.isWhitespace }) { picked.append(p) }
            if p.breaksPage { break }
            i -= 1
        }
        return picked.reversed()
    }

    // MARK: Reading parts

    static func scan<H: XMLHandler>(_ archive: ZipArchive, _ entry: ZipEntry, _ handler: H, file: String,
                                    limits: DOCXLimits, inflated: inout UInt64) throws -> H {
        var scanner = XMLScanner(handler: handler, maxDepth: limits.maxNestingDepth,
                                 maxTokenBytes: limits.maxStringBytes + (1 << 16))
        let remaining = limits.maxTotalUncompressedBytes > inflated ? limits.maxTotalUncompressedBytes - inflated : 0
        var produced: UInt64 = 0
        defer { inflated += produced }
        do {
            try archive.read(entry, maxBytes: min(limits.maxPartBytes, remaining), maxRatio: limits.maxCompressionRatio) { chunk in
                produced += UInt64(chunk.count)
                try scanner.feed(chunk)
                return true
            }
            try scanner.finish()
        } catch is XMLStop {
        } catch {
            throw DOCXErrors.convert(error, file: file, part: entry.name)
        }
        return scanner.handler
    }
}
