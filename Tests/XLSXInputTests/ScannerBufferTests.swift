import SheetGrid
import Testing
@testable import XLSXInput
@testable import XMLScan

/// The scanner keeps open names and a tag's attributes, and the sheet reader a cell's value and a
/// row's cells, in buffers that start small and grow. Documents past every starting size (deep
/// nesting, long names, many attributes, long values, wide rows), fed in chunks of several sizes,
/// must give the events and cells they hold.
@Suite struct ScannerBufferTests {
    /// Every event as text: `<name a=v ...>`, `</name>`, `"text"`.
    struct Recorder: XMLHandler {
        var events: [String] = []
        mutating func startElement(_ name: XMLBytes, _ a: XMLAttributes) throws {
            var e = "<" + String(decoding: name, as: UTF8.self)
            for k in 0..<a.spans.count {
                let s = a.spans[k]
                e += " " + String(decoding: XMLBytes(start: a.base + s.0, count: s.1 - s.0), as: UTF8.self) + "="
                    + String(decoding: XMLBytes(start: a.base + s.2, count: s.3 - s.2), as: UTF8.self)
            }
            events.append(e + ">")
        }
        mutating func endElement(_ name: XMLBytes) throws { events.append("</" + String(decoding: name, as: UTF8.self) + ">") }
        mutating func text(_ raw: XMLBytes, cdata: Bool) throws {
            // Text may come in pieces: join neighbours.
            let t = String(decoding: raw, as: UTF8.self)
            if let last = events.last, last.hasPrefix("\"") { events[events.count - 1] = String(last.dropLast()) + t + "\"" }
            else { events.append("\"" + t + "\"") }
        }
    }

    static func scan<H: XMLHandler>(_ xml: [UInt8], _ handler: H, chunk: Int, maxDepth: Int = 256) throws -> H {
        var scanner = XMLScanner(handler: handler, maxDepth: maxDepth)
        var i = 0
        while i < xml.count {
            let end = min(xml.count, i + chunk)
            try Array(xml[i..<end]).withUnsafeBytes { try scanner.feed($0) }
            i = end
        }
        try scanner.finish()
        return scanner.handler
    }

    @Test("deep nesting, long names, many attributes: every event, whatever the chunks")
    func growingScannerBuffers() throws {
        var xml = ""
        var expected: [String] = []
        let depth = 100
        var names: [String] = []
        for d in 0..<depth {
            // Names from 1 to ~700 bytes, some with a prefix (the local name is reported).
            let local = "n" + String(repeating: "abcdefg", count: (d * 37) % 100)
            let name = d % 3 == 0 ? "p\(d):" + local : local
            names.append(name)
            let attributeCount = d % 10 == 9 ? 40 : d % 4
            let attributes = (0..<attributeCount).map { k in ("a\(k)", "v\(d)-\(k)") }
            xml += "<" + name + attributes.map { " \($0.0)=\"\($0.1)\"" }.joined() + ">"
            expected.append("<" + local + attributes.map { " \($0.0)=\($0.1)" }.joined() + ">")
            if d % 5 == 0 { xml += "t\(d)"; expected.append("\"t\(d)\"") }
        }
        for d in stride(from: depth - 1, through: 0, by: -1) {
            xml += "</" + names[d] + ">"
            let local = names[d].split(separator: ":").last.map(String.init)!
            expected.append("</" + local + ">")
        }
        let bytes = Array(xml.utf8)
        for chunk in [1, 3, 7, 64, 1000, bytes.count] {
            let recorder = try Self.scan(bytes, Recorder(), chunk: chunk)
            #expect(recorder.events == expected, "chunk \(chunk)")
        }
        // The depth limit and a mismatched end tag deep down are still refused.
        #expect(throws: XMLScanError.depthExceeded(limit: 50)) { _ = try Self.scan(bytes, Recorder(), chunk: 64, maxDepth: 50) }
        let swapped = xml.replacingOccurrences(of: "</" + names[60] + ">", with: "</" + names[60] + "x>")
        #expect(throws: XMLScanError.self) { _ = try Self.scan(Array(swapped.utf8), Recorder(), chunk: 64) }
    }

    @Test("wide rows, long and escaped values, unsorted and repeated columns: the cells they hold")
    func growingSheetBuffers() throws {
        var sheet = "<worksheet><sheetData>"
        var expected: [[Cell]] = []
        for r in 1...6 {
            let width = r * 12  // up to 72 cells in a row
            var cells: [Cell] = []
            sheet += "<row r=\"\(r)\">"
            for c in (0..<width).reversed() {
                let letters = CellReference.columnLetters(c)
                if c % 7 == 3 {
                    // A long string value with entities and an escaped CR.
                    let text = String(repeating: "Chỉ tiêu \(c) & ", count: c % 5 + 1) + "end"
                    let escaped = text.replacingOccurrences(of: "&", with: "&amp;")
                    sheet += "<c r=\"\(letters)\(r)\" t=\"str\"><v>\(escaped)</v></c>"
                    cells.append(Cell(column: c, value: .text(text)))
                } else {
                    let number = String(repeating: "9", count: c % 90 + 1) + ".5"
                    sheet += "<c r=\"\(letters)\(r)\"><v> \(number)\n</v></c>"
                    cells.append(Cell(column: c, value: .number(number)))
                }
            }
            // Column A again: the last one wins.
            sheet += "<c r=\"A\(r)\"><v>\(r)</v></c></row>"
            cells.removeAll { $0.column == 0 }
            cells.append(Cell(column: 0, value: .number("\(r)")))
            expected.append(cells.sorted { $0.column < $1.column })
        }
        sheet += "</sheetData></worksheet>"
        let bytes = Array(sheet.utf8)
        for chunk in [1, 5, 64, 4096, bytes.count] {
            let handler = try Self.scan(bytes, SheetHandler(shared: [], formats: [], date1904: false, maxCells: 10_000, maxBytes: 10_000),
                                        chunk: chunk)
            #expect(handler.ready.map(\.cells) == expected, "chunk \(chunk)")
            #expect(handler.ready.map(\.index) == Array(0..<6))
        }
        // A value longer than the limit is still refused.
        let long = "<worksheet><sheetData><row><c t=\"str\"><v>" + String(repeating: "x", count: 300) + "</v></c></row></sheetData></worksheet>"
        #expect(throws: LimitExceeded.self) {
            _ = try Self.scan(Array(long.utf8), SheetHandler(shared: [], formats: [], date1904: false, maxCells: 10, maxBytes: 200), chunk: 7)
        }
    }
}
