import Foundation
import TestSupport

/// Builds small zip packages in memory (stored entries, no compression), so fixtures are made by
/// code next to the tests that use them.
enum ZipBuilder {
    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func le16(_ v: Int, _ out: inout [UInt8]) { out += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    static func le32(_ v: UInt32, _ out: inout [UInt8]) {
        out += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
    }

    /// `encrypted` entries get the "traditional PKWARE encryption" flag (their data is not encrypted).
    static func zip(_ entries: [(String, [UInt8])], corruptCRCOf: String? = nil, encrypted: Set<String> = []) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for (name, data) in entries {
            let nameBytes = Array(name.utf8)
            var crc = crc32(data)
            if name == corruptCRCOf { crc ^= 0xDEAD_BEEF }
            let offset = UInt32(out.count)
            let flags = encrypted.contains(name) ? 0x0801 : 0x0800
            le32(0x0403_4B50, &out); le16(20, &out); le16(flags, &out); le16(0, &out); le16(0, &out); le16(0x21, &out)
            le32(crc, &out); le32(UInt32(data.count), &out); le32(UInt32(data.count), &out)
            le16(nameBytes.count, &out); le16(0, &out)
            out += nameBytes
            out += data
            le32(0x0201_4B50, &central); le16(20, &central); le16(20, &central); le16(flags, &central); le16(0, &central)
            le16(0, &central); le16(0x21, &central)
            le32(crc, &central); le32(UInt32(data.count), &central); le32(UInt32(data.count), &central)
            le16(nameBytes.count, &central); le16(0, &central); le16(0, &central); le16(0, &central); le16(0, &central)
            le32(0, &central); le32(offset, &central)
            central += nameBytes
        }
        let cdOffset = UInt32(out.count)
        out += central
        le32(0x0605_4B50, &out); le16(0, &out); le16(0, &out); le16(entries.count, &out); le16(entries.count, &out)
        le32(UInt32(central.count), &out); le32(cdOffset, &out); le16(0, &out)
        return out
    }
}

/// The parts of a small workbook, each replaceable by a test.
struct WorkbookFixture {
    static let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    var contentTypes = """
    <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
    <Default Extension="xml" ContentType="application/xml"/>\
    <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>
    """
    var rootRels = """
    <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>
    """
    var workbook = """
    <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="\(ns)" xmlns:r="\(relNS)"><workbookPr/>\
    <sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>
    """
    var workbookRels = """
    <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
    <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
    <Relationship Id="rId9" Type="http://example.com/unknown/relationship" Target="nowhere.xml"/></Relationships>
    """
    var sharedStrings: String? = nil
    var styles: String? = nil
    var customProperties: String? = nil
    /// Worksheet parts by path inside the package.
    var sheets: [String: String] = [:]
    /// Extra or replacement raw parts.
    var extra: [(String, [UInt8])] = []
    var omit: Set<String> = []

    init(sheetData: String, after: String = "") {
        sheets["xl/worksheets/sheet1.xml"] = """
        <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="\(Self.ns)"><sheetData>\(sheetData)</sheetData>\(after)</worksheet>
        """
    }

    func bytes(corruptCRCOf: String? = nil, encrypted: Set<String> = []) -> [UInt8] {
        ZipBuilder.zip(parts(), corruptCRCOf: corruptCRCOf, encrypted: encrypted)
    }

    /// The package's parts, in the order `bytes` stores them.
    func parts() -> [(String, [UInt8])] {
        var parts: [(String, [UInt8])] = [
            ("[Content_Types].xml", Array(contentTypes.utf8)),
            ("_rels/.rels", Array(rootRels.utf8)),
            ("xl/workbook.xml", Array(workbook.utf8)),
            ("xl/_rels/workbook.xml.rels", Array(workbookRels.utf8)),
        ]
        if let sharedStrings { parts.append(("xl/sharedStrings.xml", Array(sharedStrings.utf8))) }
        if let styles { parts.append(("xl/styles.xml", Array(styles.utf8))) }
        if let customProperties { parts.append(("docProps/custom.xml", Array(customProperties.utf8))) }
        for (k, v) in sheets.sorted(by: { $0.key < $1.key }) { parts.append((k, Array(v.utf8))) }
        parts = parts.filter { !omit.contains($0.0) }
        let extraNames = Set(extra.map(\.0))
        return parts.filter { !extraNames.contains($0.0) } + extra
    }

    /// Writes the package to a fresh temporary file and returns its path.
    func write(_ name: String = "fixture.xlsx", corruptCRCOf: String? = nil) throws -> String {
        let url = TestPaths.temporaryFolder("xlsx").appendingPathComponent(name)
        try Data(bytes(corruptCRCOf: corruptCRCOf)).write(to: url)
        return url.path
    }
}

func writeTemp(_ bytes: [UInt8], name: String) throws -> String {
    let url = TestPaths.temporaryFolder("xlsx").appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}
