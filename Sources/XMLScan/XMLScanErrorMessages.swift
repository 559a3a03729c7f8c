import Support

extension XMLScanError {
    /// The user's message for this failure in `part` of a file of `format` (the one mapping for
    /// every reader of an XML package); `nesting` names what deep nesting usually is in that format.
    public func userError(file: String, part: String, sheet: String? = nil, format: FileFormatWording,
                          nesting: (vi: String, en: String)? = nil) -> BieuMauError {
        let loc = SourceLocation(file: file, sheet: sheet)
        let fix = format.fix
        switch self {
        case .dtdRefused:
            return BieuMauError(.dataError,
                vi: "Phần \(part) chứa khai báo DTD/ENTITY; vì an toàn, bieumau không đọc những tệp như vậy. \(fix.vi)",
                en: "Part \(part) contains a DTD/ENTITY declaration; for safety bieumau refuses such files. \(fix.en)", at: loc)
        case .depthExceeded(let n):
            return format.limitError(file: file, part: part, sheet: sheet,
                                     vi: "các thẻ XML lồng nhau quá \(n) tầng" + (nesting.map { " (\($0.vi))" } ?? ""),
                                     en: "XML elements are nested deeper than \(n) levels" + (nesting.map { " (\($0.en))" } ?? ""))
        case .tokenTooLong(let n):
            return format.limitError(file: file, part: part, sheet: sheet,
                                     vi: "một thẻ hoặc đoạn văn bản dài quá \(n) byte", en: "a tag or text run is longer than \(n) bytes")
        case .malformed(let what, let offset):
            return BieuMauError(.dataError,
                vi: "Phần \(part) không phải XML hợp lệ (\(what), byte \(offset)). \(fix.vi)",
                en: "Part \(part) is not well-formed XML (\(what), byte \(offset)). \(fix.en)", at: loc)
        case .unknownEntity(let name, let offset):
            return BieuMauError(.dataError,
                vi: "Phần \(part) dùng thực thể XML không hợp lệ \(name) (byte \(offset)). \(fix.vi)",
                en: "Part \(part) uses an invalid XML entity \(name) (byte \(offset)). \(fix.en)", at: loc)
        }
    }
}
