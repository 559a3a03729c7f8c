import Foundation
import SheetGrid
import Support
import VietnameseText
import XMLScan
import ZipWrapper

/// One sheet listed in workbook.xml, in workbook order.
public struct SheetInfo: Sendable, Hashable {
    public var name: String
    /// 1-based position in the workbook.
    public var index: Int
    public var state: SheetState
    /// `worksheet`, `chartsheet`, `dialogsheet`, `macrosheet`... (the relationship type).
    public var kind: String
    /// The part holding the sheet, nil when the workbook names a part that is not there.
    public var part: String?
    public var isHidden: Bool { state != .visible }
}

/// What a streaming read found besides rows.
public struct SheetSummary: Sendable {
    public var merges: [CellRange]
    public var rowCount: Int
    public var cellCount: Int
}

/// An .xlsx/.xlsm workbook opened for reading. Sheets are read on demand, streaming from the
/// zip archive through a chunked XML scanner; nothing but the shared strings and styles is kept.
public final class XLSXWorkbook {
    /// The path as given, used in messages.
    public let path: String
    public let limits: XLSXLimits
    public let sheets: [SheetInfo]
    /// True when dates count from 1904-01-01 (`workbookPr date1904`).
    public let date1904: Bool
    public let definedNames: [DefinedName]
    /// Custom document properties (`docProps/custom.xml`), name → value text.
    public let properties: [String: String]

    private let archive: ZipArchive
    private let formats: [ResolvedFormat]
    private let sharedStringsPart: String?
    private var sharedStringsCache: SharedStringsHandler?
    /// Legacy Vietnamese encodings converted so far because of the cells' fonts.
    public private(set) var convertedLegacyText: Set<LegacyVietnameseEncoding> = []
    private var inflated: UInt64 = 0

    public convenience init(path: String, limits: XLSXLimits = .default) throws {
        try XLSXSniffer.check(path: path)
        let archive: ZipArchive
        do {
            archive = try ZipArchive(path: path)
        } catch {
            throw Self.zipError(error, file: path, part: nil)
        }
        try self.init(archive: archive, path: path, limits: limits)
    }

    /// Opens the workbook from the bytes of the file at `path`, read once by the caller (who may
    /// hash the same bytes): no file is opened again; `path` names the file in messages and
    /// cell locations. Accepts and refuses exactly what `init(path:limits:)` does with that file.
    public convenience init(contents: UnsafeRawBufferPointer, path: String, limits: XLSXLimits = .default) throws {
        try XLSXSniffer.check(contents: contents, path: path)
        let archive: ZipArchive
        do {
            archive = try ZipArchive(bytes: contents, path: path)
        } catch {
            throw Self.zipError(error, file: path, part: nil)
        }
        try self.init(archive: archive, path: path, limits: limits)
    }

