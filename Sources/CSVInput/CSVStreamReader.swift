import Foundation
import IconvWrapper
import Support
import VietnameseText
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One record of a streamed CSV file. It points into the reader's buffer and is valid only during
/// the `forEachRecord` call that hands it out: copy what you keep.
public struct CSVRecord {
    /// 0-based record number (the sheet row it becomes).
    public let index: Int
    /// 1-based line the record starts on.
    public let line: Int
    /// Number of fields (an empty line has one empty field).
    public let count: Int
    let base: UnsafePointer<UInt8>
    let starts: UnsafePointer<Int>

    /// The UTF-8 bytes of field `i` (without the terminating NUL).
    public func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let start = starts[i], end = starts[i + 1] - 1
        return UnsafeBufferPointer(start: base + start, count: end - start)
    }

    /// Field `i` as a NUL-terminated C string.
    public func cString(_ i: Int) -> UnsafePointer<CChar> {
        UnsafeRawPointer(base + starts[i]).assumingMemoryBound(to: CChar.self)
    }

    /// Field `i` as NFC text.
    public func string(_ i: Int) -> String {
        let bytes = field(i)
        let s = String(decoding: bytes, as: UTF8.self)
        return TextNormalization.isCertainlyNFC(utf8: bytes) ? s : TextNormalization.nfc(s)
    }
}

/// The one CSV tokenizer: reads a file (or bytes in memory) record by record with memory that does
/// not grow with the file. Encodings: UTF-8 with or without BOM, UTF-16 with or without BOM,
/// TCVN3/VNI, Windows-1258; delimiter detection (`sep=` hint line, skipped, else `,` `;` or tab);
/// RFC 4180 quoting. `CSVReader` builds its in-memory grid from these records.
/// The source is read twice: once to decide the encoding (UTF-8 must be valid throughout, else the
/// file is Windows-1258 or a legacy font encoding), once to parse. Fields are handed out as NFC
/// text or raw UTF-8 bytes.
public final class CSVStreamReader {
    public let path: String
    public let encoding: CSVEncoding
    public let delimiter: Character
    public let limits: CSVLimits
    /// The `sep=;` line Excel writes first, skipped (it is not data).
    public let hasSeparatorHint: Bool
    /// Bytes to skip at the start (a byte order mark).
    private let skip: Int

    /// Bytes read from the file at a time.
    public let chunkSize: Int

    /// Where the bytes come from: a file read chunk by chunk, or bytes already in memory.
    enum Source {
        case file(String)
        case data(Data)
    }
    private let source: Source

