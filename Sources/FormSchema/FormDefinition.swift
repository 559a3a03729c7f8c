import Support

/// What a row of the form is. Chosen in the form file, never in Swift.
public enum RowKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// A numbered section heading (`1`, `2`, …): bold, no value.
    case section
    /// A heading inside a section (`1.3 Kiểm tra CCHC`): bold, no value.
    case group
    /// A whole, non-negative count (Văn bản, Hồ sơ, Người, …).
    case count
    /// An amount of money (Triệu đồng), decimals allowed.
    case money
    /// A percentage; with `numerator` and `denominator` rows it is their quotient × 100.
    case ratio
    /// Có / Không.
    case yesno
    /// One or more of the row's `choices`.
    case choice
    /// Free text.
    case text

    public var holdsValue: Bool { self != .section && self != .group }
    public var isNumeric: Bool { self == .count || self == .money || self == .ratio }
}

/// How a row is combined when a parent merges its units' appendices.
public enum MergeRule: String, Sendable, Hashable, CaseIterable, Codable {
    /// Nothing to merge (headings).
    case none
    /// Exact decimal sum over units.
    case sum
    /// Σ numerator / Σ denominator × 100, never an average of rates.
    case ratio
    /// Number of units answering Có (with the list of those answering Không).
    case countYes = "count-yes"
    /// The set of choices used, with how many units used each.
    case choices
    /// Not summable: each unit's value is shown, nothing is computed.
    case perUnit = "per-unit"
}

public enum RowStyle: String, Sendable, Hashable, Codable {
    case bold, italic, normal
}

/// One row of the form.
public struct FormRow: Sendable, Hashable, Identifiable, Codable {
    /// Stable identifier, unique in the form (`r3_3_1`, `r3_3_1_den`).
    public var id: String
    /// Printed code (`3.3.1`); empty for unnumbered sub-rows.
    public var code: String
    public var label: String
    /// Other spellings accepted when matching input rows (old tone placement, abbreviations…).
    public var variants: [String]
    /// Printed unit (`Hồ sơ`, `%`, `Triệu đồng`).
    public var unit: String
    public var kind: RowKind
    /// The row this one belongs to (a sub-row's ratio, a breakdown's total, a coded row's group).
    public var parent: String?
    public var numerator: String?
    public var denominator: String?
    public var choices: [String]
    public var merge: MergeRule
    public var required: Bool
    public var minimum: ExactDecimal?
    public var maximum: ExactDecimal?
    /// Whether the value must be a whole number.
    public var integer: Bool
    /// Decimals printed for this row's values (nil: as entered).
    public var decimals: Int?
    /// Accumulates over the year (Q1 → 6 months → year): it may not go down between periods.
    public var cumulative: Bool
    /// Text printed in the STT column instead of a code (`Trong đó`).
    public var marker: String?
    public var style: RowStyle
    /// Line in the form file, for messages.
    public var line: Int

    public init(id: String, code: String = "", label: String, variants: [String] = [], unit: String = "",
                kind: RowKind, parent: String? = nil, numerator: String? = nil, denominator: String? = nil,
                choices: [String] = [], merge: MergeRule? = nil, required: Bool = false,
                minimum: ExactDecimal? = nil, maximum: ExactDecimal? = nil, integer: Bool? = nil,
                decimals: Int? = nil, cumulative: Bool = false, marker: String? = nil, style: RowStyle? = nil, line: Int = 0) {
        self.id = id
        self.code = code
        self.label = label
        self.variants = variants
        self.unit = unit
        self.kind = kind
        self.parent = parent
        self.numerator = numerator
        self.denominator = denominator
        self.choices = choices
        self.merge = merge ?? FormRow.defaultMerge(kind: kind, hasParts: numerator != nil && denominator != nil)
        self.required = required
        self.minimum = minimum ?? (kind == .count || kind == .money || kind == .ratio ? .zero : nil)
        self.maximum = maximum ?? (kind == .ratio ? ExactDecimal(100) : nil)
        self.integer = integer ?? (kind == .count)
        self.decimals = decimals
        self.cumulative = cumulative
        self.marker = marker
        self.style = style ?? FormRow.defaultStyle(kind: kind, code: code)
        self.line = line
    }

    public static func defaultMerge(kind: RowKind, hasParts: Bool) -> MergeRule {
        switch kind {
        case .section, .group: return .none
        case .count, .money: return .sum
        case .ratio: return hasParts ? .ratio : .perUnit
        case .yesno: return .countYes
        case .choice: return .choices
        case .text: return .perUnit
        }
    }

    public static func defaultStyle(kind: RowKind, code: String) -> RowStyle {
        if kind == .section || kind == .group { return .bold }
        if code.isEmpty { return .italic }
        return code.split(separator: ".").count <= 2 ? .bold : .normal
    }

    /// The code a user sees for this row: its own, or for an unnumbered sub-row its parent's.
    public var hasCode: Bool { !code.isEmpty }
}

/// How serious a broken rule is.
public enum RuleLevel: String, Sendable, Hashable, Codable {
    case error, warning
}

/// A rule that holds between rows.
public struct CrossRule: Sendable, Hashable, Codable {
    public enum Kind: Sendable, Hashable, Codable {
        /// `part ≤ whole`.
        case partNotAboveWhole(part: String, whole: String)
        /// `total = Σ parts`.
        case sum(total: String, parts: [String])
    }
    public var kind: Kind
    public var level: RuleLevel
    /// Line in the form file.
    public var line: Int
    public init(_ kind: Kind, level: RuleLevel = .error, line: Int = 0) {
        self.kind = kind
        self.level = level
        self.line = line
    }
}

