import Foundation
import Support
import XlsxWriterWrapper
import ZipWrapper

/// Issue #10.2: any text handed to the workbook writer (cells, sheet names, links, comments,
/// chart, document and custom properties) gives a package whose XML holds no character XML 1.0
/// refuses; SafeText's other faces hold their promises on the same text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)

    let xml = SafeText.xml(text)
    precondition(!xml.unicodeScalars.contains { SafeText.isXMLIllegal($0.value) }, "xml() left an illegal character")
    precondition(SafeText.xml(xml) == xml, "xml() is not idempotent")
    let shown = SafeText.terminal(text)
    precondition(!shown.unicodeScalars.contains { SafeText.isTerminalControl($0.value) }, "terminal() left a control")
    let field = SafeText.csvField(text)
    precondition(!SafeText.isFormulaLike(field) || field.hasPrefix("'"), "csvField() left a formula")
    _ = SafeText.excerpt(text, limit: 10)

    let path = "/tmp/bieumau-fuzz-writer-\(getpid()).xlsx"
    defer { unlink(path) }
    do {
        let wb = try XlsxWorkbook(path: path)
        let name = String(text.prefix(20)).filter { !"[]:*?/\\'".contains($0) }
        let ws: XlsxWorksheet
        if let named = try? wb.addWorksheet(name: name.isEmpty ? "S" : name) { ws = named } else { ws = try wb.addWorksheet(name: "S") }
        try ws.writeString(row: 0, col: 0, String(text.prefix(30_000)))
        text.withCString { try? ws.writeString(row: 1, col: 0, nfcCString: $0) }
        try? ws.writeURL(row: 2, col: 0, "internal:'\(ws.name)'!A1", text: String(text.prefix(200)), tooltip: String(text.prefix(200)))
        try? ws.writeComment(row: 3, col: 0, String(text.prefix(1000)), author: String(text.prefix(50)))
        try? wb.setProperties(title: text, subject: text, author: text, company: text, comments: text)
        try? wb.setCustomProperty(name: "bieumau.unit", string: String(text.prefix(200)))
        try? ws.insertChart(row: 5, col: 2, ChartSpec(title: String(text.prefix(100)), series: [
            ChartSeries(name: String(text.prefix(50)),
                        categories: ChartRange(sheet: ws.name, firstRow: 0, firstCol: 0, lastRow: 3, lastCol: 0),
                        values: ChartRange(sheet: ws.name, firstRow: 0, firstCol: 1, lastRow: 3, lastCol: 1))]))
        try wb.close()
    } catch {
        return 0   // refusing a name is fine; writing a broken package is not
    }
    guard let zip = try? ZipArchive(path: path) else { preconditionFailure("the writer made a file that is not a zip") }
    for entry in zip.entries where entry.name.hasSuffix(".xml") || entry.name.hasSuffix(".rels") {
        var bytes: [UInt8] = []
        try? zip.read(entry) { chunk in bytes.append(contentsOf: chunk); return true }
        let s = String(decoding: bytes, as: UTF8.self)
        precondition(!s.unicodeScalars.contains { SafeText.isXMLIllegal($0.value) }, "XML-illegal character in \(entry.name)")
    }
    return 0
}
