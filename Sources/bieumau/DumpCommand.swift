import ArgumentParser
import Foundation
import SheetGrid
import Support
import XLSXInput

struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Xuất một trang tính .xlsx ra CSV, hoặc liệt kê các trang tính. / Dump an .xlsx sheet as CSV, or list sheets.",
        discussion: """
        CSV theo RFC 4180 (UTF-8, CRLF, chỉ đặt trong ngoặc kép khi cần); ngày theo ISO 8601; số giữ nguyên như \
        lưu trong tệp; ô lỗi ghi mã lỗi (#DIV/0!). / RFC 4180 CSV (UTF-8, CRLF, quoted only when needed); dates \
        ISO 8601; numbers exactly as stored; error cells as their code.
        """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Tệp .xlsx đầu vào. / Input .xlsx file.")
    var input: String

    @Option(name: .long, help: "Tên hoặc số thứ tự (từ 1) của trang tính; mặc định trang hiển thị đầu tiên. / Sheet name or 1-based index.")
    var sheet: String?

    @Option(name: [.short, .customLong("output")], help: "Tệp CSV kết quả; '-' hoặc bỏ trống là stdout. / Output CSV ('-' = stdout).")
    var output: String?

    @Flag(name: .long, help: "Ghi đè tệp kết quả đã có. / Overwrite an existing output.")
    var force = false

    @Flag(name: .long, help: "Chỉ liệt kê các trang tính. / List the sheets only.")
    var list = false

    func run() throws {
        common.apply()
        if let out = output, out != "-" {
            // Refuse early, before reading anything, when the output exists.
            try AtomicOutput.checkWritable(out, force: force)
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
            try AtomicOutput.write(to: out, force: force) { tmp in
                guard let file = fopen(tmp, "wb") else {
                    throw BieuMauError(.cannotCreate, vi: "Không tạo được tệp \(out).", en: "Cannot create \(out).")
                }
                var writer = CSVWriter(file: file, path: out)
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
            var writer = CSVWriter(file: out, path: "stdout")
            try writeRows(workbook, target, width: width, to: &writer)
            try writer.close()
        }
    }

    private func emit(_ text: String) throws {
        if let out = output, out != "-" {
            try AtomicOutput.write(Data(text.utf8), to: out, force: force)
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
    private var buffer: [UInt8] = []

    init(file: UnsafeMutablePointer<FILE>, path: String) {
        self.file = file
        self.path = path
        buffer.reserveCapacity(1 << 17)
    }

    mutating func separator() { buffer.append(UInt8(ascii: ",")) }

    mutating func field(_ text: String) {
        var text = text
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