    /// A reader of the file at `path` (exit 66 when it does not exist).
    public convenience init(file path: String, delimiter: Character? = nil, limits: CSVLimits = .default,
                            chunkSize: Int = 1 << 18) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            throw BieuMauError(.noInput, vi: "Không có tệp \(path).", en: "The file \(path) does not exist.",
                               at: SourceLocation(file: path))
        }
        try self.init(source: .file(path), name: path, delimiter: delimiter, limits: limits, chunkSize: chunkSize)
    }

    /// A reader of bytes already in memory; `fileName` names them in messages.
    public convenience init(data: Data, fileName: String, delimiter: Character? = nil, limits: CSVLimits = .default,
                            chunkSize: Int = 1 << 18) throws {
        try self.init(source: .data(data), name: fileName, delimiter: delimiter, limits: limits, chunkSize: chunkSize)
    }

    /// `encoding`, when given, is not detected (text already decoded, as UTF-8).
    init(source: Source, name path: String, delimiter: Character?, limits: CSVLimits, chunkSize: Int,
         encoding known: CSVEncoding? = nil) throws {
        self.path = path
        self.source = source
        self.chunkSize = max(1, chunkSize)
        self.limits = limits
        let (encoding, skip) = try known.map { ($0, 0) } ?? Self.detectEncoding(source, name: path, chunkSize: self.chunkSize)
        self.encoding = encoding
        self.skip = skip
        // The delimiter from the first 64 KiB of decoded text.
        var head: [UInt8] = []
        try Self.decodedChunks(source, name: path, encoding: encoding, skip: skip, chunkSize: self.chunkSize) { chunk in
            head.append(contentsOf: chunk)
            return head.count < 1 << 16
        }
        if head.isEmpty {
            throw BieuMauError(.dataError, vi: "tệp rỗng (0 byte). Hãy xin lại tệp gốc.",
                               en: "the file is empty (0 bytes). Ask for the original file again.",
                               at: SourceLocation(file: path))
        }
        // Cut at a line end so a partial character or record does not count.
        if head.count >= 1 << 16, let lastLF = head.lastIndex(of: 0x0A) { head.removeSubrange((lastLF + 1)...) }
        let scalars = Array(String(decoding: head, as: UTF8.self).unicodeScalars)
        let hint = CSVReader.excelSeparatorHint(scalars)
        hasSeparatorHint = hint != nil
        let chosen = delimiter ?? hint ?? CSVReader.detectDelimiter(scalars)
        guard let d = chosen.asciiValue, d != UInt8(ascii: "\""), d != 0x0A, d != 0x0D else {
            throw BieuMauError(.usage, vi: "dấu phân cách phải là một ký tự ASCII (vd. , ; hoặc tab).",
                               en: "the delimiter must be one ASCII character (e.g. , ; or tab).",
                               at: SourceLocation(file: path))
        }
        self.delimiter = Character(UnicodeScalar(d))
    }

    // MARK: Encoding

    private static func openFile(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            throw BieuMauError(.noInput, vi: "Không đọc được tệp \(path).", en: "Cannot read the file \(path).",
                               at: SourceLocation(file: path))
        }
        return fd
    }

    private static func readError(_ path: String) -> BieuMauError {
        BieuMauError(.noInput, vi: "Lỗi khi đọc tệp \(path) (\(String(cString: strerror(errno)))).",
                     en: "Error reading \(path) (\(String(cString: strerror(errno)))).", at: SourceLocation(file: path))
    }

    /// Calls `body` with successive raw chunks of the source; stops early when `body` returns false.
    static func rawChunks(_ source: Source, name path: String, chunkSize: Int,
                          _ body: (UnsafeBufferPointer<UInt8>) throws -> Bool) throws {
        switch source {
        case .data(let data):
            try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                let all = raw.bindMemory(to: UInt8.self)
                var offset = 0
                while offset < all.count {
                    let end = min(all.count, offset + chunkSize)
                    if try !body(UnsafeBufferPointer(rebasing: all[offset..<end])) { return }
                    offset = end
                }
            }
        case .file:
            let fd = try openFile(path)
            defer { close(fd) }
            let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
            defer { buffer.deallocate() }
            while true {
                let n = read(fd, buffer, chunkSize)
                if n < 0 { if errno == EINTR { continue }; throw readError(path) }
                if n == 0 { return }
                if try !body(UnsafeBufferPointer(start: buffer, count: n)) { return }
            }
        }
    }

    /// BOM → UTF-8/UTF-16; NULs at every other byte → UTF-16; valid UTF-8 throughout → UTF-8;
    /// otherwise Windows-1258. A NUL byte in 8-bit text is refused (a binary file).
    static func detectEncoding(_ source: Source, name path: String, chunkSize: Int) throws -> (CSVEncoding, Int) {
        var head: [UInt8] = []
        try rawChunks(source, name: path, chunkSize: chunkSize) { chunk in head.append(contentsOf: chunk.prefix(400 - head.count)); return head.count < 400 }
        if head.starts(with: [0xEF, 0xBB, 0xBF]) {
            if let bad = try firstInvalidUTF8(source, name: path, skip: 3, chunkSize: chunkSize) {
                throw BieuMauError(.dataError,
                    vi: "tệp bắt đầu bằng dấu UTF-8 (BOM) nhưng có byte không hợp lệ. Hãy lưu lại tệp dưới dạng \"CSV UTF-8\".",
                    en: "the file starts with a UTF-8 byte order mark but holds invalid bytes. Save it again as \"CSV UTF-8\".",
                    at: SourceLocation(file: path, line: bad.line))
            }
            return (.utf8BOM, 3)
        }
        if head.starts(with: [0xFF, 0xFE]) { return (.utf16LE, 2) }
        if head.starts(with: [0xFE, 0xFF]) { return (.utf16BE, 2) }
        if let le = TextDecoder.utf16WithoutBOM(head) { return (le ? .utf16LE : .utf16BE, 0) }
        if let bad = try firstInvalidUTF8(source, name: path, skip: 0, chunkSize: chunkSize) {
            if bad.nul {
                throw BieuMauError(.dataError,
                    vi: "tệp có byte NUL (tệp nhị phân?), không phải văn bản CSV. Hãy lưu lại dưới dạng CSV (UTF-8).",
                    en: "the file holds a NUL byte (a binary file?), not CSV text. Save it again as CSV (UTF-8).",
                    at: SourceLocation(file: path, line: bad.line))
            }
            // UTF-8 throughout but for a few bad bytes (a damaged copy, a cut and pasted field): not
            // another encoding, which would garble every letter; the bad byte is named at its place.
            // Judged on the first 16 MiB.
            var text: [UInt8] = []
            try rawChunks(source, name: path, chunkSize: chunkSize) { chunk in
                text.append(contentsOf: chunk.prefix((16 << 20) - text.count))
                return text.count < 16 << 20
            }
            if let bad = TextDecoder.damagedUTF8(text) { throw TextDecoder.damagedUTF8Error(bad, fileName: path) }
            // A legacy Vietnamese font encoding, judged on the first 256 KiB.
            var sample: [UInt8] = []
            try rawChunks(source, name: path, chunkSize: chunkSize) { chunk in
                sample.append(contentsOf: chunk.prefix((256 << 10) - sample.count))
                return sample.count < 256 << 10
            }
            if let legacy = VietnameseText.detect(bytes: sample, windows1258: TextDecoder.windows1258(sample)) {
                return (legacy == .tcvn3 ? .tcvn3 : .vni, 0)
            }
            return (.windows1258, 0)
        }
        return (.utf8, 0)
    }

    /// The first NUL byte, or else the first invalid UTF-8 sequence (a NUL found later still wins).
    static func firstInvalidUTF8(_ source: Source, name path: String, skip: Int, chunkSize: Int) throws -> (line: Int, nul: Bool)? {
        var pending = 0          // continuation bytes still expected
        var minNext: UInt8 = 0x80, maxNext: UInt8 = 0xBF
        var line = 1
        var offset = 0
        var invalid: Int? = nil
        var nulLine: Int? = nil
        try rawChunks(source, name: path, chunkSize: chunkSize) { chunk in
            for b in chunk {
                defer { offset += 1 }
                if offset < skip { continue }
                if b == 0x0A { line += 1 }
                if b == 0 { nulLine = line; return false }
                if invalid != nil { continue }
                if pending > 0 {
                    if b < minNext || b > maxNext { invalid = line; continue }
                    pending -= 1; minNext = 0x80; maxNext = 0xBF
                    continue
                }
                if b < 0x80 { continue }
                switch b {
                case 0xC2...0xDF: pending = 1
                case 0xE0: pending = 2; minNext = 0xA0
                case 0xE1...0xEC, 0xEE, 0xEF: pending = 2
                case 0xED: pending = 2; maxNext = 0x9F
                case 0xF0: pending = 3; minNext = 0x90
                case 0xF1...0xF3: pending = 3
                case 0xF4: pending = 3; maxNext = 0x8F
                default: invalid = line
                }
            }
            return true
        }
        if let nulLine { return (nulLine, true) }
        if invalid == nil && pending > 0 { invalid = line }
        return invalid.map { ($0, false) }
    }

    /// Calls `body` with successive chunks of the file as UTF-8 (converted with iconv when the file
    /// is UTF-16 or Windows-1258); stops early when `body` returns false.
    static func decodedChunks(_ source: Source, name path: String, encoding: CSVEncoding, skip: Int, chunkSize: Int,
                              _ body: (UnsafeBufferPointer<UInt8>) throws -> Bool) throws {
        var skipped = 0
        switch encoding {
        case .utf8, .utf8BOM:
            try rawChunks(source, name: path, chunkSize: chunkSize) { chunk in
                var c = chunk
                if skipped < skip {
                    let k = min(skip - skipped, c.count)
                    skipped += k
                    c = UnsafeBufferPointer(rebasing: c[k...])
                }
                return c.isEmpty ? true : try body(c)
            }
        case .tcvn3, .vni:
            // Whole lines at a time, so that a letter and its mark (VNI) or a word (TCVN3
            // capitals) are never split between chunks.
            let legacy: LegacyVietnameseEncoding = encoding == .tcvn3 ? .tcvn3 : .vni
            var carry: [UInt8] = []
            var keepGoing = true
            try rawChunks(source, name: path, chunkSize: chunkSize) { chunk in
                carry.append(contentsOf: chunk)
                guard let lastLF = carry.lastIndex(of: 0x0A) else {
                    if carry.count > 16 << 20 {
                        var text = VietnameseText.decode(carry, from: legacy)
                        carry.removeAll()
                        keepGoing = try text.withUTF8 { try body($0) }
                    }
                    return keepGoing
                }
                var text = VietnameseText.decode(carry[...lastLF], from: legacy)
                carry.removeSubrange(...lastLF)
                keepGoing = try text.withUTF8 { try body($0) }
                return keepGoing
            }
            if keepGoing && !carry.isEmpty {
                var text = VietnameseText.decode(carry, from: legacy)
                _ = try text.withUTF8 { try body($0) }
            }
        case .utf16LE, .utf16BE, .windows1258:
            let from = encoding == .utf16LE ? "UTF-16LE" : encoding == .utf16BE ? "UTF-16BE" : "WINDOWS-1258"
            guard let converter = IconvConverter(from: from) else {
                throw BieuMauError(.dataError,
                    vi: "máy này không giải mã được \(from) (iconv). Hãy lưu lại tệp dưới dạng \"CSV UTF-8\".",
                    en: "this machine cannot decode \(from) (iconv). Save the file again as \"CSV UTF-8\".",
                    at: SourceLocation(file: path))
            }
            var carry: [UInt8] = []
            let outCap = chunkSize * 4 + 64
            let out = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: outCap)
            defer { out.deallocate() }
            var line = 1
            var keepGoing = true
            func convert(_ input: [UInt8], final: Bool) throws -> [UInt8] {
                let r = input.withUnsafeBufferPointer { converter.convert($0, into: out, flush: final) }
                let rest = r.consumed < input.count ? Array(input[r.consumed...]) : []
                let outBuf = UnsafeBufferPointer(rebasing: out[0..<r.produced])
                for b in outBuf where b == 0x0A { line += 1 }
                if r.status == .invalidSequence || (final && !rest.isEmpty) {
                    if encoding == .windows1258 {
                        let byte = rest.first.map { String(format: "0x%02X", $0) } ?? "?"
                        throw BieuMauError(.dataError,
                            vi: "tệp không phải UTF-8 và cũng không đọc được theo Windows-1258 (byte \(byte)). Hãy lưu lại tệp dưới dạng \"CSV UTF-8\".",
                            en: "the file is neither UTF-8 nor readable as Windows-1258 (byte \(byte)). Save it again as \"CSV UTF-8\".",
                            at: SourceLocation(file: path, line: line))
                    }
                    throw BieuMauError(.dataError,
                        vi: "tệp có ký tự không hợp lệ theo \(from). Hãy lưu lại tệp dưới dạng \"CSV UTF-8\".",
                        en: "the file holds a character that is not valid \(from). Save it again as \"CSV UTF-8\".",
                        at: SourceLocation(file: path, line: line))
                }
                if r.produced > 0 { keepGoing = try body(outBuf) }
                return rest
            }
            try rawChunks(source, name: path, chunkSize: chunkSize) { chunk in
                var c = chunk
                if skipped < skip {
                    let k = min(skip - skipped, c.count)
                    skipped += k
                    c = UnsafeBufferPointer(rebasing: c[k...])
                }
                carry.append(contentsOf: c)
                carry = try convert(carry, final: false)
                return keepGoing
            }
            if keepGoing { _ = try convert(carry, final: true) }
        }
    }

    // MARK: Parsing

    /// Calls `body` for every record in file order. The record is valid only during the call.
    public func forEachRecord(_ body: (CSVRecord) throws -> Void) throws {
        var parser = ByteParser(delimiter: delimiter.asciiValue!, limits: limits, path: path,
                                skipFirstLine: hasSeparatorHint)
        defer { parser.deallocate() }
        try Self.decodedChunks(source, name: path, encoding: encoding, skip: skip, chunkSize: chunkSize) { chunk in
            try parser.feed(chunk, body)
            return true
        }
        try parser.finish(body)
    }
}

