import ArgumentParser
import BieuMau
import CSVInput
import Foundation
import SheetGrid
import Support
import XLSXInput
import XlsxWriterWrapper

struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Chép một trang tính giữa .xlsx và CSV (hai chiều), hoặc liệt kê các trang tính. / Copy one sheet between .xlsx and CSV (either way), or list sheets.",
        discussion: """
        .xlsx → CSV: CSV theo RFC 4180 (UTF-8, CRLF, chỉ đặt trong ngoặc kép khi cần); ngày theo ISO 8601; số giữ \
        nguyên như lưu trong tệp; ô lỗi ghi mã lỗi (#DIV/0!). / RFC 4180 CSV (UTF-8, CRLF, quoted only when needed); \
        dates ISO 8601; numbers exactly as stored; error cells as their code.

        CSV (.csv, .tsv, .txt) → .xlsx (cần -o): đọc và ghi từng dòng, bộ nhớ không tăng theo cỡ tệp. Ô là số thập \
        phân đơn giản (-12, 3.5; không dấu phân nhóm, không số 0 đứng đầu, tối đa 15 chữ số) được ghi là số, mọi ô \
        khác (03, mã số, 1.234,5) là chữ. / CSV → .xlsx (needs -o), streamed with flat memory. A field that is a plain \
        decimal number (-12, 3.5; no grouping, no leading zeros, at most 15 digits) becomes a number; everything else \
        (03, codes, 1.234,5) stays text.
        """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Tệp .xlsx hoặc CSV đầu vào. / Input .xlsx or CSV file.")
    var input: String

    @Flag(name: .long, help: "CSV: giữ nguyên ô bắt đầu bằng = + - @ (mặc định thêm ' để Excel không tính như công thức). / CSV: keep fields starting with = + - @ as they are (by default a ' is added so that spreadsheets do not evaluate them).")
    var rawValues = false

    @Option(name: .long, help: "Tên hoặc số thứ tự (từ 1) của trang tính; mặc định trang hiển thị đầu tiên. Với CSV → .xlsx: tên trang tính ghi ra. / Sheet name or 1-based index; for CSV → .xlsx the name of the sheet written.")
    var sheet: String?

    @Option(name: .long, help: "Dấu phân cách của CSV đầu vào (mặc định tự nhận). / Delimiter of a CSV input (detected by default).")
    var delimiter: String?

    @Option(name: [.short, .customLong("output")], help: "Tệp CSV kết quả; '-' hoặc bỏ trống là stdout. / Output CSV ('-' = stdout).")
    var output: String?

    @Flag(name: .long, help: "Ghi đè tệp kết quả đã có. / Overwrite an existing output.")
    var force = false

    @Flag(name: .long, help: "Chỉ liệt kê các trang tính. / List the sheets only.")
    var list = false

    func run() throws {
        common.apply()
        if Self.isCSVPath(input) {
            try csvToXLSX()
            return
        }
        if let out = output, out != "-" {
            // Refuse early, before reading anything, when the output exists.
            try AtomicOutput.checkWritable(out, force: force, inputs: [input])
        }
        let format = try InputFormat.sniff(path: input)
        if format != .xlsx && format != .csv {
            // .ods, .xls…: through the library's reader entry point (the sheet in memory; an
            // .xlsx streams below, and text named otherwise than .csv is explained there).
            try dumpDocument(try AppendixReader.openSheets(path: input).document)
            return
        }
        let workbook = try XLSXWorkbook(path: input)
        if list {
            var lines = ["index\tname\tstate\tkind"]
            for s in workbook.sheets {
                lines.append("\(s.index)\t\(s.name)\t\(s.state.rawValue)\t\(s.kind)")
            }
            try emit(lines.joined(separator: "\n") + "\n")
            return
        }
        let target = try sheet.map { try workbook.sheet($0) } ?? workbook.firstSheet
        // Pad records to the declared width so that CSV readers see a rectangle; a declared width
        // beyond 1024 columns (producers write A1:XFD1048576) is not trusted.
        let declared = workbook.declaredDimension(of: target).map { $0.lastColumn + 1 } ?? 0
        let width = declared <= 1024 ? declared : 0
        if let out = output, out != "-" {
            try AtomicOutput.write(to: out, force: force, inputs: [input]) { tmp in
                guard let file = fopen(tmp, "wb") else {
                    throw BieuMauError(.cannotCreate, vi: "Không tạo được tệp \(out).", en: "Cannot create \(out).")
                }
                var writer = CSVWriter(file: file, path: out, rawValues: rawValues)
                do {
                    try writeRows(workbook, target, width: width, to: &writer)
                    try writer.close()
                } catch {
                    _ = try? writer.close()
                    throw error
                }
            }
        } else {
            guard let out = fdopen(dup(STDOUT_FILENO), "wb") else {
                throw BieuMauError(.cannotCreate, vi: "Không ghi được stdout.", en: "Cannot write to stdout.")
            }
            var writer = CSVWriter(file: out, path: "stdout", rawValues: rawValues)
            try writeRows(workbook, target, width: width, to: &writer)
            try writer.close()
        }
    }

    /// Lists the sheets of any document, or writes one sheet's grid as CSV.
    private func dumpDocument(_ document: any SheetDocument) throws {
        let entries = document.sheetEntries
        if list {
            var lines = ["index\tname\tstate\tkind"]
            for (i, s) in entries.enumerated() {
                lines.append("\(i + 1)\t\(s.name)\t\(s.isHidden ? "hidden" : "visible")\tworksheet")
            }
            try emit(lines.joined(separator: "\n") + "\n")
            return
        }
        let index: Int
        if let sheet {
            let wanted = TextNormalization.nfc(sheet).lowercased()
            if let i = entries.firstIndex(where: { $0.name == sheet || TextNormalization.nfc($0.name).lowercased() == wanted }) {
                index = i
            } else if let n = Int(sheet), n >= 1, n <= entries.count {
                index = n - 1
            } else {
                let names = entries.enumerated().map { "\($0.offset + 1). \($0.element.name)" }.joined(separator: "; ")
                throw BieuMauError(.dataError,
                    vi: "Không có trang tính '\(sheet)'. Các trang tính: \(names). Hãy dùng --sheet với tên hoặc số thứ tự (từ 1).",
                    en: "There is no sheet '\(sheet)'. Sheets: \(names). Use --sheet with a name or a 1-based number.",
                    at: SourceLocation(file: input))
            }
        } else {
            index = entries.firstIndex(where: { !$0.isHidden }) ?? 0
        }
        let grid = try document.grid(ofSheet: index)
        let widest = grid.rows.map { ($0.cells.last?.column ?? -1) + 1 }.max() ?? 0
        let width = widest <= 1024 ? widest : 0
        func write(_ writer: inout CSVWriter) throws {
            var nextRow = 0
            for row in grid.rows where row.index >= nextRow {
                while nextRow < row.index {
                    writer.endRecord(fieldsSoFar: 0, width: width)
                    nextRow += 1
                    try writer.flushIfFull()
                }
                var column = 0
                for cell in row.cells {
                    while column < cell.column {
                        if column > 0 { writer.separator() }
                        column += 1
                    }
                    if column > 0 { writer.separator() }
                    writer.field(cell.value.plainText)
                    column += 1
                }
                writer.endRecord(fieldsSoFar: column, width: width)
                nextRow = row.index + 1
                try writer.flushIfFull()
            }
        }
        if let out = output, out != "-" {
            try AtomicOutput.write(to: out, force: force, inputs: [input]) { tmp in
                guard let file = fopen(tmp, "wb") else {
                    throw BieuMauError(.cannotCreate, vi: "Không tạo được tệp \(out).", en: "Cannot create \(out).")
                }
                var writer = CSVWriter(file: file, path: out, rawValues: rawValues)
                do {
                    try write(&writer)
                    try writer.close()
                } catch {
                    _ = try? writer.close()
                    throw error
                }
            }
        } else {
            guard let out = fdopen(dup(STDOUT_FILENO), "wb") else {
                throw BieuMauError(.cannotCreate, vi: "Không ghi được stdout.", en: "Cannot write to stdout.")
            }
            var writer = CSVWriter(file: out, path: "stdout", rawValues: rawValues)
            try write(&writer)
            try writer.close()
        }
    }

    private func emit(_ text: String) throws {
        if let out = output, out != "-" {
            try AtomicOutput.write(Data(text.utf8), to: out, force: force, inputs: [input])
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    private func writeRows(_ workbook: XLSXWorkbook, _ sheet: SheetInfo, width: Int, to writer: inout CSVWriter) throws {
        var nextRow = 0
        try workbook.forEachRow(in: sheet) { row in
            // Rows absent from the file are written as empty records, so line N is sheet row N.
            while nextRow < row.index {
                writer.endRecord(fieldsSoFar: 0, width: width)
                nextRow += 1
                try writer.flushIfFull()
            }
            guard row.index >= nextRow else { return } // rows out of order: keep the first
            var column = 0
            for cell in row.cells {
                while column < cell.column {
                    if column > 0 { writer.separator() }
                    column += 1
                }
                if column > 0 { writer.separator() }
                writer.field(cell.value.plainText)
                column += 1
            }
            writer.endRecord(fieldsSoFar: column, width: width)
            nextRow = row.index + 1
            try writer.flushIfFull()
        }
    }
}

/// RFC 4180 output through a large buffer.
struct CSVWriter {
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

// MARK: - CSV → XLSX

extension DumpCommand {
    static func isCSVPath(_ path: String) -> Bool {
        ["csv", "tsv", "txt"].contains((path as NSString).pathExtension.lowercased())
    }

    /// Streams a CSV into one sheet of a new workbook (libxlsxwriter constant-memory mode).
    func csvToXLSX() throws {
        if list {
            let name = sheetName()
            Console.say("index\tname\tstate\tkind\n1\t\(name)\tvisible\tcsv")
            return
        }
        guard let out = output, out != "-" else {
            throw BieuMauError(.usage,
                vi: "chép CSV sang .xlsx cần tệp kết quả: -o TỆP.xlsx (không ghi bảng tính ra stdout).",
                en: "copying a CSV to .xlsx needs an output file: -o FILE.xlsx (a workbook is not written to stdout).")
        }
        guard (out as NSString).pathExtension.lowercased() == "xlsx" else {
            throw BieuMauError(.usage, vi: "tệp kết quả \(out) phải có đuôi .xlsx.", en: "the output \(out) must end in .xlsx.")
        }
        var delim: Character? = nil
        if let d = delimiter {
            let named: [String: Character] = ["tab": "\t", "\\t": "\t", ",": ",", ";": ";", "|": "|"]
            guard let c = named[d.lowercased()] ?? (d.count == 1 ? d.first : nil) else {
                throw BieuMauError(.usage, vi: "dấu phân cách \"\(d)\" không hợp lệ: dùng , ; | hoặc tab.",
                                   en: "the delimiter \"\(d)\" is not valid: use , ; | or tab.")
            }
            delim = c
        }
        // Refuse early, before reading, when the output exists.
        try AtomicOutput.checkWritable(out, force: force, inputs: [input])
        let reader = try CSVStreamReader(file: input, delimiter: delim)
        let name = sheetName()
        let (rows, cells) = try AtomicOutput.write(to: out, force: force, inputs: [input]) { tmp in
            let workbook = try XlsxWorkbook(path: tmp, constantMemory: true)
            let sheet = try workbook.addWorksheet(name: name)
            let counts = try Self.copy(reader, into: sheet)
            try workbook.close()
            return counts
        }
        Console.say(Console.text(
            "Đã ghi \(out): trang tính '\(name)', \(rows) dòng, \(cells) ô (CSV \(reader.encoding.rawValue), dấu phân cách \(Self.describe(reader.delimiter))).",
            "Wrote \(out): sheet '\(name)', \(rows) rows, \(cells) cells (CSV \(reader.encoding.rawValue), delimiter \(Self.describe(reader.delimiter)))."))
    }

    static func describe(_ d: Character) -> String { d == "\t" ? "tab" : "'\(d)'" }

    /// `--sheet`, else the input's file name without extension, made a valid sheet name.
    func sheetName() -> String {
        var base = sheet ?? ((input as NSString).lastPathComponent as NSString).deletingPathExtension
        base = TextNormalization.nfc(base)
        base = String(base.map { "[]:*?/\\".contains($0) ? "_" : $0 })
        base = base.trimmingCharacters(in: CharacterSet(charactersIn: "' "))
        if base.count > 31 { base = String(base.prefix(31)) }
        return base.isEmpty ? "Sheet1" : base
    }

    /// Writes every record as one row; returns (rows, non-empty cells).
    static func copy(_ reader: CSVStreamReader, into sheet: XlsxWorksheet) throws -> (Int, Int) {
        var rows = 0
        var cells = 0
        let maxCellChars = 32_767
        try reader.forEachRecord { record in
            if record.index >= XlsxWorksheet.maxRows {
                throw BieuMauError(.dataError,
                    vi: "tệp có hơn \(XlsxWorksheet.maxRows) dòng, quá số dòng của một trang tính Excel. Hãy chia nhỏ tệp.",
                    en: "the file has more than \(XlsxWorksheet.maxRows) records, more than an Excel sheet holds. Split the file.",
                    at: SourceLocation(file: reader.path, line: record.line))
            }
            if record.count > XlsxWorksheet.maxColumns {
                throw BieuMauError(.dataError,
                    vi: "dòng có \(record.count) cột, quá \(XlsxWorksheet.maxColumns) cột của một trang tính Excel.",
                    en: "the record has \(record.count) fields, more than the \(XlsxWorksheet.maxColumns) columns of an Excel sheet.",
                    at: SourceLocation(file: reader.path, line: record.line))
            }
            rows = record.index + 1
            for i in 0..<record.count {
                let bytes = record.field(i)
                if bytes.isEmpty { continue }
                cells += 1
                if PlainNumber.isPlain(bytes) {
                    try sheet.writeNumber(row: record.index, col: i, strtod(record.cString(i), nil))
                    continue
                }
                if bytes.count > maxCellChars {
                    var chars = 0
                    for b in bytes where b & 0xC0 != 0x80 { chars += 1 }
                    if chars > maxCellChars {
                        throw BieuMauError(.dataError,
                            vi: "ô có \(chars) ký tự, quá \(maxCellChars) ký tự của một ô Excel.",
                            en: "the field has \(chars) characters, more than the \(maxCellChars) an Excel cell holds.",
                            at: SourceLocation(file: reader.path, line: record.line, column: i + 1))
                    }
                }
                if CSVRecord.isSurelyNFC(bytes) {
                    try sheet.writeString(row: record.index, col: i, nfcCString: record.cString(i))
                } else {
                    try sheet.writeString(row: record.index, col: i, record.string(i))
                }
            }
        }
        return (rows, cells)
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
