import SheetGrid
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
}

/// The styles of one document: data styles, cell styles and whether each table style shows its
/// sheet. Common styles (styles.xml) and automatic styles (content.xml) share one namespace here;
/// automatic ones are added last and win on a clash, as in the document.
struct ODSStyles: Sendable {
    var dataStyles: [String: ODSDataStyle] = [:]
    var cellStyles: [String: ODSCellStyleDef] = [:]
    /// Table style name → false when `table:display="false"` (a hidden sheet).
    var tableDisplay: [String: Bool] = [:]
    private var resolved: [String: CellStyle] = [:]

    /// The grid style of a cell style name, following parents (at most 16 levels).
    mutating func cellStyle(_ name: String?) -> CellStyle {
        guard let name else { return CellStyle() }
        if let r = resolved[name] { return r }
        var bold: Bool?, italic: Bool?, data: String?
        var current: String? = name
        var seen = 0
        while let n = current, let def = cellStyles[n], seen < 16 {
            if bold == nil { bold = def.bold }
            if italic == nil { italic = def.italic }
            if data == nil { data = def.dataStyle }
            current = def.parent
            seen += 1
        }
        let style = CellStyle(bold: bold ?? false, italic: italic ?? false,
                              numberFormat: data.flatMap { dataStyles[$0]?.formatCode })
        if resolved.count < 100_000 { resolved[name] = style }
        return style
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
            styleName = nil
            styleFamily = nil
        }
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