/// The RFC 4180 state machine over UTF-8 bytes, fed chunk by chunk (no look-ahead across chunks).
private struct ByteParser {
    enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    let delimiter: UInt8
    let limits: CSVLimits
    let path: String
    var skipLine: Bool

    var state = State.fieldStart
    /// Field bytes of the current record, each field followed by a NUL.
    var bytes: UnsafeMutablePointer<UInt8>
    var capacity = 1 << 12
    var used = 0
    var fieldStart = 0
    /// Start offsets of the fields so far, plus one past the last NUL.
    var starts: UnsafeMutablePointer<Int>
    var startsCapacity = 64
    var fields = 0
    var line = 1
    var recordLine = 1
    var quoteLine = 0
    var lastWasCR = false
    var records = 0
    /// Whether anything (a byte or a quote) was seen in the current record.
    var recordHasContent = false

    init(delimiter: UInt8, limits: CSVLimits, path: String, skipFirstLine: Bool) {
        self.delimiter = delimiter
        self.limits = limits
        self.path = path
        self.skipLine = skipFirstLine
        bytes = .allocate(capacity: capacity)
        starts = .allocate(capacity: startsCapacity)
    }

    func deallocate() {
        bytes.deallocate()
        starts.deallocate()
    }

    @inline(__always) mutating func append(_ b: UInt8) throws {
        if used - fieldStart >= limits.maxFieldBytes {
            throw CSVLimits.fieldTooLong(limits.maxFieldBytes, file: path, line: recordLine, column: fields + 1)
        }
        if used + 2 > capacity { grow() }
        bytes[used] = b
        used += 1
    }

