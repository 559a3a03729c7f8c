import Foundation
import SheetGrid
import Support
import VietnameseText
import XMLScan
import ZipWrapper

/// Bounds on what the reader accepts. The zip and XML limits are the XLSX reader's
/// (`XLSXLimits`): a hostile or broken file is refused instead of exhausting memory or time.
public struct ODSLimits: Sendable, Hashable {
    /// All parts inflated together (declared sizes are checked up front).
    public var maxTotalUncompressedBytes: UInt64 = 4 << 30
    /// One part inflated (content.xml holds every sheet).
    public var maxPartBytes: UInt64 = 2 << 30
    /// Inflated bytes per compressed byte for parts over 1 MiB (a zip bomb goes far beyond).
    public var maxCompressionRatio: UInt64 = 500
    /// Cells with a value in one sheet, repeated cells and rows counted one by one.
    public var maxCellsPerSheet: Int = 50_000_000
    /// Bytes in one cell's text.
    public var maxStringBytes: Int = 4 << 20
    /// Element nesting depth in any XML part.
    public var maxNestingDepth: Int = 128
    /// Rows and columns of a sheet (LibreOffice's and Excel's): a value beyond is refused; empty
    /// repeated rows and columns beyond cost nothing and are ignored.
    public var maxRows: Int = 1_048_576
    public var maxColumns: Int = 16_384

    public init() {}

    public static let `default` = ODSLimits()

    /// For a spreadsheet read as one appendix (`AppendixLimits`).
    public static let appendix: ODSLimits = {
        var l = ODSLimits()
        l.maxCellsPerSheet = AppendixLimits.maxCells
        return l
    }()
}

/// An OpenDocument spreadsheet (.ods) opened for reading: LibreOffice's and OpenOffice's format.
/// The zip package is read with libzip (ZipWrapper) and `content.xml` streamed through the shared
/// XML scanner; sheets are listed on opening and each grid is built on demand.
public final class ODSDocument: SheetDocument {
    /// The path as given, used in messages.
    public let path: String
    public let limits: ODSLimits
    public let sheetEntries: [SheetEntry]
    /// `meta:user-defined` properties of meta.xml (name → value text).
    public let documentProperties: [String: String]
    /// The legacy font encodings converted in the sheets read so far, once each.
    public var notices: [ReadingNotice] {
        LegacyVietnameseEncoding.allCases.filter(convertedLegacyText.contains).map {
            ReadingNotice(vi: $0.cellConversionNotice.vi, en: $0.cellConversionNotice.en)
        }
    }
    /// Legacy Vietnamese encodings converted so far because of the cells' fonts.
    public private(set) var convertedLegacyText: Set<LegacyVietnameseEncoding> = []

    private let archive: ZipArchive
    private let content: ZipEntry
    private let commonStyles: StylesCollector

