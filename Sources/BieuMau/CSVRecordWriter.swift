import Foundation
import Support

/// RFC 4180 output through a large buffer.
struct CSVRecordWriter {
    let file: UnsafeMutablePointer<FILE>
    let path: String
    /// Keep fields that look like formulas as they are (`--raw-values`, for scripts); by default
    /// they get a leading `'` so a spreadsheet opening the CSV shows them as text (SafeText.csvField).
    let rawValues: Bool
    private var buffer: [UInt8] = []

    init(file: UnsafeMutablePointer<FILE>, path: String, rawValues: Bool = false) {
        self.file = file
        self.path = path
        self.rawValues = rawValues
        buffer.reserveCapacity(1 << 17)
    }

    mutating func separator() { buffer.append(UInt8(ascii: ",")) }

    mutating func field(_ text: String) {
        var text = text
        if !rawValues, let f = text.utf8.first,
           f == UInt8(ascii: "=") || f == UInt8(ascii: "+") || f == UInt8(ascii: "-") || f == UInt8(ascii: "@") || f == 0x09 || f == 0x0D {
            text = SafeText.csvField(text)
        }
        text.withUTF8 { bytes in
            var needsQuotes = false
            for u in bytes where u == UInt8(ascii: ",") || u == UInt8(ascii: "\"") || u == 0x0A || u == 0x0D {
                needsQuotes = true
                break
            }
            if !needsQuotes {
                buffer.append(contentsOf: bytes)
                return
            }
            buffer.append(UInt8(ascii: "\""))
            for u in bytes {
                if u == UInt8(ascii: "\"") { buffer.append(u) }
                buffer.append(u)
            }
            buffer.append(UInt8(ascii: "\""))
        }
    }

    /// Pads the record to `width` fields and ends it with CRLF.
    mutating func endRecord(fieldsSoFar: Int, width: Int) {
        var n = max(fieldsSoFar, 1)
        while n < width { buffer.append(UInt8(ascii: ",")); n += 1 }
        buffer.append(0x0D)
        buffer.append(0x0A)
    }

    mutating func flushIfFull() throws {
        if buffer.count >= 1 << 16 { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        if written != buffer.count {
            throw BieuMauError(.cannotCreate, vi: "Không ghi được \(path) (đĩa đầy?).", en: "Cannot write \(path) (disk full?).")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func close() throws {
        try flush()
        if fclose(file) != 0 {
            throw BieuMauError(.cannotCreate, vi: "Không ghi được \(path).", en: "Cannot write \(path).")
        }
    }
}

/// A plain decimal number as written by programs: `-12`, `3.5`, `0.25`; no sign `+`, no grouping,
/// no leading zeros (`03` stays text), no exponent, at most 15 significant digits (what a double
/// holds exactly, so the workbook shows what the CSV said).
enum PlainNumber {
    static func isPlain(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        var i = 0
        if i < n && b[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        while i < n && b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
        let intDigits = i - intStart
        if intDigits == 0 { return false }
        if intDigits > 1 && b[intStart] == 0x30 { return false }
        var fracDigits = 0
        if i < n && b[i] == UInt8(ascii: ".") {
            i += 1
            let fracStart = i
            while i < n && b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
            fracDigits = i - fracStart
            if fracDigits == 0 { return false }
        }
        if i != n { return false }
        // Significant digits: leading zeros of "0.000123" do not count.
        var significant = intDigits + fracDigits
        if b[intStart] == 0x30 {
            significant -= 1
            var k = intStart + 2
            while k < n && b[k] == 0x30 { significant -= 1; k += 1 }
        }
        return significant <= 15
    }
}