    mutating func grow() {
        let newCapacity = capacity * 2
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        b.update(from: bytes, count: used)
        bytes.deallocate()
        bytes = b
        capacity = newCapacity
    }

    mutating func endField() throws {
        if fields + 1 > limits.maxFieldsPerRecord {
            throw CSVLimits.tooManyFields(limits.maxFieldsPerRecord, file: path, line: recordLine)
        }
        if used + 1 > capacity { grow() }
        bytes[used] = 0
        used += 1
        if fields + 2 > startsCapacity {
            let s = UnsafeMutablePointer<Int>.allocate(capacity: startsCapacity * 2)
            s.update(from: starts, count: fields + 1)
            starts.deallocate()
            starts = s
            startsCapacity *= 2
        }
        starts[fields] = fieldStart
        fields += 1
        fieldStart = used
        state = .fieldStart
    }

    mutating func endRecord(_ body: (CSVRecord) throws -> Void) throws {
        try endField()
        starts[fields] = used
        if skipLine {
            skipLine = false
        } else {
            if records >= limits.maxRecords {
                throw CSVLimits.tooManyRecords(limits.maxRecords, file: path, line: recordLine)
            }
            try body(CSVRecord(index: records, line: recordLine, count: fields, base: bytes, starts: starts))
            records += 1
        }
        used = 0
        fieldStart = 0
        fields = 0
        recordHasContent = false
    }

    mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ body: (CSVRecord) throws -> Void) throws {
        let quote = UInt8(ascii: "\"")
        for b in chunk {
            // Physical lines: CR, LF and CR LF each end one.
            if b == 0x0A {
                if !lastWasCR { line += 1 }
            } else if b == 0x0D {
                line += 1
            }
            let afterCR = lastWasCR
            lastWasCR = b == 0x0D
            switch state {
            case .quoted:
                if b == quote { state = .quoteInQuoted } else { try append(b) }
            case .quoteInQuoted:
                if b == quote {
                    try append(quote)
                    state = .quoted
                    continue
                }
                state = .unquoted
                fallthrough
            case .fieldStart, .unquoted:
                if b == delimiter {
                    recordHasContent = true
                    try endField()
                } else if b == 0x0A || b == 0x0D {
                    if b == 0x0A && afterCR && state == .fieldStart && fields == 0 && !recordHasContent && used == 0 {
                        // The LF of a CR LF that already ended the record.
                        recordLine = line
                        continue
                    }
                    try endRecord(body)
                    recordLine = line
                } else if b == quote && state == .fieldStart {
                    recordHasContent = true
                    quoteLine = line
                    state = .quoted
                } else {
                    recordHasContent = true
                    state = .unquoted
                    try append(b)
                }
            }
        }
    }

    mutating func finish(_ body: (CSVRecord) throws -> Void) throws {
        if state == .quoted {
            throw BieuMauError(.dataError,
                vi: "dấu ngoặc kép mở ở dòng \(quoteLine) không được đóng đến hết tệp. Hãy kiểm tra ô có dấu \" ở dòng này (ô có dấu \" bên trong phải viết \"\").",
                en: "the double quote opened on line \(quoteLine) is never closed. Check the field with \" on that line (a \" inside a field is written \"\").",
                at: SourceLocation(file: path, line: quoteLine))
        }
        if recordHasContent || fields > 0 || used > fieldStart {
            try endRecord(body)
        }
    }
}
