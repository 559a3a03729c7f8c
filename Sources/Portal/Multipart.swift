import Foundation

/// A `multipart/form-data` body (RFC 7578), parsed from bytes already bounded by the body limit.
/// Only what the portal's forms send: text fields and files; a part's own headers are limited.
struct MultipartForm: Sendable {
    struct Part: Sendable {
        var name: String
        /// The browser's file name, for display only (never a path).
        var filename: String?
        var contentType: String?
        var body: [UInt8]
    }

    var parts: [Part]

    func field(_ name: String) -> String? {
        parts.first { $0.name == name && $0.filename == nil }.map { String(decoding: $0.body, as: UTF8.self) }
    }

    func file(_ name: String) -> Part? { parts.first { $0.name == name && $0.filename != nil } }

    /// The boundary of a `multipart/form-data; boundary=…` content type.
    static func boundary(contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = pieces.first, first.lowercased() == "multipart/form-data" else { return nil }
        for p in pieces.dropFirst() where p.lowercased().hasPrefix("boundary=") {
            var b = String(p.dropFirst("boundary=".count))
            if b.hasPrefix("\""), b.hasSuffix("\""), b.count >= 2 { b = String(b.dropFirst().dropLast()) }
            return (1...70).contains(b.utf8.count) ? b : nil
        }
        return nil
    }

    enum ParseError: Error { case malformed(String) }

    static let maxParts = 32
    static let maxHeaderBytes = 8 << 10

    static func parse(_ body: [UInt8], boundary: String) throws -> MultipartForm {
        let delimiter = Array(("--" + boundary).utf8)
        let crlfDelimiter = Array(("\r\n--" + boundary).utf8)
        guard var pos = find(delimiter, in: body, from: 0) else { throw ParseError.malformed("no boundary") }
        pos += delimiter.count
        var parts: [Part] = []
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if pos + 2 <= body.count, body[pos] == 0x2D, body[pos + 1] == 0x2D { break }
            guard pos + 2 <= body.count, body[pos] == 0x0D, body[pos + 1] == 0x0A else {
                throw ParseError.malformed("bad delimiter line")
            }
            pos += 2
            guard let headerEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: pos),
                  headerEnd - pos <= maxHeaderBytes else { throw ParseError.malformed("part headers") }
            let headerText = String(decoding: body[pos..<headerEnd], as: UTF8.self)
            pos = headerEnd + 4
            guard let end = find(crlfDelimiter, in: body, from: pos) else { throw ParseError.malformed("unterminated part") }
            var part = Part(name: "", filename: nil, contentType: nil, body: Array(body[pos..<end]))
            for line in headerText.components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if key == "content-disposition" {
                    let params = parameters(value)
                    part.name = params["name"] ?? ""
                    part.filename = params["filename"]
                } else if key == "content-type" {
                    part.contentType = value
                }
            }
            parts.append(part)
            if parts.count > maxParts { throw ParseError.malformed("too many parts") }
            pos = end + crlfDelimiter.count
        }
        return MultipartForm(parts: parts)
    }

    /// `form-data; name="file"; filename="a b.xlsx"` → ["name": "file", "filename": "a b.xlsx"].
    static func parameters(_ value: String) -> [String: String] {
        var out: [String: String] = [:]
        var chars = Substring(value)
        // Skip the disposition type.
        if let semi = chars.firstIndex(of: ";") { chars = chars[chars.index(after: semi)...] } else { return out }
        while !chars.isEmpty {
            chars = chars.drop { $0 == " " || $0 == ";" }
            guard let eq = chars.firstIndex(of: "=") else { break }
            let key = chars[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            chars = chars[chars.index(after: eq)...]
            var val = ""
            if chars.first == "\"" {
                chars = chars.dropFirst()
                var escaped = false
                var idx = chars.startIndex
                while idx < chars.endIndex {
                    let c = chars[idx]
                    if escaped { val.append(c); escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { break } else { val.append(c) }
                    idx = chars.index(after: idx)
                }
                chars = idx < chars.endIndex ? chars[chars.index(after: idx)...] : chars[chars.endIndex...]
            } else {
                let stop = chars.firstIndex(of: ";") ?? chars.endIndex
                val = chars[..<stop].trimmingCharacters(in: .whitespaces)
                chars = chars[stop...]
            }
            out[key] = val
        }
        return out
    }

    /// The first index of `needle` in `haystack` at or after `from` (memchr on the first byte, then compare).
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = needle[0]
        let last = haystack.count - needle.count
        var i = from
        return haystack.withUnsafeBufferPointer { hay -> Int? in
            needle.withUnsafeBufferPointer { nd -> Int? in
                while i <= last {
                    guard let p = memchr(hay.baseAddress! + i, Int32(first), last - i + 1) else { return nil }
                    let at = hay.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
                    if memcmp(hay.baseAddress! + at, nd.baseAddress!, nd.count) == 0 { return at }
                    i = at + 1
                }
                return nil
            }
        }
    }
}

/// `application/x-www-form-urlencoded` fields.
enum URLEncodedForm {
    static func parse(_ body: [UInt8]) -> [String: String] {
        var out: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let key = decode(kv[0])
            if out[key] == nil { out[key] = kv.count > 1 ? decode(kv[1]) : "" }
        }
        return out
    }
}