/// A form: the printed layout, its rows and the rules between them. Loaded from `Templates/`.
public struct FormDefinition: Sendable, Hashable {
    public var id: String
    public var version: Int
    /// `Phụ lục`.
    public var appendixLabel: String
    /// `BIỂU THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH`.
    public var title: String
    /// A short description for `bieumau forms`.
    public var description: String
    public var sheetName: String
    /// The table's column headings, as printed.
    public var headers: TableHeaders
    /// Texts accepted in value cells meaning "no number yet" (`Chưa thực hiện`).
    public var statusTexts: [String]
    public var yesTexts: [String]
    public var noTexts: [String]
    /// Ratios compared across units in a merged workbook's chart.
    public var keyRatios: [String]
    public var rows: [FormRow]
    public var rules: [CrossRule]
    /// The form this one replaces (last year's version), whose files are read through `rowMap`.
    public var replaces: String?
    /// For `replaces`: the replaced form's row id → this form's row id, for the rows both have
    /// (written by `bieumau forms diff --write-map`). Rows of either form not in the map are in one only.
    public var rowMap: [String: String]
    /// The file it was loaded from.
    public var file: String

    private var indexByID: [String: Int]

    public init(id: String, version: Int, appendixLabel: String = "Phụ lục", title: String, description: String = "",
                sheetName: String = "Phụ lục", headers: TableHeaders = TableHeaders(),
                statusTexts: [String] = [], yesTexts: [String] = ["Có"], noTexts: [String] = ["Không"],
                keyRatios: [String] = [], rows: [FormRow], rules: [CrossRule] = [], replaces: String? = nil,
                rowMap: [String: String] = [:], file: String = "") {
        self.id = id
        self.version = version
        self.appendixLabel = appendixLabel
        self.title = title
        self.description = description
        self.sheetName = sheetName
        self.headers = headers
        self.statusTexts = statusTexts
        self.yesTexts = yesTexts
        self.noTexts = noTexts
        self.keyRatios = keyRatios
        self.rows = rows
        self.rules = rules
        self.replaces = replaces
        self.rowMap = rowMap
        self.file = file
        var idx: [String: Int] = [:]
        for (i, r) in rows.enumerated() { idx[r.id] = i }
        self.indexByID = idx
    }

    public func row(_ id: String) -> FormRow? { indexByID[id].map { rows[$0] } }
    public func index(of id: String) -> Int? { indexByID[id] }

    /// Rows printed with this code (a code may be printed twice, as `4.6` is in cchc-2023).
    public func rows(withCode code: String) -> [FormRow] { rows.filter { $0.code == code } }

    /// Direct children of a row, in form order.
    public func children(of id: String) -> [FormRow] { rows.filter { $0.parent == id } }

    /// The code a user sees for a row: its own, or for an unnumbered sub-row the nearest ancestor's.
    public func displayCode(of id: String) -> String {
        var current = row(id)
        var guardCount = 0
        while let r = current, guardCount < 50 {
            if !r.code.isEmpty { return r.code }
            current = r.parent.flatMap { row($0) }
            guardCount += 1
        }
        return ""
    }

    /// The section row a row falls under (for grouping reports).
    public func section(of id: String) -> FormRow? {
        guard let i = index(of: id) else { return nil }
        for j in stride(from: i, through: 0, by: -1) where rows[j].kind == .section { return rows[j] }
        return nil
    }
}

/// The two-row table header as printed.
public struct TableHeaders: Sendable, Hashable, Codable {
    public var code: String
    public var label: String
    public var result: String
    public var unit: String
    public var value: String
    public var note: String
    public init(code: String = "STT", label: String = "Chỉ tiêu thống kê", result: String = "Kết quả thống kê",
                unit: String = "Đơn vị tính", value: String = "Số liệu", note: String = "Ghi chú") {
        self.code = code
        self.label = label
        self.result = result
        self.unit = unit
        self.value = value
        self.note = note
    }
}

/// The form cache's encoding: every stored field but `file` (where it was loaded from, given
/// when it is read) and the index (rebuilt).
extension FormDefinition: Codable {
    enum CodingKeys: String, CodingKey {
        case id, version, appendixLabel, title, description, sheetName, headers, statusTexts, yesTexts, noTexts,
             keyRatios, rows, rules, replaces, rowMap
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), version: try c.decode(Int.self, forKey: .version),
                  appendixLabel: try c.decode(String.self, forKey: .appendixLabel),
                  title: try c.decode(String.self, forKey: .title),
                  description: try c.decode(String.self, forKey: .description),
                  sheetName: try c.decode(String.self, forKey: .sheetName),
                  headers: try c.decode(TableHeaders.self, forKey: .headers),
                  statusTexts: try c.decode([String].self, forKey: .statusTexts),
                  yesTexts: try c.decode([String].self, forKey: .yesTexts),
                  noTexts: try c.decode([String].self, forKey: .noTexts),
                  keyRatios: try c.decode([String].self, forKey: .keyRatios),
                  rows: try c.decode([FormRow].self, forKey: .rows), rules: try c.decode([CrossRule].self, forKey: .rules),
                  replaces: try c.decodeIfPresent(String.self, forKey: .replaces),
                  rowMap: try c.decode([String: String].self, forKey: .rowMap))
    }
}
