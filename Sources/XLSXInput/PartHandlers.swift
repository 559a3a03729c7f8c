import Support
import SheetGrid
import VietnameseText
import XMLScan

/// One `<Relationship>` of a `.rels` part.
struct Relationship: Sendable, Hashable {
    var id: String
    /// The last path component of the type URI (`officeDocument`, `worksheet`, `styles`...), the
    /// same in Transitional and Strict OOXML.
    var kind: String
    var target: String
    var external: Bool
}

struct RelationshipsHandler: XMLHandler {
    var relationships: [Relationship] = []

    mutating func startElement(_ name: XMLBytes, _ a: XMLAttributes) throws {
        guard name.equals("Relationship") else { return }
        // The relationship kind is the Type URI's last path segment (bytes: `split` on a String is
        // costly and this runs for every relationship of every file).
        var kind = ""
        if let raw = a.raw("Type") {
            var start = raw.count
            while start > 0 && raw[start - 1] != UInt8(ascii: "/") { start -= 1 }
            let last = XMLBytes(rebasing: raw[start...])
            if last.firstIndex(of: UInt8(ascii: "&")) == nil {
                kind = String(decoding: last, as: UTF8.self)
            } else {
                let type = try a.string("Type") ?? ""
                kind = type.split(separator: "/").last.map(String.init) ?? ""
            }
        }
        relationships.append(Relationship(
            id: try a.string("Id") ?? "", kind: kind, target: try a.string("Target") ?? "",
            external: (try a.string("TargetMode"))?.lowercased() == "external"))
    }
    mutating func endElement(_ name: XMLBytes) throws {}
    mutating func text(_ raw: XMLBytes, cdata: Bool) throws {}
}

struct ContentTypesHandler: XMLHandler {
    /// Override part names whose content type is a workbook main part.
    var workbookParts: [String] = []

    mutating func startElement(_ name: XMLBytes, _ a: XMLAttributes) throws {
        guard name.equals("Override"), let type = try a.string("ContentType"),
              type.hasSuffix(".main+xml"), type.contains("spreadsheetml") || type.contains("ms-excel"),
              let part = try a.string("PartName") else { return }
        workbookParts.append(part)
    }
    mutating func endElement(_ name: XMLBytes) throws {}
    mutating func text(_ raw: XMLBytes, cdata: Bool) throws {}
}

/// Sheet visibility as stored in workbook.xml.
public enum SheetState: String, Sendable, Hashable {
    case visible, hidden, veryHidden
}

public struct DefinedName: Sendable, Hashable {
    public var name: String
    public var formula: String
    /// 0-based sheet index when the name is local to one sheet.
    public var localSheet: Int?
    public var hidden: Bool
}

struct WorkbookHandler: XMLHandler {
    struct SheetEntry { var name: String; var relationshipID: String; var state: SheetState }
    var sheets: [SheetEntry] = []
    var date1904 = false
    var definedNames: [DefinedName] = []
    private var currentName: DefinedName?
    private var nameText: [UInt8] = []

    mutating func startElement(_ name: XMLBytes, _ a: XMLAttributes) throws {
        if name.equals("sheet") {
            let stateText = try a.string("state") ?? "visible"
            let state = SheetState(rawValue: stateText) ?? .visible
            sheets.append(SheetEntry(name: try a.string("name") ?? "", relationshipID: try a.string("id") ?? "", state: state))
        } else if name.equals("workbookPr") {
            // Extension elements of the same local name (x15:workbookPr) carry no date1904.
            if a.raw("date1904") != nil { date1904 = a.bool("date1904") }
        } else if name.equals("definedName") {
            currentName = DefinedName(name: try a.string("name") ?? "", formula: "",
                                      localSheet: a.int("localSheetId"), hidden: a.bool("hidden"))
            nameText.removeAll()
        }
    }
    mutating func endElement(_ name: XMLBytes) throws {
        if name.equals("definedName"), var n = currentName {
            n.formula = String(decoding: nameText, as: UTF8.self)
            definedNames.append(n)
            currentName = nil
        }
    }
    mutating func text(_ raw: XMLBytes, cdata: Bool) throws {
        guard currentName != nil else { return }
        if cdata { nameText.append(contentsOf: raw) } else { try XMLText.appendDecoded(raw, to: &nameText) }
    }
}

