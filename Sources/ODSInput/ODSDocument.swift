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
            let what: (vi: String, en: String)
            switch e {
            case .malformed(let m, let offset): what = ("XML sai cấu trúc tại byte \(offset) (\(m))", "malformed XML at byte \(offset) (\(m))")
            case .dtdRefused: what = ("có khai báo DOCTYPE/ENTITY (không được phép)", "it has a DOCTYPE/ENTITY declaration (not allowed)")
            case .depthExceeded(let n):
                throw limitError(file: file, part: entry.name, sheet: sheet,
                                 vi: "các phần tử XML lồng nhau sâu quá \(n) mức", en: "XML elements nest deeper than \(n) levels")
            case .tokenTooLong(let n):
                throw limitError(file: file, part: entry.name, sheet: sheet,
                                 vi: "một thẻ hoặc đoạn văn bản XML dài quá \(n) byte", en: "an XML tag or text run is longer than \(n) bytes")
            case .unknownEntity(let name, let offset): what = ("tham chiếu thực thể lạ \(name) tại byte \(offset)", "unknown entity reference \(name) at byte \(offset)")
            }
            throw BieuMauError(.dataError,
                vi: "Phần \(entry.name) của tệp .ods bị hỏng: \(what.vi). Hãy mở bằng LibreOffice và lưu lại.",
                en: "Part \(entry.name) of the .ods file is corrupt: \(what.en). Open it in LibreOffice and save it again.",
                at: SourceLocation(file: file, sheet: sheet))
        }
        return scanner.handler
    }

    static func limitError(file: String, part: String?, sheet: String? = nil, vi: String, en: String) -> BieuMauError {
        let wherePart = part.map { " (\($0))" } ?? ""
        return BieuMauError(.dataError,
            vi: "Tệp vượt giới hạn an toàn\(wherePart): \(vi). Tệp có thể hỏng hoặc được tạo để gây hại; nếu là tệp thật, hãy chia nhỏ dữ liệu.",
            en: "The file exceeds a safety limit\(wherePart): \(en). It may be corrupt or crafted to do harm; if it is genuine, split the data.",
            at: SourceLocation(file: file, sheet: sheet))
    }

    static func zipError(_ error: ZipError, file: String, part: String?, sheet: String? = nil) -> BieuMauError {
        let loc = SourceLocation(file: file, sheet: sheet)
        let fixVi = "Hãy tải lại hoặc xin lại tệp, hoặc mở bằng LibreOffice và lưu lại dưới dạng .ods hoặc .xlsx."
        let fixEn = "Download or request the file again, or open it in LibreOffice and save it again as .ods or .xlsx."
        switch error {
        case .notAZip:
            return BieuMauError(.dataError,
                vi: "Tệp không phải là bảng tính .ods (không phải gói zip của OpenDocument). \(fixVi)",
                en: "The file is not an .ods spreadsheet (not an OpenDocument zip package). \(fixEn)", at: loc)
        case .truncatedOrInconsistent(let d):
            return BieuMauError(.dataError,
                vi: "Tệp .ods bị cắt cụt hoặc hỏng cấu trúc zip (\(d)). \(fixVi)",
                en: "The .ods file is truncated or its zip structure is corrupt (\(d)). \(fixEn)", at: loc)
        case .cannotOpen(let d):
            return BieuMauError(.noInput,
                vi: "Không mở được tệp (\(d)). Hãy kiểm tra đường dẫn và quyền đọc.",
                en: "Cannot open the file (\(d)). Check the path and read permission.", at: loc)
        case .crcMismatch(let entry):
            return BieuMauError(.dataError,
                vi: "Phần \(entry) trong tệp bị hỏng (sai mã kiểm tra CRC). \(fixVi)",
                en: "Part \(entry) of the file is corrupt (CRC mismatch). \(fixEn)", at: loc)
        case .encryptedEntry(let entry):
            return BieuMauError(.dataError,
                vi: "Phần \(entry) được mã hoá bằng mật khẩu zip. Hãy gỡ mật khẩu rồi lưu lại.",
                en: "Part \(entry) is encrypted with a zip password. Remove the password and save the file again.", at: loc)
        case .unsupportedCompression(let entry):
            return BieuMauError(.dataError,
                vi: "Phần \(entry) dùng kiểu nén không hỗ trợ. \(fixVi)",
                en: "Part \(entry) uses an unsupported compression method. \(fixEn)", at: loc)
        case .corruptData(let entry, let d):
            return BieuMauError(.dataError,
                vi: "Dữ liệu nén của phần \(entry) bị hỏng (\(d)). \(fixVi)",
                en: "The compressed data of part \(entry) is corrupt (\(d)). \(fixEn)", at: loc)
        case .tooLarge(let entry, let limit):
            return limitError(file: file, part: entry, sheet: sheet,
                              vi: "phần này giải nén ra hơn \(limit) byte", en: "this part inflates to more than \(limit) bytes")
        case .compressionRatioExceeded(let entry, let limit):
            return limitError(file: file, part: entry, sheet: sheet,
                              vi: "tỉ lệ nén vượt \(limit):1 (dấu hiệu của \"bom zip\")", en: "the compression ratio exceeds \(limit):1 (a sign of a zip bomb)")
        case .noSuchEntry(let name):
            return BieuMauError(.dataError,
                vi: "Thiếu phần \(name) trong tệp. \(fixVi)", en: "Part \(name) is missing from the file. \(fixEn)", at: loc)
        case .duplicateEntry(let name):
            return BieuMauError(.dataError,
                vi: "Tệp chứa hai phần cùng tên \(name) (trùng tên hoặc chỉ khác chữ hoa/thường). Mỗi chương trình đọc một bản khác nhau nên số liệu kiểm tra có thể khác số liệu người xem thấy; tệp bị từ chối. \(fixVi)",
                en: "The file holds two parts named \(name) (the same name, or differing only by case). Programs read different copies, so the figures checked could differ from those a person sees; the file is refused. \(fixEn)", at: loc)
        }
    }
}