    public init(path: String, limits: ODSLimits = .default) throws {
        self.path = path
        self.limits = limits
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            throw BieuMauError(.noInput, vi: "Không tìm thấy tệp. Hãy kiểm tra đường dẫn.",
                               en: "File not found. Check the path.", at: SourceLocation(file: path))
        }
        let archive: ZipArchive
        do {
            archive = try ZipArchive(path: path)
        } catch {
            throw Self.zipError(error, file: path, part: nil)
        }
        self.archive = archive
        let loc = SourceLocation(file: path)
        if let m = archive.entry(named: "mimetype") {
            let bytes = (try? archive.readAll(m, maxBytes: 256)) ?? []
            let type = String(decoding: bytes, as: UTF8.self).trimmingSpaces
            if type.hasPrefix("application/vnd.oasis.opendocument."), !type.contains("spreadsheet") {
                throw BieuMauError(.dataError,
                    vi: "Đây là tệp OpenDocument nhưng không phải bảng tính (\(type)). Hãy mở bằng LibreOffice Calc và lưu dưới dạng bảng tính .ods hoặc .xlsx.",
                    en: "This is an OpenDocument file but not a spreadsheet (\(type)). Open it in LibreOffice Calc and save it as an .ods or .xlsx spreadsheet.",
                    at: loc)
            }
        }
        if archive.totalUncompressedSize > limits.maxTotalUncompressedBytes {
            throw Self.limitError(file: path, part: nil,
                vi: "tổng dung lượng giải nén \(archive.totalUncompressedSize) byte vượt giới hạn \(limits.maxTotalUncompressedBytes)",
                en: "the total uncompressed size \(archive.totalUncompressedSize) bytes exceeds the limit \(limits.maxTotalUncompressedBytes)")
        }
        if let manifest = archive.entry(named: "META-INF/manifest.xml") {
            let h = try Self.scan(archive, manifest, ManifestHandler(), file: path, limits: limits)
            if h.encrypted {
                throw BieuMauError(.dataError,
                    vi: "Bảng tính được bảo vệ bằng mật khẩu (mã hoá). Hãy mở bằng LibreOffice, gỡ mật khẩu (Tệp > Thuộc tính > Bảo mật, hoặc Lưu thành… bỏ chọn “Lưu với mật khẩu”) rồi lưu lại.",
                    en: "The spreadsheet is password-protected (encrypted). Open it in LibreOffice, remove the password (Save As… and untick “Save with password”) and save it again.",
                    at: loc)
            }
        }
        guard let content = archive.entry(named: "content.xml") else {
            throw BieuMauError(.dataError,
                vi: "Tệp không có phần content.xml nên không phải bảng tính OpenDocument (.ods) hợp lệ. Hãy mở bằng LibreOffice và lưu lại.",
                en: "The file has no content.xml part, so it is not a valid OpenDocument spreadsheet (.ods). Open it in LibreOffice and save it again.",
                at: loc)
        }
        self.content = content
        var common = StylesCollector(maxStyles: limits.maxCellsPerSheet)
        if let styles = archive.entry(named: "styles.xml") {
            common = try Self.scan(archive, styles, StylesPartHandler(collector: common), file: path, limits: limits).collector
        }
        commonStyles = common
        var props: [String: String] = [:]
        if let meta = archive.entry(named: "meta.xml") {
            for (k, v) in try Self.scan(archive, meta, MetaHandler(maxBytes: limits.maxStringBytes), file: path, limits: limits).properties {
                props[TextNormalization.nfc(k)] = TextNormalization.nfc(v)
            }
        }
        documentProperties = props
        let listing = try Self.readContent(archive, content, ContentHandler(target: -1, limits: limits, styles: common),
                                           file: path, limits: limits, sheet: nil)
        guard !listing.tables.isEmpty else {
            throw BieuMauError(.dataError,
                vi: "Bảng tính không có trang tính nào (content.xml không có table:table). Hãy mở bằng LibreOffice và lưu lại.",
                en: "The spreadsheet has no sheets (content.xml has no table:table). Open it in LibreOffice and save it again.",
                at: loc)
        }
        sheetEntries = listing.tables
    }

    /// The grid of one sheet (0-based index into `sheetEntries`).
    public func grid(ofSheet index: Int) throws -> Grid {
        guard sheetEntries.indices.contains(index) else {
            let names = sheetEntries.enumerated().map { "\($0.offset + 1). \($0.element.name)" }.joined(separator: "; ")
            throw BieuMauError(.usage,
                vi: "Không có trang tính số \(index + 1). Các trang tính: \(names).",
                en: "There is no sheet number \(index + 1). Sheets: \(names).", at: SourceLocation(file: path))
        }
        let sheet = sheetEntries[index].name
        let h = try Self.readContent(archive, content, ContentHandler(target: index, limits: limits, styles: commonStyles),
                                     file: path, limits: limits, sheet: sheet)
        convertedLegacyText.formUnion(h.converted)
        return Grid(source: .workbook(file: path, sheet: sheet), rows: h.rows, merges: h.merges,
                    properties: documentProperties)
    }

    /// The first visible sheet, else the first (0-based).
    public var firstVisibleSheet: Int { sheetEntries.firstIndex(where: { !$0.isHidden }) ?? 0 }

    // MARK: Scanning and errors

    private static func readContent(_ archive: ZipArchive, _ entry: ZipEntry, _ handler: ContentHandler,
                                    file: String, limits: ODSLimits, sheet: String?) throws -> ContentHandler {
        do {
            return try scan(archive, entry, handler, file: file, limits: limits, sheet: sheet)
        } catch let p as ContentProblem {
            let loc: (String) -> SourceLocation = { SourceLocation(file: file, sheet: sheet, cell: $0) }
            switch p {
            case .tooManyCells(let n):
                throw limitError(file: file, part: "content.xml", sheet: sheet,
                                 vi: "trang tính có hơn \(n) ô có giá trị (kể cả dòng/ô lặp lại)",
                                 en: "the sheet has more than \(n) cells with a value (repeated rows and cells counted)")
            case .rowBeyondLimit(let row, let n):
                throw BieuMauError(.dataError,
                    vi: "Có dữ liệu ở dòng vượt quá \(n) (từ dòng \(row + 1), do table:number-rows-repeated). Bảng tính thật không có nhiều dòng như vậy; tệp có thể hỏng hoặc được tạo để gây hại.",
                    en: "There is data in rows beyond \(n) (from row \(row + 1), through table:number-rows-repeated). No real spreadsheet has that many rows; the file may be corrupt or crafted to do harm.",
                    at: SourceLocation(file: file, sheet: sheet))
            case .columnBeyondLimit(let row, let col, let n):
                throw BieuMauError(.dataError,
                    vi: "Có dữ liệu ở cột vượt quá \(n) (dòng \(row + 1), từ cột \(col + 1)). Tệp có thể hỏng hoặc được tạo để gây hại.",
                    en: "There is data in columns beyond \(n) (row \(row + 1), from column \(col + 1)). The file may be corrupt or crafted to do harm.",
                    at: SourceLocation(file: file, sheet: sheet))
            case .textTooLong(let row, let col, let n):
                var e = limitError(file: file, part: "content.xml", sheet: sheet,
                                   vi: "ô có nội dung dài quá \(n) byte", en: "the cell holds more than \(n) bytes of text")
                e.location = loc(CellReference.a1(row: min(row, 1_048_575), column: min(col, 16_383)))
                throw e
            }
        }
    }

    static func scan<H: XMLHandler>(_ archive: ZipArchive, _ entry: ZipEntry, _ handler: H, file: String,
                                    limits: ODSLimits, sheet: String? = nil) throws -> H {
        var scanner = XMLScanner(handler: handler, maxDepth: limits.maxNestingDepth,
                                 maxTokenBytes: limits.maxStringBytes + (1 << 16))
        do {
            do {
                try archive.read(entry, maxBytes: limits.maxPartBytes, maxRatio: limits.maxCompressionRatio) { chunk in
                    try scanner.feed(chunk)
                    return true
                }
                try scanner.finish()
            } catch is XMLStop {
            }
        } catch let e as ZipError {
            throw zipError(e, file: file, part: entry.name, sheet: sheet)
        } catch let e as XMLScanError {
            throw e.userError(file: file, part: entry.name, sheet: sheet, format: .ods)
        }
        return scanner.handler
    }

    static func limitError(file: String, part: String?, sheet: String? = nil, vi: String, en: String) -> BieuMauError {
        FileFormatWording.ods.limitError(file: file, part: part, sheet: sheet, vi: vi, en: en)
    }

    static func zipError(_ error: ZipError, file: String, part: String?, sheet: String? = nil) -> BieuMauError {
        error.userError(file: file, part: part, sheet: sheet, format: .ods)
    }
}
