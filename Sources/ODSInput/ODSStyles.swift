import SheetGrid
import VietnameseText
import XMLScan

/// A number style of ODF (`number:number-style`, `number:percentage-style`…) reduced to what the
/// grid keeps: an Excel-like format code, so that `CellStyle.isPercentFormat` and `formatDecimals`
/// read it as they read an .xlsx format.
struct ODSDataStyle: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case number, percentage, currency, date, time, boolean, text }
    var kind: Kind
    var decimals: Int?
    var grouping = false
    var scientific = false
    var fraction = false

    /// `#,##0.00%`, `0`, `yyyy-mm-dd`…
    var formatCode: String {
        switch kind {
        case .date: return "yyyy-mm-dd"
        case .time: return "hh:mm:ss"
        case .boolean: return "\"TRUE\";\"TRUE\";\"FALSE\""
        case .text: return "@"
        case .number, .percentage, .currency:
            if fraction { return "# ?/?" }
            var code = grouping ? "#,##0" : "0"
            if let d = decimals, d > 0 { code += "." + String(repeating: "0", count: min(d, 30)) }
            if scientific { code += "E+00" }
            if kind == .percentage { code += "%" }
            if kind == .currency && decimals == nil { code = "#,##0.00" }
            return code
        }
    }
}

/// A named cell style (`style:style style:family="table-cell"`), as far as the grid cares.
struct ODSCellStyleDef: Sendable, Hashable {
    var parent: String?
    var dataStyle: String?
    var bold: Bool?
    var italic: Bool?
    /// `style:font-name` (a font face's name) or `fo:font-family` of its text properties.
    var font: FontReference?
}

/// A font as a style names it: a `style:font-face` declaration's name, or a family given directly.
enum FontReference: Sendable, Hashable {
    case face(String)
    case family(String)
}

/// The styles of one document: data styles, cell styles and whether each table style shows its
/// sheet. Common styles (styles.xml) and automatic styles (content.xml) share one namespace here;
/// automatic ones are added last and win on a clash, as in the document.
struct ODSStyles: Sendable {
    var dataStyles: [String: ODSDataStyle] = [:]
    var cellStyles: [String: ODSCellStyleDef] = [:]
    /// Table style name → false when `table:display="false"` (a hidden sheet).
    var tableDisplay: [String: Bool] = [:]
    /// `style:font-face` name → font family (`svg:font-family`, unquoted).
    var fontFaces: [String: String] = [:]
    /// Text styles (`style:family="text"`, for `text:span`) that set a font.
    var textFonts: [String: FontReference] = [:]
    /// The font of `style:default-style style:family="table-cell"`.
    var defaultCellFont: FontReference?
    private var resolved: [String: (CellStyle, LegacyFont?)] = [:]

    /// The grid style of a cell style name, following parents (at most 16 levels).
    mutating func cellStyle(_ name: String?) -> CellStyle { resolve(name).0 }

    /// The legacy Vietnamese font (`.VnTime`, `VNI-Times`) a cell style's text is in, following
    /// parents to the default cell style; a cell without a style takes LibreOffice's `Default`.
    mutating func legacyFont(ofCellStyle name: String?) -> LegacyFont? { resolve(name ?? "Default").1 }

    /// The legacy font a text style (`text:span`) sets: `.some(nil)` when it sets another font,
    /// nil when it sets none (the span's text then takes the cell's font).
    func legacyFont(ofTextStyle name: String) -> LegacyFont?? {
        guard let font = textFonts[name] else { return nil }
        return .some(legacyFont(font))
    }

    func legacyFont(_ font: FontReference) -> LegacyFont? {
        switch font {
        case .face(let face): return LegacyFont(fontName: fontFaces[face] ?? face)
        case .family(let family): return LegacyFont(fontName: family)
        }
    }

    private mutating func resolve(_ name: String?) -> (CellStyle, LegacyFont?) {
        guard let name else { return (CellStyle(), nil) }
        if let r = resolved[name] { return r }
        var bold: Bool?, italic: Bool?, data: String?, font: FontReference?
        var current: String? = name
        var seen = 0
        while let n = current, let def = cellStyles[n], seen < 16 {
            if bold == nil { bold = def.bold }
            if italic == nil { italic = def.italic }
            if data == nil { data = def.dataStyle }
            if font == nil { font = def.font }
            current = def.parent
            seen += 1
        }
        let style = CellStyle(bold: bold ?? false, italic: italic ?? false,
                              numberFormat: data.flatMap { dataStyles[$0]?.formatCode })
        let result = (style, (font ?? defaultCellFont).flatMap(legacyFont))
        if resolved.count < 100_000 { resolved[name] = result }
        return result
    }
}

/// Collects data styles, cell styles and table styles from `office:styles` / `office:automatic-styles`
/// (in styles.xml or content.xml); the body of content.xml is read by `ContentHandler`, which
/// forwards style elements here.
struct StylesCollector {
    var styles = ODSStyles()
    private var dataStyleName: String?
    private var dataStyle: ODSDataStyle?
    private var styleName: String?
    private var styleFamily: String?
    private var styleDef = ODSCellStyleDef()
    private var tableShown = true
    private var inDefaultCellStyle = false
    private var maxStyles: Int

    init(maxStyles: Int) { self.maxStyles = maxStyles }

