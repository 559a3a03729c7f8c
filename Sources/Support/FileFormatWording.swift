/// How the readers of one file format word their refusals: the format named in sentences and what
/// the user can do. The mappings of `ZipError` and `XMLScanError` to messages (written once, in
/// ZipWrapper and XMLScan) take it as a parameter.
public struct FileFormatWording: Sendable {
    /// "Tệp không phải là tệp .xlsx (không phải định dạng zip của Office Open XML)" — without the full stop.
    public var notThisFormat: (vi: String, en: String)
    /// The extension, with its dot: ".xlsx".
    public var ext: String
    /// What to do about a damaged file.
    public var fix: (vi: String, en: String)
    /// "lưu lại dưới dạng .xlsx" / "save the file again as .xlsx".
    public var saveAgain: (vi: String, en: String)
    /// What to do with a genuine file over a safety limit.
    public var limitAdvice: (vi: String, en: String)

    public init(notThisFormat: (vi: String, en: String), ext: String, fix: (vi: String, en: String),
                saveAgain: (vi: String, en: String), limitAdvice: (vi: String, en: String)) {
        self.notThisFormat = notThisFormat
        self.ext = ext
        self.fix = fix
        self.saveAgain = saveAgain
        self.limitAdvice = limitAdvice
    }

    public static let xlsx = FileFormatWording(
        notThisFormat: (vi: "Tệp không phải là tệp .xlsx (không phải định dạng zip của Office Open XML)",
                        en: "The file is not an .xlsx workbook (not an Office Open XML zip package)"),
        ext: ".xlsx",
        fix: (vi: "Hãy tải lại hoặc xin lại tệp, hoặc mở bằng Excel và lưu lại dưới dạng .xlsx.",
              en: "Download or request the file again, or open it in Excel and save it again as .xlsx."),
        saveAgain: (vi: "lưu lại dưới dạng .xlsx", en: "save the file again as .xlsx"),
        limitAdvice: (vi: "hãy chia nhỏ dữ liệu", en: "split the data"))

    public static let ods = FileFormatWording(
        notThisFormat: (vi: "Tệp không phải là bảng tính .ods (không phải gói zip của OpenDocument)",
                        en: "The file is not an .ods spreadsheet (not an OpenDocument zip package)"),
        ext: ".ods",
        fix: (vi: "Hãy tải lại hoặc xin lại tệp, hoặc mở bằng LibreOffice và lưu lại dưới dạng .ods hoặc .xlsx.",
              en: "Download or request the file again, or open it in LibreOffice and save it again as .ods or .xlsx."),
        saveAgain: (vi: "lưu lại", en: "save the file again"),
        limitAdvice: (vi: "hãy chia nhỏ dữ liệu", en: "split the data"))

    public static let docx = FileFormatWording(
        notThisFormat: (vi: "Tệp không phải là văn bản .docx (không phải định dạng zip của Office Open XML)",
                        en: "The file is not a .docx document (not an Office Open XML zip package)"),
        ext: ".docx",
        fix: (vi: "Hãy tải lại hoặc xin lại tệp, hoặc mở bằng Word và lưu lại dưới dạng .docx.",
              en: "Download or request the file again, or open it in Word and save it again as .docx."),
        saveAgain: (vi: "lưu lại dưới dạng .docx", en: "save the file again as .docx"),
        limitAdvice: (vi: "hãy tách phụ lục ra một tệp riêng", en: "put the appendix in a file of its own"))

    /// A file over one of the reader's safety limits (exit 65), naming the part when known.
    public func limitError(file: String, part: String?, sheet: String? = nil, vi: String, en: String) -> BieuMauError {
        let wherePart = part.map { " (\($0))" } ?? ""
        return BieuMauError(.dataError,
            vi: "Tệp vượt giới hạn an toàn\(wherePart): \(vi). Tệp có thể hỏng hoặc được tạo để gây hại; nếu là tệp thật, \(limitAdvice.vi).",
            en: "The file exceeds a safety limit\(wherePart): \(en). It may be corrupt or crafted to do harm; if it is genuine, \(limitAdvice.en).",
            at: SourceLocation(file: file, sheet: sheet))
    }
}
