import Support

extension ZipError {
    /// The user's message for this failure of a zip package of `format` (the one mapping for
    /// every reader of a zip-based format); `part` and `sheet` say where, when known.
    public func userError(file: String, part: String?, sheet: String? = nil, format: FileFormatWording) -> BieuMauError {
        let loc = SourceLocation(file: file, sheet: sheet)
        let fix = format.fix
        switch self {
        case .notAZip:
            return BieuMauError(.dataError, vi: "\(format.notThisFormat.vi). \(fix.vi)", en: "\(format.notThisFormat.en). \(fix.en)", at: loc)
        case .truncatedOrInconsistent(let d):
            return BieuMauError(.dataError,
                vi: "Tệp \(format.ext) bị cắt cụt hoặc hỏng cấu trúc zip (\(d)). \(fix.vi)",
                en: "The \(format.ext) file is truncated or its zip structure is corrupt (\(d)). \(fix.en)", at: loc)
        case .cannotOpen(let d):
            return BieuMauError(.noInput,
                vi: "Không mở được tệp (\(d)). Hãy kiểm tra đường dẫn và quyền đọc.",
                en: "Cannot open the file (\(d)). Check the path and read permission.", at: loc)
        case .crcMismatch(let entry):
            return BieuMauError(.dataError,
                vi: "Phần \(entry) trong tệp bị hỏng (sai mã kiểm tra CRC). \(fix.vi)",
                en: "Part \(entry) of the file is corrupt (CRC mismatch). \(fix.en)", at: loc)
        case .encryptedEntry(let entry):
            return BieuMauError(.dataError,
                vi: "Phần \(entry) được mã hoá bằng mật khẩu zip. Hãy gỡ mật khẩu rồi \(format.saveAgain.vi).",
                en: "Part \(entry) is encrypted with a zip password. Remove the password and \(format.saveAgain.en).", at: loc)
        case .unsupportedCompression(let entry):
            return BieuMauError(.dataError,
                vi: "Phần \(entry) dùng kiểu nén không hỗ trợ. \(fix.vi)",
                en: "Part \(entry) uses an unsupported compression method. \(fix.en)", at: loc)
        case .corruptData(let entry, let d):
            return BieuMauError(.dataError,
                vi: "Dữ liệu nén của phần \(entry) bị hỏng (\(d)). \(fix.vi)",
                en: "The compressed data of part \(entry) is corrupt (\(d)). \(fix.en)", at: loc)
        case .tooLarge(let entry, let limit):
            return format.limitError(file: file, part: entry, sheet: sheet,
                                     vi: "phần này giải nén ra hơn \(limit) byte", en: "this part inflates to more than \(limit) bytes")
        case .compressionRatioExceeded(let entry, let limit):
            return format.limitError(file: file, part: entry, sheet: sheet,
                                     vi: "tỉ lệ nén vượt \(limit):1 (dấu hiệu của \"bom zip\")",
                                     en: "the compression ratio exceeds \(limit):1 (a sign of a zip bomb)")
        case .noSuchEntry(let name):
            return BieuMauError(.dataError,
                vi: "Thiếu phần \(name) trong tệp. \(fix.vi)", en: "Part \(name) is missing from the file. \(fix.en)", at: loc)
        case .duplicateEntry(let name):
            return BieuMauError(.dataError,
                vi: "Tệp chứa hai phần cùng tên \(name) (trùng tên hoặc chỉ khác chữ hoa/thường). Mỗi chương trình đọc một bản khác nhau nên số liệu kiểm tra có thể khác số liệu người xem thấy; tệp bị từ chối. \(fix.vi)",
                en: "The file holds two parts named \(name) (the same name, or differing only by case). Programs read different copies, so the figures checked could differ from those a person sees; the file is refused. \(fix.en)", at: loc)
        }
    }
}