    mutating func start(_ name: XMLBytes, _ a: XMLAttributes) throws {
        if let kind = Self.dataKind(name) {
            dataStyleName = try a.string("name")
            dataStyle = ODSDataStyle(kind: kind)
            return
        }
        if dataStyle != nil {
            if name.equals("number") || name.equals("scientific-number") || name.equals("fraction") {
                if let d = a.int("decimal-places") { dataStyle?.decimals = d }
                if a.bool("grouping") { dataStyle?.grouping = true }
                if name.equals("scientific-number") { dataStyle?.scientific = true }
                if name.equals("fraction") { dataStyle?.fraction = true }
            }
            return
        }
        if name.equals("font-face") {
            if let face = try a.string("name"), let family = try a.string("font-family"), styles.fontFaces.count < maxStyles {
                styles.fontFaces[face] = Self.unquoted(family)
            }
            return
        }
        if name.equals("default-style") {
            inDefaultCellStyle = (try a.string("family")) == "table-cell"
            return
        }
        if inDefaultCellStyle && name.equals("text-properties") {
            if let font = try Self.font(a) { styles.defaultCellFont = font }
            return
        }
        if name.equals("style") {
            styleName = try a.string("name")
            styleFamily = try a.string("family")
            styleDef = ODSCellStyleDef(parent: try a.string("parent-style-name"),
                                       dataStyle: try a.string("data-style-name"))
            tableShown = true
        } else if styleName != nil {
            if name.equals("text-properties") {
                if let w = a.raw("font-weight") { styleDef.bold = w.equals("bold") || (w.parseInt() ?? 400) >= 600 }
                if let s = a.raw("font-style") { styleDef.italic = s.equals("italic") || s.equals("oblique") }
                if let font = try Self.font(a) { styleDef.font = font }
            } else if name.equals("table-properties") {
                if let d = a.raw("display") { tableShown = !d.equals("false") }
            }
        }
    }

    mutating func end(_ name: XMLBytes) throws {
        if Self.dataKind(name) != nil {
            if let n = dataStyleName, let d = dataStyle, styles.dataStyles.count < maxStyles { styles.dataStyles[n] = d }
            dataStyleName = nil
            dataStyle = nil
        } else if name.equals("style"), let n = styleName {
            if styleFamily == "table-cell", styles.cellStyles.count < maxStyles { styles.cellStyles[n] = styleDef }
            if styleFamily == "table", styles.tableDisplay.count < maxStyles { styles.tableDisplay[n] = tableShown }
            if styleFamily == "text", let font = styleDef.font, styles.textFonts.count < maxStyles { styles.textFonts[n] = font }
            styleName = nil
            styleFamily = nil
        } else if name.equals("default-style") {
            inDefaultCellStyle = false
        }
    }

    /// The font text properties set: `style:font-name` (a font face), else `fo:font-family`.
    private static func font(_ a: XMLAttributes) throws -> FontReference? {
        if let face = try a.string("font-name") { return .face(face) }
        if let family = try a.string("font-family") { return .family(unquoted(family)) }
        return nil
    }

    /// `'DejaVu Sans'` → `DejaVu Sans` (a font family list's first name, unquoted).
    static func unquoted(_ family: String) -> String {
        var f = Substring(family)
        if let comma = f.firstIndex(of: ",") { f = f[..<comma] }
        f = f.drop { $0 == " " }
        while f.last == " " { f = f.dropLast() }
        if f.count >= 2, let q = f.first, q == "'" || q == "\"", f.last == q { f = f.dropFirst().dropLast() }
        return String(f)
    }

    private static func dataKind(_ name: XMLBytes) -> ODSDataStyle.Kind? {
        if name.equals("number-style") { return .number }
        if name.equals("percentage-style") { return .percentage }
        if name.equals("currency-style") { return .currency }
        if name.equals("date-style") { return .date }
        if name.equals("time-style") { return .time }
        if name.equals("boolean-style") { return .boolean }
        if name.equals("text-style") { return .text }
        return nil
    }
}

/// styles.xml: only the style definitions.
struct StylesPartHandler: XMLHandler {
    var collector: StylesCollector
    mutating func startElement(_ name: XMLBytes, _ attributes: XMLAttributes) throws { try collector.start(name, attributes) }
    mutating func endElement(_ name: XMLBytes) throws { try collector.end(name) }
    mutating func text(_ raw: XMLBytes, cdata: Bool) throws {}
}

/// meta.xml: `meta:user-defined` properties (name → value text).
struct MetaHandler: XMLHandler {
    var properties: [String: String] = [:]
    let maxBytes: Int
    private var current: String?
    private var value: [UInt8] = []

    init(maxBytes: Int) { self.maxBytes = maxBytes }

    mutating func startElement(_ name: XMLBytes, _ a: XMLAttributes) throws {
        if name.equals("user-defined") {
            current = try a.string("name")
            value.removeAll()
        }
    }
    mutating func endElement(_ name: XMLBytes) throws {
        if name.equals("user-defined"), let n = current {
            if properties.count < 10_000 { properties[n] = String(decoding: value, as: UTF8.self) }
            current = nil
        }
    }
    mutating func text(_ raw: XMLBytes, cdata: Bool) throws {
        guard current != nil, value.count < maxBytes else { return }
        if cdata { value.append(contentsOf: raw) } else { try XMLText.appendDecoded(raw, to: &value) }
    }
}

/// META-INF/manifest.xml: whether any entry is encrypted with a password (ODF encryption, which
/// is not zip encryption: the bytes are stored deflated and would read as garbage).
struct ManifestHandler: XMLHandler {
    var encrypted = false
    mutating func startElement(_ name: XMLBytes, _ attributes: XMLAttributes) throws {
        if name.equals("encryption-data") { encrypted = true; throw XMLStop() }
    }
    mutating func endElement(_ name: XMLBytes) throws {}
    mutating func text(_ raw: XMLBytes, cdata: Bool) throws {}
}