    private init(archive: ZipArchive, path: String, limits: XLSXLimits) throws {
        self.path = path
        self.limits = limits
        self.archive = archive
        if let mimetype = archive.entry(named: "mimetype"),
           let bytes = try? archive.readAll(mimetype, maxBytes: 256),
           String(decoding: bytes, as: UTF8.self).hasPrefix("application/vnd.oasis.opendocument") {
            throw BieuMauError(.dataError,
                vi: "Đây là tệp OpenDocument (.ods), không phải .xlsx. Hãy mở bằng LibreOffice hoặc Excel và lưu dưới dạng Excel (.xlsx).",
                en: "This is an OpenDocument spreadsheet (.ods), not .xlsx. Open it in LibreOffice or Excel and save it as Excel (.xlsx).",
                at: SourceLocation(file: path))
        }
        if archive.totalUncompressedSize > limits.maxTotalUncompressedBytes {
            throw Self.limitError(file: path, part: nil,
                vi: "tổng dung lượng giải nén \(archive.totalUncompressedSize) byte vượt giới hạn \(limits.maxTotalUncompressedBytes)",
                en: "the total uncompressed size \(archive.totalUncompressedSize) bytes exceeds the limit \(limits.maxTotalUncompressedBytes)")
        }

        // Package relationships → the workbook part.
        var rootRels: [Relationship] = []
        if let e = archive.entry(named: "_rels/.rels") {
            rootRels = try Self.scan(archive, e, RelationshipsHandler(), file: path, limits: limits, inflated: &inflated).relationships
        }
        var workbookPart: String?
        if let rel = rootRels.first(where: { $0.kind == "officeDocument" && !$0.external }) {
            workbookPart = PartNames.resolve(rel.target, relativeTo: "")
        }
        if workbookPart.map({ archive.entry(named: $0) == nil }) ?? true {
            workbookPart = nil
            if let ct = archive.entry(named: "[Content_Types].xml"),
               let h = try? Self.scan(archive, ct, ContentTypesHandler(), file: path, limits: limits, inflated: &inflated),
               let part = h.workbookParts.first(where: { archive.entry(named: $0) != nil }) {
                workbookPart = PartNames.resolve(part, relativeTo: "")
            } else if archive.entry(named: "xl/workbook.xml") != nil {
                workbookPart = "xl/workbook.xml"
            }
        }
        guard let wbPart = workbookPart, let wbEntry = archive.entry(named: wbPart) else {
            throw BieuMauError(.dataError,
                vi: "Tệp không có phần workbook (xl/workbook.xml) nên không phải là sổ tính Excel hợp lệ. Hãy mở tệp bằng Excel và lưu lại dưới dạng .xlsx.",
                en: "The file has no workbook part (xl/workbook.xml), so it is not a valid Excel workbook. Open it in Excel and save it again as .xlsx.",
                at: SourceLocation(file: path))
        }
        let wb = try Self.scan(archive, wbEntry, WorkbookHandler(), file: path, limits: limits, inflated: &inflated)
        var wbRels: [Relationship] = []
        if let e = archive.entry(named: PartNames.relationshipsPart(for: wbPart)) {
            wbRels = try Self.scan(archive, e, RelationshipsHandler(), file: path, limits: limits, inflated: &inflated).relationships
        }
        var byID: [String: Relationship] = [:]
        for r in wbRels where byID[r.id] == nil { byID[r.id] = r }

        var list: [SheetInfo] = []
        for (i, s) in wb.sheets.enumerated() {
            let rel = byID[s.relationshipID]
            var part = rel.map { PartNames.resolve($0.target, relativeTo: wbPart) }
            if let p = part, archive.entry(named: p) == nil { part = nil }
            list.append(SheetInfo(name: TextNormalization.nfc(s.name), index: i + 1, state: s.state,
                                  kind: rel?.kind ?? "worksheet", part: part))
        }
        guard !list.isEmpty else {
            throw BieuMauError(.dataError,
                vi: "Sổ tính không có trang tính nào (workbook.xml không liệt kê trang tính). Hãy mở tệp bằng Excel và lưu lại.",
                en: "The workbook has no sheets (workbook.xml lists none). Open it in Excel and save it again.",
                at: SourceLocation(file: path))
        }
        sheets = list
        date1904 = wb.date1904
        definedNames = wb.definedNames

        if let rel = wbRels.first(where: { $0.kind == "styles" && !$0.external }),
           let e = archive.entry(named: PartNames.resolve(rel.target, relativeTo: wbPart)) {
            formats = try Self.scan(archive, e, StylesHandler(), file: path, limits: limits, inflated: &inflated).resolved()
        } else {
            formats = []
        }
        if let rel = wbRels.first(where: { $0.kind == "sharedStrings" && !$0.external }),
           archive.entry(named: PartNames.resolve(rel.target, relativeTo: wbPart)) != nil {
            sharedStringsPart = PartNames.resolve(rel.target, relativeTo: wbPart)
        } else if archive.entry(named: "xl/sharedStrings.xml") != nil {
            sharedStringsPart = "xl/sharedStrings.xml"
        } else {
            sharedStringsPart = nil
        }
        var props: [String: String] = [:]
        let customPart = rootRels.first(where: { $0.kind == "custom-properties" && !$0.external })
            .map { PartNames.resolve($0.target, relativeTo: "") } ?? "docProps/custom.xml"
        if let e = archive.entry(named: customPart) {
            for (k, v) in try Self.scan(archive, e, CustomPropertiesHandler(), file: path, limits: limits, inflated: &inflated).properties {
                props[TextNormalization.nfc(k)] = TextNormalization.nfc(v)
            }
        }
        properties = props
    }

    // MARK: Sheet selection

