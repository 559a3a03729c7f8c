import FormSchema
import Support

/// What a value cell means.
public enum Value: Sendable, Hashable {
    case empty
    /// A number; on percent rows in percent units (25 means 25 %).
    case number(ExactDecimal)
    case yesNo(Bool)
    /// The choices named (from the row's `choices`, spelled as the form spells them).
    case choices([String])
    /// A status text such as `Chưa thực hiện`: not a number and not a blank.
    case status(String)
    /// Any other text (in a number row: something that could not be read as a number).
    case text(String)

    public var number: ExactDecimal? { if case .number(let n) = self { return n } else { return nil } }
    public var isEmpty: Bool { if case .empty = self { return true } else { return false } }
}

/// The cell as it arrived, before interpretation.
public enum CellInput: Sendable, Hashable {
    case empty
    /// Text typed by a person (CSV fields, text cells).
    case text(String)
    /// A numeric cell of a workbook: exact value, and whether its format shows it as a percentage
    /// (`0.25` shown `25%`), with the decimals that format shows.
    case number(ExactDecimal, percentFormat: Bool, decimals: Int?)
    case bool(Bool)
    /// An error cell (`#DIV/0!`).
    case error(String)
}

/// One row's value: the raw text beside what it means, where it came from, and the note.
public struct RowValue: Sendable, Hashable {
    /// The cell's text exactly as in the input (after NFC).
    public var raw: String
    public var value: Value
    /// Decimals as printed (for numbers).
    public var decimals: Int?
    /// The raw text carried a `%` sign (or a percent number format).
    public var percentSign: Bool
    /// How the raw text read in the two number conventions (text input only).
    public var classification: NumberClassification?
    /// The Ghi chú cell.
    public var note: String
    /// The label as found in the input (may differ in spelling from the form's).
    public var inputLabel: String?
    /// The value cell in the input.
    public var location: SourceLocation? {
        get { locationBox?.location }
        set { locationBox = newValue.map(LocationBox.init) }
    }
    /// Boxed: a merge holds every unit's rows at once, and a location is five optional fields.
    private var locationBox: LocationBox?
    /// The formula, when the value cell held one.
    public var formula: String?
    /// The Ghi chú cell in the input (kept only when the note is not empty).
    public var noteLocation: SourceLocation? {
        get { noteLocationBox?.location }
        set { noteLocationBox = newValue.map(LocationBox.init) }
    }
    private var noteLocationBox: LocationBox?

    public init(raw: String, value: Value, decimals: Int? = nil, percentSign: Bool = false,
                classification: NumberClassification? = nil, note: String = "", inputLabel: String? = nil,
                location: SourceLocation? = nil, formula: String? = nil) {
        self.raw = raw
        self.value = value
        self.decimals = decimals
        self.percentSign = percentSign
        self.classification = classification
        self.note = note
        self.inputLabel = inputLabel
        self.locationBox = location.map(LocationBox.init)
        self.formula = formula
    }

    public static let empty = RowValue(raw: "", value: .empty)
}

/// An immutable box holding a `SourceLocation` (compared and hashed by its content).
final class LocationBox: Sendable, Hashable {
    let location: SourceLocation
    init(_ location: SourceLocation) { self.location = location }
    static func == (a: LocationBox, b: LocationBox) -> Bool { a === b || a.location == b.location }
    func hash(into hasher: inout Hasher) { hasher.combine(location) }
}

/// Turns cell input into a `RowValue` for a form row, given the document's number convention.
public enum ValueInterpreter {
    /// A row the form counts in whole things (kind `count`: Văn bản, Hồ sơ, Thủ tục…) cannot hold
    /// 1.234 of them: in an English-convention document, `1.234` on such a row is read with the dot
    /// grouping thousands (1234), as in Vietnamese. Nil when the rule does not apply (the reader
    /// reports it as `ambiguous-number` when it does: `isCountRowRegrouping`).
    public static func countReading(_ c: NumberClassification, row: FormRow, locale: NumberLocale) -> NumberReading? {
        countReading(c, kind: row.kind, locale: locale)
    }

