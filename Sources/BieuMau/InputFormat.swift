import Foundation
import Support

/// What an input file is, judged by its bytes — never by its name. The one place in bieumau that
/// looks at magic bytes: a zip package is told apart by its entries, an OLE2 compound file by its
/// streams, and anything else is read as text (CSV).
public enum InputFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// Text: CSV (also tab-separated "Unicode text"), in any encoding the CSV reader knows.
    case csv
    /// Office Open XML workbook (.xlsx/.xlsm), and any zip package without a better match, so
    /// that the XLSX reader explains what is wrong with it.
    case xlsx
    /// Excel 97–2003 workbook (OLE2 with a `Workbook` or `Book` stream).
    case xls
    /// OpenDocument spreadsheet (zip with `mimetype` application/vnd.oasis.opendocument.spreadsheet
    /// or, without a mimetype, a `content.xml`).
    case ods
    /// Word document (zip with `word/document.xml`).
    case docx
    /// Word 97–2003 document (OLE2 with a `WordDocument` stream): refused, to be saved as .docx.
    case doc
    /// OpenDocument text (.odt): refused, to be saved as .docx.
    case odt
    /// A password-protected (encrypted) Office file: OLE2 with `EncryptedPackage`/`EncryptionInfo`.
    case encrypted
    /// An OLE2 compound file whose streams say nothing we know (legacy Excel or encrypted).
    case ole

    /// Bytes read from the start of a file to sniff an OLE2 directory (its streams' names).
    static let oleScanLimit = 64 << 20

    /// Sniffs a file on disk. A missing or unreadable file is exit 66.
    public static func sniff(path: String) throws -> InputFormat {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw BieuMauError(.noInput, vi: "Không đọc được tệp \(path).", en: "Cannot read the file \(path).",
                               at: SourceLocation(file: path))
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
        if isZip(head) {
            let size = (try? handle.seekToEnd()) ?? 0
            return zipFormat(size: Int(size)) { offset, count in
                guard (try? handle.seek(toOffset: UInt64(offset))) != nil else { return [] }
                return [UInt8]((try? handle.read(upToCount: count)) ?? Data())
            }
        }
        if isOLE(head) {
            try? handle.seek(toOffset: 0)
            let bytes = [UInt8]((try? handle.read(upToCount: oleScanLimit)) ?? Data())
            return oleFormat(bytes)
        }
        return .csv
    }

    /// Sniffs bytes in memory (an upload).
    public static func sniff(bytes: Data) -> InputFormat {
        sniff(contents: [UInt8](bytes))
    }

    /// Sniffs a file's bytes read whole (the same judgement as `sniff(path:)` on that file).
    static func sniff(contents all: [UInt8]) -> InputFormat {
        if isZip(all) {
            return zipFormat(size: all.count) { offset, count in
                guard offset >= 0, offset < all.count else { return [] }
                return Array(all[offset..<min(all.count, offset + count)])
            }
        }
        if isOLE(all) { return oleFormat(Array(all.prefix(oleScanLimit))) }
        return .csv
    }

    static func isZip(_ head: [UInt8]) -> Bool {
        head.count >= 4 && head[0] == 0x50 && head[1] == 0x4B && (head[2] == 3 || head[2] == 5 || head[2] == 7)
    }

    static func isOLE(_ head: [UInt8]) -> Bool {
        head.count >= 8 && head[0..<8].elementsEqual([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    }

    // MARK: Zip packages

    /// The package's format from its entry names (read from the central directory). A zip whose
    /// directory cannot be read goes to the XLSX reader, which reports what is broken.
    static func zipFormat(size: Int, read: (_ offset: Int, _ count: Int) -> [UInt8]) -> InputFormat {
        guard let entries = ZipDirectory.entries(size: size, read: read) else { return .xlsx }
        let names = Set(entries.map(\.name))
        if names.contains("xl/workbook.xml") { return .xlsx }
        if names.contains("word/document.xml") { return .docx }
        if let mimetype = entries.first(where: { $0.name == "mimetype" }),
           let text = ZipDirectory.storedContent(of: mimetype, read: read) {
            let type = String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if type.hasPrefix("application/vnd.oasis.opendocument.spreadsheet") { return .ods }
            if type.hasPrefix("application/vnd.oasis.opendocument.text") { return .odt }
        }
        if names.contains("content.xml") { return .ods }
        return .xlsx
    }

    // MARK: OLE2 compound files

    /// The format from the names of the streams in the compound file's directory. Directory
    /// entries are 128 bytes, aligned to 128 in the file: a UTF-16LE name (64 bytes), its length
    /// in bytes including the terminator (2 bytes), and the entry type (2 = stream).
    static func oleFormat(_ bytes: [UInt8]) -> InputFormat {
        var streams: Set<String> = []
        var offset = 512
        while offset + 128 <= bytes.count {
            let nameBytes = Int(bytes[offset + 64]) | Int(bytes[offset + 65]) << 8
            if bytes[offset + 66] == 2, nameBytes >= 4, nameBytes <= 64, nameBytes % 2 == 0 {
                var units: [UInt16] = []
                for i in stride(from: 0, to: nameBytes - 2, by: 2) {
                    units.append(UInt16(bytes[offset + i]) | UInt16(bytes[offset + i + 1]) << 8)
                }
                streams.insert(String(decoding: units, as: UTF16.self).lowercased())
            }
            offset += 128
        }
        if streams.contains("encryptedpackage") || streams.contains("encryptioninfo") { return .encrypted }
        if streams.contains("worddocument") { return .doc }
        if streams.contains("workbook") || streams.contains("book") { return .xls }
        return .ole
    }
}

/// The central directory of a zip file, read without libzip (the sniffer needs only names, and
/// must work on bytes in memory as well as on a file).
enum ZipDirectory {
    struct Entry {
        var name: String
        var method: Int
        var compressedSize: Int
        var localHeaderOffset: Int
    }

    /// The entries, or nil when there is no readable end-of-central-directory record (or it is
    /// Zip64, which an office file this small never needs).
    static func entries(size: Int, read: (Int, Int) -> [UInt8]) -> [Entry]? {
        let tailLength = min(size, 22 + 0xFFFF)
        let tail = read(size - tailLength, tailLength)
        guard tail.count >= 22 else { return nil }
        var eocd = -1
        var i = tail.count - 22
        while i >= 0 {
            if tail[i] == 0x50 && tail[i + 1] == 0x4B && tail[i + 2] == 5 && tail[i + 3] == 6 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { return nil }
        let count = u16(tail, eocd + 10), length = u32(tail, eocd + 12), start = u32(tail, eocd + 16)
        guard count != 0xFFFF, start != 0xFFFF_FFFF, length <= 64 << 20, start + length <= size else { return nil }
        let directory = read(start, length)
        guard directory.count == length else { return nil }
        var out: [Entry] = []
        var p = 0
        while out.count < count, p + 46 <= directory.count, u32(directory, p) == 0x0201_4B50 {
            let nameLength = u16(directory, p + 28), extra = u16(directory, p + 30), comment = u16(directory, p + 32)
            guard p + 46 + nameLength <= directory.count else { break }
            out.append(Entry(name: String(decoding: directory[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self),
                             method: u16(directory, p + 10), compressedSize: u32(directory, p + 20),
                             localHeaderOffset: u32(directory, p + 42)))
            p += 46 + nameLength + extra + comment
        }
        return out
    }

    /// The content of a small entry stored without compression (an ODF `mimetype`), else nil.
    static func storedContent(of entry: Entry, read: (Int, Int) -> [UInt8]) -> [UInt8]? {
        guard entry.method == 0, entry.compressedSize <= 256 else { return nil }
        let header = read(entry.localHeaderOffset, 30)
        guard header.count == 30, u32(header, 0) == 0x0403_4B50 else { return nil }
        let start = entry.localHeaderOffset + 30 + u16(header, 26) + u16(header, 28)
        let content = read(start, entry.compressedSize)
        return content.count == entry.compressedSize ? content : nil
    }

    static func u16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    static func u32(_ b: [UInt8], _ i: Int) -> Int { u16(b, i) | u16(b, i + 2) << 16 }
}