    /// A sheet by name (exact, then ignoring case and Unicode normalisation) or 1-based index.
    public func sheet(_ selector: String) throws -> SheetInfo {
        if let s = sheets.first(where: { $0.name == selector }) { return s }
        let wanted = TextNormalization.nfc(selector).lowercased()
        if let s = sheets.first(where: { $0.name.lowercased() == wanted }) { return s }
        if let n = Int(selector), n >= 1, n <= sheets.count { return sheets[n - 1] }
        let names = sheets.map { "\($0.index). \($0.name)\($0.isHidden ? " (ẩn/hidden)" : "")" }.joined(separator: "; ")
        throw BieuMauError(.dataError,
            vi: "Không có trang tính '\(selector)'. Các trang tính: \(names). Hãy dùng --sheet với tên hoặc số thứ tự (từ 1).",
            en: "There is no sheet '\(selector)'. Sheets: \(names). Use --sheet with a name or a 1-based number.",
            at: SourceLocation(file: path))
    }

    /// The first visible worksheet, else the first sheet.
    public var firstSheet: SheetInfo {
        sheets.first(where: { !$0.isHidden && $0.kind == "worksheet" }) ?? sheets[0]
    }

    // MARK: Reading

    /// Streams the rows of `sheet` in file order, one at a time.
    @discardableResult
    public func forEachRow(in sheet: SheetInfo, _ body: (GridRow) throws -> Void) throws -> SheetSummary {
        guard let part = sheet.part, let entry = archive.entry(named: part) else {
            throw BieuMauError(.dataError,
                vi: "Trang tính '\(sheet.name)' không có phần dữ liệu trong tệp (liên kết hỏng). Hãy mở tệp bằng Excel và lưu lại.",
                en: "Sheet '\(sheet.name)' has no data part in the file (broken relationship). Open the file in Excel and save it again.",
                at: SourceLocation(file: path, sheet: sheet.name))
        }
        let shared = try sharedStrings()
        convertedLegacyText.formUnion(shared.converted)
        let handler = SheetHandler(shared: shared.strings, sharedRuns: shared.runs, formats: formats, date1904: date1904,
                                   maxCells: limits.maxCellsPerSheet, maxBytes: limits.maxStringBytes)
        var scanner = XMLScanner(handler: handler, maxDepth: limits.maxNestingDepth, maxTokenBytes: limits.maxStringBytes + (1 << 16))
        let remaining = limits.maxTotalUncompressedBytes > inflated ? limits.maxTotalUncompressedBytes - inflated : 0
        var produced: UInt64 = 0
        do {
            do {
                try archive.read(entry, maxBytes: min(limits.maxPartBytes, remaining), maxRatio: limits.maxCompressionRatio) { chunk in
                    produced += UInt64(chunk.count)
                    try scanner.feed(chunk)
                    if !scanner.handler.ready.isEmpty {
                        for row in scanner.handler.ready { try body(row) }
                        scanner.handler.ready.removeAll(keepingCapacity: true)
                    }
                    return true
                }
                try scanner.finish()
                for row in scanner.handler.ready { try body(row) }
                scanner.handler.ready.removeAll()
            } catch let e as CellProblem {
                throw cellError(e, sheet: sheet, part: part)
            }
        } catch {
            inflated += produced
            throw Self.convert(error, file: path, part: part, sheet: sheet.name, limits: limits)
        }
        inflated += produced
        let h = scanner.handler
        convertedLegacyText.formUnion(h.converted)
        return SheetSummary(merges: h.merges, rowCount: h.rowCount, cellCount: h.cellCount)
    }

    /// The whole sheet as a sparse grid (rows sorted by index; for small sheets such as an appendix).
    public func readGrid(_ sheet: SheetInfo) throws -> Grid {
        var rows: [GridRow] = []
        let summary = try forEachRow(in: sheet) { row in
            if !row.cells.isEmpty || row.hidden { rows.append(row) }
        }
        // Rows out of order or repeated (compared by index only: no copies of the rows).
        var ordered = true
        for k in rows.indices.dropFirst() where rows[k - 1].index >= rows[k].index { ordered = false; break }
        if !ordered {
            var byIndex: [Int: GridRow] = [:]
            for r in rows {
                if var existing = byIndex[r.index] {
                    var cols = Dictionary(existing.cells.map { ($0.column, $0) }, uniquingKeysWith: { _, b in b })
                    for c in r.cells { cols[c.column] = c }
                    existing.cells = cols.values.sorted { $0.column < $1.column }
                    existing.hidden = existing.hidden || r.hidden
                    byIndex[r.index] = existing
                } else {
                    byIndex[r.index] = r
                }
            }
            rows = byIndex.values.sorted { $0.index < $1.index }
        }
        return Grid(source: .workbook(file: path, sheet: sheet.name), rows: rows, merges: summary.merges,
                    properties: properties)
    }

