@testable import DOCXInput
import Foundation
import SheetGrid
import Support
import Testing
import TestSupport

/// Word files that are broken or built to do harm are refused with a message naming the file and
/// the limit, quickly and without crashing.
@Suite("hostile and broken Word documents")
struct HostileDocumentTests {
    /// Writes a .docx (a zip with the given document.xml, built by Python's zipfile) and returns its path.
    static func makeDocx(_ name: String, body: String, repeatBody: Int = 1, prefix: String = "", suffix: String = "") throws -> String {
        let dir = TestPaths.temporaryFolder("docx-hostile")
        let path = dir.appendingPathComponent(name).path
        let script = #"""
import sys, zipfile
out, prefix, body, n, suffix = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    with z.open('word/document.xml', 'w', force_zip64=True) as f:
        f.write(('<?xml version="1.0"?><w:document ' + ns + '><w:body>' + prefix).encode())
        chunk = body.encode() * 1000
        left = n
        while left > 0:
            k = min(left, 1000)
            f.write(chunk if k == 1000 else body.encode() * k)
            left -= k
        f.write((suffix + '</w:body></w:document>').encode())
"""#
        let r = try Run.python(script, [path, prefix, body, String(repeatBody), suffix])
        #expect(r.status == 0, "\(r.stderr)")
        return path
    }

    static func refusal(_ path: String, limits: DOCXLimits = .default) -> BieuMauError? {
        TestSupport.refusal { _ = try DOCXDocument(path: path, limits: limits) }
    }

    @Test(.enabled(if: Tools.python("zipfile"), "needs python3"))
    func zipBombIsRefusedEarly() throws {
        // ~180 MB of empty paragraphs that deflate to well under 1 MB.
        let path = try Self.makeDocx("bomb.docx", body: "<w:p/>", repeatBody: 30_000_000)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size < 2_000_000)
        let started = Date()
        let e = try #require(Self.refusal(path))
        #expect(Date().timeIntervalSince(started) < 120, "a hang guard, not a speed target")
        #expect(e.status == .dataError)
        #expect(e.message.vi.contains("bom zip"))
        #expect(e.location?.file == path)
    }

    @Test(.enabled(if: Tools.python("zipfile"), "needs python3"))
    func deeplyNestedTablesAreRefused() throws {
        let open = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p>"
        let close = "</w:tc></w:tr></w:tbl>"
        let path = try Self.makeDocx("nested.docx", body: "", repeatBody: 0,
                                     prefix: String(repeating: open, count: 40), suffix: String(repeating: close, count: 40))
        let e = try #require(Self.refusal(path))
        #expect(e.status == .dataError)
        #expect(e.message.vi.contains("bảng lồng trong bảng quá 8 tầng"))
        #expect(e.message.en.contains("tables are nested more than 8 deep"))
        // Far deeper nesting stops at the XML depth bound instead, with a message too.
        let deeper = try Self.makeDocx("nested-deep.docx", body: "", repeatBody: 0,
                                       prefix: String(repeating: "<w:sdt><w:sdtContent>", count: 5000),
                                       suffix: String(repeating: "</w:sdtContent></w:sdt>", count: 5000))
        let e2 = try #require(Self.refusal(deeper))
        #expect(e2.message.vi.contains("lồng nhau quá"))
    }

    @Test(.enabled(if: Tools.python("zipfile"), "needs python3"))
    func nestedTablesWithinTheLimitBecomeLinesOfTheirCell() throws {
        let inner = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        let outer = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>ngoài</w:t></w:r></w:p>\(inner)<w:p/></w:tc><w:tc><w:p><w:r><w:t>5</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        let path = try Self.makeDocx("nested-ok.docx", body: outer)
        let doc = try DOCXDocument(path: path)
        #expect(doc.tables.count == 1)
        #expect(doc.tables[0].rows[0].cells.map(\.text) == ["ngoài\na\tb", "5"])
    }

    @Test(.enabled(if: Tools.python("zipfile"), "needs python3"))
    func hugeDocumentsStopAtTheLimits() throws {
        let path = try Self.makeDocx("many.docx", body: "<w:p><w:r><w:t>Dòng</w:t></w:r></w:p>", repeatBody: 20_000)
        var limits = DOCXLimits()
        limits.maxBlocks = 10_000
        let e = try #require(Self.refusal(path, limits: limits))
        #expect(e.message.vi.contains("hơn 10000 đoạn văn và ô bảng"))
        limits = DOCXLimits()
        limits.maxTextBytes = 50_000
        let e2 = try #require(Self.refusal(path, limits: limits))
        #expect(e2.message.en.contains("more than 50000 bytes of text"))
        // Within the default limits the same file reads.
        #expect(try DOCXDocument(path: path).paragraphs.count == 20_000)
    }

    @Test(.enabled(if: Tools.python("zipfile"), "needs python3"))
    func brokenXMLAndDTDsAreRefused() throws {
        let broken = try Self.makeDocx("broken.docx", body: "<w:p><w:r><w:t>x</w:r></w:p>")
        let e = try #require(Self.refusal(broken))
        #expect(e.message.vi.contains("không phải XML hợp lệ"))
        #expect(e.message.vi.contains("word/document.xml"))
        let dtd = try Self.makeDocx("dtd.docx", body: "", prefix: "<!DOCTYPE x [<!ENTITY a \"b\">]>")
        let e2 = try #require(Self.refusal(dtd))
        #expect(e2.message.en.contains("DTD/ENTITY"))
    }

    @Test func notAZipAndMissingPartsAreExplained() throws {
        let dir = TestPaths.temporaryFolder("docx-hostile")
        let text = dir.appendingPathComponent("text.docx").path
        try Data("STT,Chỉ tiêu\n".utf8).write(to: URL(fileURLWithPath: text))
        let e = try #require(Self.refusal(text))
        #expect(e.status == .dataError)
        #expect(e.message.vi.contains(".docx"))
    }

    @Test func word97DocumentsAreRecognisedAndRefusedWithAdvice() throws {
        // A compound-file header, then a directory entry named "WordDocument" (UTF-16LE).
        var bytes: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504)
        var entry = Array("WordDocument".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        entry += Array(repeating: 0, count: 128 - entry.count)
        bytes += entry
        #expect(LegacyWordDocument.isWordDocument(bytes: bytes))
        #expect(!LegacyWordDocument.isWordDocument(bytes: Array(bytes.prefix(512)) + Array(repeating: 0, count: 128)))
        let e = LegacyWordDocument.refusal(file: "bao-cao.doc")
        #expect(e.status == .dataError)
        #expect(e.message.vi.contains("lưu lại dưới dạng .docx"))
        #expect(e.text(.en).hasPrefix("bao-cao.doc: "))
    }
}

/// Runs typed in legacy Vietnamese fonts, as Word stores them (the Windows-1252 reading of the
/// typed bytes), written by python-docx.
@Suite("Word text in TCVN3 and VNI fonts")
struct LegacyFontDocumentTests {
    static let script = #"""
import sys, docx
d = docx.Document()
p = d.add_paragraph()
r = p.add_run("Sè v¨n b¶n chØ ®¹o"); r.font.name = ".VnTime"
p.add_run(" / Unicode: số")
h = d.add_paragraph().add_run("biÓu thèng k£"); h.font.name = ".VnTimeH"
v = d.add_paragraph().add_run("Xin chaøo caùc baïn"); v.font.name = "VNI-Times"
t = d.add_table(rows=1, cols=2)
c = t.cell(0, 0).paragraphs[0].add_run("Tæng sè"); c.font.name = ".VnArial"
t.cell(0, 1).paragraphs[0].add_run("Tổng số")
d.save(sys.argv[1])
"""#

    @Test(.enabled(if: Tools.python("docx"), "needs python3 with python-docx"))
    func legacyFontRunsAreConvertedAndReported() throws {
        let path = TestPaths.temporaryFolder("docx-legacy").appendingPathComponent("vntime.docx").path
        let r = try Run.python(Self.script, [path])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try DOCXDocument(path: path)
        #expect(doc.paragraphs.map(\.text) == ["Số văn bản chỉ đạo / Unicode: số", "BIỂU THỐNG KÊ", "Xin chào các bạn"])
        #expect(doc.tables[0].rows[0].cells.map(\.text) == ["Tổng số", "Tổng số"])
        #expect(doc.notices.count == 2)
        #expect(doc.notices.contains { $0.vi.contains("TCVN3") })
        #expect(doc.notices.contains { $0.en.contains("VNI") })
    }

    @Test func bodyXMLWithoutLegacyFontsHasNoNotice() throws {
        let xml = Array(#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Sè v¨n</w:t></w:r></w:p></w:body></w:document>"#.utf8)
        let doc = try xml.withUnsafeBytes { try DOCXDocument(documentXML: $0, path: "x.docx") }
        // Without a .Vn font the text is kept as stored.
        #expect(doc.paragraphs.map(\.text) == ["Sè v¨n"])
        #expect(doc.notices.isEmpty)
    }
}