/// A resolved cell format: the style handed to cells, whether its number format shows dates,
/// and the legacy Vietnamese font (`.VnTime`, `VNI-Times`) its text is typed in, if any.
struct ResolvedFormat: Sendable {
    var style: CellStyle
    var temporal: TemporalKind
    var legacyFont: LegacyFont? = nil
}

struct StylesHandler: XMLHandler {
    struct Font { var bold = false; var italic = false; var name: String? }
    var customFormats: [Int: String] = [:]
    var fonts: [Font] = []
    var xfs: [(numFmt: Int, font: Int)] = []
    private var section = 0 // 1 fonts, 2 cellXfs
    private var inFont = false

    mutating func startElement(_ name: XMLBytes, _ a: XMLAttributes) throws {
        if name.equals("numFmt") {
            if let id = a.int("numFmtId"), let code = try a.string("formatCode") { customFormats[id] = code }
        } else if name.equals("fonts") {
            section = 1
        } else if name.equals("cellXfs") {
            section = 2
        } else if section == 1 && name.equals("font") {
            fonts.append(Font())
            inFont = true
        } else if section == 1 && inFont && (name.equals("b") || name.equals("i")) {
            // <b/> and <b val="1"/> set it; <b val="0"/> clears it.
            let on = a.raw("val").map { !($0.equals("0") || $0.equals("false")) } ?? true
            if name.equals("b") { fonts[fonts.count - 1].bold = on } else { fonts[fonts.count - 1].italic = on }
        } else if section == 1 && inFont && name.equals("name") {
            fonts[fonts.count - 1].name = try a.string("val")
        } else if section == 2 && name.equals("xf") {
            xfs.append((a.int("numFmtId") ?? 0, a.int("fontId") ?? 0))
        }
    }
    mutating func endElement(_ name: XMLBytes) throws {
        if name.equals("fonts") || name.equals("cellXfs") { section = 0 }
        if name.equals("font") { inFont = false }
    }
    mutating func text(_ raw: XMLBytes, cdata: Bool) throws {}

    func resolved() -> [ResolvedFormat] {
        // The font is resolved here, once per cell format, so reading a cell costs no more than
        // the format lookup it already makes.
        let legacyFonts = fonts.map { $0.name.flatMap(LegacyFont.init(fontName:)) }
        return xfs.map { xf in
            let code = customFormats[xf.numFmt] ?? NumberFormats.builtIn(xf.numFmt)
            let fontOK = xf.font >= 0 && xf.font < fonts.count
            let font = fontOK ? fonts[xf.font] : Font()
            let temporal = NumberFormats.temporalKind(formatID: xf.numFmt, custom: customFormats[xf.numFmt])
            return ResolvedFormat(style: CellStyle(bold: font.bold, italic: font.italic, numberFormat: code), temporal: temporal,
                                  legacyFont: fontOK ? legacyFonts[xf.font] : nil)
        }
    }
}

/// The shared strings, rich text runs joined; phonetic runs (`rPh`) skipped. A run whose own font
/// (`rFont`) is a legacy Vietnamese font is converted to Unicode here; a string with runs that
/// name their font is kept with its runs (`runs`), so that a cell in a legacy font converts only
/// the runs that take the cell's font.
struct SharedStringsHandler: XMLHandler {
    /// One run of a rich string: its text as stored, and the font it names (nil: the cell's).
    struct Run: Sendable { var text: String; var font: String? }

    var strings: [String] = []
    /// Index → runs, for the strings holding a run that names its font: the runs when some other
    /// run takes the cell's font; empty when every run names its own (the cell's font then does
    /// not matter). Strings without such runs take the cell's font as a whole.
    var runs: [Int: [Run]] = [:]
    /// Legacy encodings converted by the runs' own fonts.
    var converted: Set<LegacyVietnameseEncoding> = []
    let maxCount: Int
    let maxBytes: Int
    /// A merge reader's strings made once for all its files (nil elsewhere).
    let interner = TextInterner.forCurrentWorker
    private var current: [UInt8] = []
    private var inItem = false
    private var inT = false
    private var phoneticDepth = 0
    // The runs of the current item.
    private var inRun = false
    private var inRunProperties = false
    private var runFont: String?
    private var runStart = 0
    private var itemRuns: [Run] = []
    private var itemHasRunFont = false
    private var itemHasLegacyRun = false

    init(maxCount: Int, maxBytes: Int) {
        self.maxCount = maxCount
        self.maxBytes = maxBytes
    }