    /// The `<dimension ref>` the producer declared for a sheet (may be absent or wrong).
    public func declaredDimension(of sheet: SheetInfo) -> CellRange? {
        guard let part = sheet.part, let entry = archive.entry(named: part) else { return nil }
        var scanner = XMLScanner(handler: DimensionHandler(), maxDepth: limits.maxNestingDepth)
        do {
            try archive.read(entry, chunkSize: 4096, maxBytes: limits.maxPartBytes, maxRatio: limits.maxCompressionRatio) { chunk in
                try scanner.feed(chunk)
                return true
            }
        } catch is XMLStop {
        } catch {
            return nil
        }
        return scanner.handler.dimension.flatMap(SheetHandler.parseRange)
    }

    private func sharedStrings() throws -> SharedStringsHandler {
        if let s = sharedStringsCache { return s }
        var strings = SharedStringsHandler(maxCount: limits.maxCellsPerSheet, maxBytes: limits.maxStringBytes)
        if let part = sharedStringsPart, let e = archive.entry(named: part) {
            strings = try Self.scan(archive, e, strings, file: path, limits: limits, inflated: &inflated, reuse: false)
        }
        sharedStringsCache = strings
        return strings
    }

    private func cellError(_ e: CellProblem, sheet: SheetInfo, part: String) -> BieuMauError {
        switch e {
        case .badReference(let r):
            return BieuMauError(.dataError,
                vi: "Ô có địa chỉ sai hoặc vượt quá XFD1048576 ('\(r)') trong \(part). Hãy mở tệp bằng Excel và lưu lại.",
                en: "A cell has a malformed reference or one beyond XFD1048576 ('\(r)') in \(part). Open the file in Excel and save it again.",
                at: SourceLocation(file: path, sheet: sheet.name))
        case .badRowNumber(let r):
            return BieuMauError(.dataError,
                vi: "Số dòng sai hoặc vượt quá 1048576 ('\(r)') trong \(part). Hãy mở tệp bằng Excel và lưu lại.",
                en: "A row number is malformed or beyond 1048576 ('\(r)') in \(part). Open the file in Excel and save it again.",
                at: SourceLocation(file: path, sheet: sheet.name))
        case .sharedStringIndex(let index, let count, let row, let column):
            return BieuMauError(.dataError,
                vi: "Ô trỏ tới chuỗi dùng chung số \(index) nhưng bảng chuỗi chỉ có \(count) mục (tệp hỏng). Hãy mở tệp bằng Excel và lưu lại.",
                en: "The cell refers to shared string \(index) but the table has only \(count) entries (corrupt file). Open the file in Excel and save it again.",
                at: SourceLocation(file: path, sheet: sheet.name, cell: CellReference.a1(row: row, column: column)))
        }
    }

    // MARK: Part scanning and error mapping