    /// `countReading(_:row:locale:)` for a row of this kind.
    public static func countReading(_ c: NumberClassification, kind: RowKind, locale: NumberLocale) -> NumberReading? {
        guard kind == .count, locale == .en, case .ambiguous(let vi, let en) = c,
              vi.value.isInteger, !en.value.isInteger, !vi.isPercent else { return nil }
        return vi
    }

    /// True when `v` on `row` was read by `countReading` (a count row of an English document).
    public static func isCountRowRegrouping(_ v: RowValue, row: FormRow, locale: NumberLocale) -> Bool {
        guard let c = v.classification, let read = countReading(c, row: row, locale: locale),
              let n = v.value.number else { return false }
        return n == read.value
    }

    public static func interpret(_ input: CellInput, row: FormRow, form: FormDefinition,
                                 locale: NumberLocale) -> RowValue {
        interpret(input, kind: row.kind, choices: row.choices, form: form, locale: locale)
    }

    /// `interpret(_:row:form:locale:)` given all it reads of the row, its kind and choices (a
    /// caller that holds the row in place passes these rather than a copy of the whole row).
    public static func interpret(_ input: CellInput, kind: RowKind, choices: [String], form: FormDefinition,
                                 locale: NumberLocale) -> RowValue {
        switch input {
        case .empty:
            return RowValue(raw: "", value: .empty)
        case .bool(let b):
            return RowValue(raw: b ? "TRUE" : "FALSE", value: .yesNo(b))
        case .error(let e):
            return RowValue(raw: e, value: .text(e))
        case .number(let n, let pct, let decimals):
            let raw = n.description
            // A workbook number is an IEEE double: digits past `maxDecimals` are binary noise.
            var value = n.normalized.scale > ExactDecimal.maxDecimals ? n.rounded(toPlaces: ExactDecimal.maxDecimals) : n
            if pct && kind == .ratio { value = value.multiplied(by: ExactDecimal(100)) ?? ExactDecimal(significand: .max, scale: 0) }
            guard value.isWithinSupportedRange else {
                return RowValue(raw: raw, value: .text(raw), percentSign: pct, classification: .outOfRange)
            }
            return RowValue(raw: raw, value: .number(value), decimals: decimals.map { pct ? max(0, $0) : $0 },
                            percentSign: pct)
        case .text(let rawText):
            let raw = TextNormalization.nfc(rawText)
            let clean = TextNormalization.collapseWhitespace(TextNormalization.stripMarkup(raw))
            if clean.isEmpty { return RowValue(raw: raw, value: .empty) }
            // `LabelKey.same($0, clean)`, with the cell's key made once for all the form's texts.
            let cleanKey = LabelKey.sameness(clean)
            func sameAsClean(_ t: String) -> Bool { LabelKey.sameness(t) == cleanKey }
            if let canonical = form.statusTexts.first(where: sameAsClean) {
                return RowValue(raw: raw, value: .status(canonical))
            }
            if kind == .yesno || kind == .text || kind == .choice {
                if form.yesTexts.contains(where: sameAsClean) { return RowValue(raw: raw, value: .yesNo(true)) }
                if form.noTexts.contains(where: sameAsClean) { return RowValue(raw: raw, value: .yesNo(false)) }
            }
            if kind == .choice {
                let parts = clean.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "\n" })
                    .map { TextNormalization.collapseWhitespace(String($0)) }.filter { !$0.isEmpty }
                let matched = parts.compactMap { p in choices.first { LabelKey.same($0, p) } }
                if !parts.isEmpty && matched.count == parts.count { return RowValue(raw: raw, value: .choices(matched)) }
                return RowValue(raw: raw, value: .text(clean))
            }
            if kind == .text { return RowValue(raw: raw, value: .text(clean)) }
            let c = NumberParser.classify(clean)
            if let r = countReading(c, kind: kind, locale: locale) ?? c.reading(in: locale) {
                return RowValue(raw: raw, value: .number(r.value), decimals: r.decimals, percentSign: r.isPercent,
                                classification: c)
            }
            return RowValue(raw: raw, value: .text(clean), classification: c)
        }
    }
}