    mutating func startElement(_ name: XMLBytes, _ a: XMLAttributes) throws {
        if name.equals("si") {
            inItem = true
            current.removeAll(keepingCapacity: true)
            if !itemRuns.isEmpty { itemRuns.removeAll() }
            itemHasRunFont = false
            itemHasLegacyRun = false
        } else if name.equals("rPh") {
            phoneticDepth += 1
        } else if name.equals("t") {
            inT = true
        } else if name.equals("sst"), strings.isEmpty, let n = a.int("uniqueCount") {
            // Room for the declared count (a hint only: bounded, and a wrong count changes nothing).
            strings.reserveCapacity(min(n, maxCount, 1 << 16))
        } else if inItem && phoneticDepth == 0 && name.equals("r") {
            inRun = true
            runFont = nil
            runStart = current.count
        } else if inRun && name.equals("rPr") {
            inRunProperties = true
        } else if inRunProperties && name.equals("rFont") {
            runFont = try a.string("val")
        }
    }
    mutating func endElement(_ name: XMLBytes) throws {
        if name.equals("si") {
            guard strings.count < maxCount else { throw LimitExceeded.sharedStrings(maxCount) }
            if itemHasRunFont {
                // Text outside runs (none in well-formed files) is kept as it is.
                runs[strings.count] = itemRuns.contains(where: { $0.font == nil }) ? itemRuns : []
                strings.append(Self.text(of: itemRuns, cellFont: nil, converted: &converted))
            } else {
                strings.append(XEscapes.decode(current, interner: interner))
            }
            inItem = false
        } else if name.equals("rPh") {
            phoneticDepth -= 1
        } else if name.equals("t") {
            inT = false
        } else if inRunProperties && name.equals("rPr") {
            inRunProperties = false
        } else if inRun && name.equals("r") {
            inRun = false
            if runFont != nil { itemHasRunFont = true }
            itemRuns.append(Run(text: XEscapes.decode(Array(current[runStart...])), font: runFont))
        }
    }
    mutating func text(_ raw: XMLBytes, cdata: Bool) throws {
        guard inItem && inT && phoneticDepth == 0 else { return }
        if cdata { current.append(contentsOf: raw) } else { try XMLText.appendDecoded(raw, to: &current) }
        if current.count > maxBytes { throw LimitExceeded.stringLength(maxBytes) }
    }

    /// The text of a rich string's runs for a cell in `cellFont` (nil: not a legacy font): each
    /// run converted by its own font, else by the cell's.
    static func text(of runs: [Run], cellFont: LegacyFont?, converted: inout Set<LegacyVietnameseEncoding>) -> String {
        LegacyFont.text(ofRuns: runs.map { run in (run.text, run.font.map(LegacyFont.init(fontName:)) ?? cellFont) },
                        converted: &converted)
    }
}

struct CustomPropertiesHandler: XMLHandler {
    var properties: [String: String] = [:]
    private var currentName: String?
    private var value: [UInt8] = []

    mutating func startElement(_ name: XMLBytes, _ a: XMLAttributes) throws {
        if name.equals("property") {
            currentName = try a.string("name")
            value.removeAll()
        }
    }
    mutating func endElement(_ name: XMLBytes) throws {
        if name.equals("property"), let n = currentName {
            properties[n] = String(decoding: value, as: UTF8.self)
            currentName = nil
        }
    }
    mutating func text(_ raw: XMLBytes, cdata: Bool) throws {
        guard currentName != nil else { return }
        if cdata { value.append(contentsOf: raw) } else { try XMLText.appendDecoded(raw, to: &value) }
        if value.count > 1 << 20 { throw LimitExceeded.stringLength(1 << 20) }
    }
}

/// Reads just the `<dimension ref>` at the head of a worksheet.
struct DimensionHandler: XMLHandler {
    var dimension: String?
    mutating func startElement(_ name: XMLBytes, _ a: XMLAttributes) throws {
        if name.equals("dimension") {
            dimension = try a.string("ref")
            throw XMLStop()
        }
        if name.equals("sheetData") { throw XMLStop() }
    }
    mutating func endElement(_ name: XMLBytes) throws {}
    mutating func text(_ raw: XMLBytes, cdata: Bool) throws {}
}

/// A limit hit inside a handler; the reader names the file and part.
enum LimitExceeded: Error {
    case sharedStrings(Int)
    case stringLength(Int)
    case cells(Int)
}