    /// `handler` scanned over the part. With `reuse` (only for a handler in its initial state, whose
    /// result depends on the part's bytes alone), a merge worker keeps the result for the next file.
    static func scan<H: XMLHandler>(_ archive: ZipArchive, _ entry: ZipEntry, _ handler: H, file: String,
                                    limits: XLSXLimits, inflated: inout UInt64, reuse: Bool = true) throws -> H {
        // A small package part stored exactly as in a file read before (every unit's rels,
        // workbook and styles, from one template) is not inflated and scanned again: the same
        // stored bytes (method, CRC, size) inflate to the same bytes, which scan to the same result.
        let remaining = limits.maxTotalUncompressedBytes > inflated ? limits.maxTotalUncompressedBytes - inflated : 0
        var cacheKey: PartCache.Key?
        let cache = reuse ? PartCache.forCurrentWorker : nil
        if let cache, !entry.isEncrypted, entry.compressedSize <= UInt64(PartCache.maxStoredBytes),
           entry.uncompressedSize <= UInt64(PartCache.maxPartBytes), entry.uncompressedSize <= min(limits.maxPartBytes, remaining),
           let stored = archive.storedBytes(entry, maxBytes: PartCache.maxStoredBytes) {
            let key = PartCache.Key(handler: ObjectIdentifier(H.self), method: entry.compressionMethod, crc: entry.crc32,
                                    size: entry.uncompressedSize, maxDepth: limits.maxNestingDepth,
                                    maxString: limits.maxStringBytes, stored: stored)
            if let hit = cache.results[key], hit.produced <= min(limits.maxPartBytes, remaining), let result = hit.handler as? H {
                inflated += hit.produced
                return result
            }
            cacheKey = key
        }
        let result = try scanPart(archive, entry, handler, file: file, limits: limits, inflated: &inflated)
        if let cache, let cacheKey {
            if cache.results.count >= PartCache.maxEntries { cache.results.removeAll(keepingCapacity: true) }
            cache.results[cacheKey] = (result.handler, result.produced)
        }
        return result.handler
    }

    private static func scanPart<H: XMLHandler>(_ archive: ZipArchive, _ entry: ZipEntry, _ handler: H, file: String,
                                                limits: XLSXLimits, inflated: inout UInt64) throws -> (handler: H, produced: UInt64) {
        var scanner = XMLScanner(handler: handler, maxDepth: limits.maxNestingDepth, maxTokenBytes: limits.maxStringBytes + (1 << 16))
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
            throw convert(error, file: file, part: entry.name, sheet: nil, limits: limits)
        }
        return (scanner.handler, produced)
    }

    static func convert(_ error: Error, file: String, part: String, sheet: String?, limits: XLSXLimits) -> Error {
        switch error {
        case let e as BieuMauError:
            return e
        case let e as ZipError:
            return e.userError(file: file, part: part, sheet: sheet, format: .xlsx)
        case let e as XMLScanError:
            return e.userError(file: file, part: part, sheet: sheet, format: .xlsx)
        case let e as LimitExceeded:
            switch e {
            case .cells(let n):
                return limitError(file: file, part: part, sheet: sheet, vi: "trang tính có hơn \(n) ô", en: "the sheet has more than \(n) cells")
            case .sharedStrings(let n):
                return limitError(file: file, part: part, sheet: sheet, vi: "bảng chuỗi có hơn \(n) mục", en: "the string table has more than \(n) entries")
            case .stringLength(let n):
                return limitError(file: file, part: part, sheet: sheet, vi: "một chuỗi dài quá \(n) byte", en: "a string is longer than \(n) bytes")
            }
        default:
            return error
        }
    }

    static func limitError(file: String, part: String?, sheet: String? = nil, vi: String, en: String) -> BieuMauError {
        FileFormatWording.xlsx.limitError(file: file, part: part, sheet: sheet, vi: vi, en: en)
    }

    static func zipError(_ error: ZipError, file: String, part: String?, sheet: String? = nil) -> BieuMauError {
        error.userError(file: file, part: part, sheet: sheet, format: .xlsx)
    }
}

/// Package parts already scanned by this merge worker, by their stored bytes (see `XLSXWorkbook.scan`).
final class PartCache {
    static let maxStoredBytes = 16 << 10
    static let maxPartBytes = 256 << 10
    static let maxEntries = 256

    struct Key: Hashable {
        var handler: ObjectIdentifier
        var method: Int32
        var crc: UInt32
        var size: UInt64
        var maxDepth: Int
        var maxString: Int
        var stored: [UInt8]

        /// The declared CRC already tells parts apart; the stored bytes are compared, not hashed.
        func hash(into hasher: inout Hasher) {
            hasher.combine(handler)
            hasher.combine(crc)
            hasher.combine(size)
            hasher.combine(stored.count)
        }
    }
    var results: [Key: (handler: Any, produced: UInt64)] = [:]

    private static let perWorker = WorkerLocal { PartCache() }
    /// The calling merge worker's cache; nil on other threads (nothing is kept).
    static var forCurrentWorker: PartCache? { perWorker.current }
}

/// OPC part names: relationship targets resolved against their source part.
enum PartNames {
    /// `worksheets/sheet1.xml` relative to `xl/workbook.xml` → `xl/worksheets/sheet1.xml`;
    /// `/xl/styles.xml` is absolute; backslashes count as slashes.
    static func resolve(_ target: String, relativeTo source: String) -> String {
        resolveASCII(target, relativeTo: source) ?? resolveGeneral(target, relativeTo: source)
    }

    /// `resolve` for any name, on characters.
    static func resolveGeneral(_ target: String, relativeTo source: String) -> String {
        var t = target
        // Foundation's string functions only when needed (part names rarely hold either).
        if t.utf8.contains(UInt8(ascii: "\\")) { t = t.replacingOccurrences(of: "\\", with: "/") }
        if let hash = t.firstIndex(of: "#") { t = String(t[..<hash]) }
        if t.utf8.contains(UInt8(ascii: "%")) { t = t.removingPercentEncoding ?? t }
        var parts: [Substring]
        if t.hasPrefix("/") {
            parts = []
        } else {
            parts = source.split(separator: "/")
            if !parts.isEmpty { parts.removeLast() }
        }
        for p in t.split(separator: "/") {
            if p == "." { continue }
            if p == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(p)
        }
        return parts.joined(separator: "/")
    }

    /// `resolve` on bytes, for the usual part names: ASCII without `\\`, `#` or `%` (then a byte
    /// is a character and the result is the same); nil for any other name.
    static func resolveASCII(_ target: String, relativeTo source: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(source.utf8.count + target.utf8.count)
        var starts: [Int] = []
        func segments(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
            var plain = true
            text.utf8.withContiguousStorageIfAvailable { p in
                for b in p where b >= 0x80 || b == UInt8(ascii: "\\") || b == UInt8(ascii: "#") || b == UInt8(ascii: "%") {
                    plain = false
                    return
                }
                var i = 0
                while i < p.count {
                    var j = i
                    while j < p.count && p[j] != UInt8(ascii: "/") { j += 1 }
                    if j > i { body(UnsafeBufferPointer(rebasing: p[i..<j])) }
                    i = j + 1
                }
            } ?? { plain = false }()
            return plain
        }
        func push(_ segment: UnsafeBufferPointer<UInt8>) {
            if !out.isEmpty { out.append(UInt8(ascii: "/")) }
            starts.append(out.count)
            out.append(contentsOf: segment)
        }
        func pop() {
            guard let start = starts.popLast() else { return }
            out.removeSubrange(max(start - 1, 0)...)
        }
        if target.utf8.first != UInt8(ascii: "/") {
            guard segments(source, push) else { return nil }
            pop()
        }
        let plain = segments(target) { segment in
            if segment.count == 1 && segment[0] == UInt8(ascii: ".") { return }
            if segment.count == 2 && segment[0] == UInt8(ascii: ".") && segment[1] == UInt8(ascii: ".") { pop(); return }
            push(segment)
        }
        return plain ? String(decoding: out, as: UTF8.self) : nil
    }

    /// `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`.
    static func relationshipsPart(for part: String) -> String {
        var parts = part.split(separator: "/").map(String.init)
        let name = parts.popLast() ?? ""
        return (parts + ["_rels", name + ".rels"]).joined(separator: "/")
    }
}

/// A workbook as a `SheetDocument`: its worksheets in workbook order (chart sheets and other
/// kinds of sheet hold no table and are left out).
extension XLSXWorkbook: SheetDocument {
    public var sheetEntries: [SheetEntry] {
        worksheets.map { SheetEntry(name: $0.name, isHidden: $0.isHidden) }
    }
    public var documentProperties: [String: String] { properties }
    /// The legacy font encodings converted in the sheets read so far, once each.
    public var notices: [ReadingNotice] {
        LegacyVietnameseEncoding.allCases.filter(convertedLegacyText.contains).map {
            ReadingNotice(vi: $0.cellConversionNotice.vi, en: $0.cellConversionNotice.en)
        }
    }
    public func grid(ofSheet index: Int) throws -> Grid { try readGrid(worksheets[index]) }

    /// The sheets that are worksheets, in workbook order.
    public var worksheets: [SheetInfo] { sheets.filter { $0.kind == "worksheet" } }
}
