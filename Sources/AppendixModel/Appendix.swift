import FormSchema
import Support

/// Who sent the appendix, for when, under which report.
public struct Metadata: Sendable, Hashable {
    /// The issuing unit, e.g. `ỦY BAN NHÂN DÂN HUYỆN NGÂN SƠN`.
    public var unit: String?
    /// The body above it, e.g. `UBND TỈNH BẮC KẠN`.
    public var parentBody: String?
    public var period: Period?
    /// The period as printed, when it could not be read.
    public var periodText: String?
    /// `15/BC-UBND` (may be just `/BC-UBND` when the number is left blank).
    public var reportNumber: String?
    public var reportDate: ReportDate?
    /// The "(Kèm theo Báo cáo số … ngày … của …)" line as printed.
    public var reportReference: String?
    /// The title as printed.
    public var title: String?
    /// Where each metadata item was read (for messages).
    public var locations: [String: SourceLocation]
    /// `WorkbookProperty.kind` of the workbook it was read from (`appendix`, `merged`, `template`), if any.
    public var workbookKind: String?
    /// For a merged workbook: how many units it merged (its yes/no rows then hold counts of units).
    public var mergedUnits: Int?

    public init(unit: String? = nil, parentBody: String? = nil, period: Period? = nil, periodText: String? = nil,
                reportNumber: String? = nil, reportDate: ReportDate? = nil, reportReference: String? = nil,
                title: String? = nil, locations: [String: SourceLocation] = [:]) {
        self.unit = unit
        self.parentBody = parentBody
        self.period = period
        self.periodText = periodText
        self.reportNumber = reportNumber
        self.reportDate = reportDate
        self.reportReference = reportReference
        self.title = title
        self.locations = locations
        self.workbookKind = nil
        self.mergedUnits = nil
    }

    /// Fills the blanks of `self` from `other` (flags first, then the file).
    public func filling(from other: Metadata) -> Metadata {
        var m = self
        m.unit = m.unit ?? other.unit
        m.parentBody = m.parentBody ?? other.parentBody
        m.period = m.period ?? other.period
        m.periodText = m.periodText ?? other.periodText
        m.reportNumber = m.reportNumber ?? other.reportNumber
        m.reportDate = m.reportDate ?? other.reportDate
        m.reportReference = m.reportReference ?? other.reportReference
        m.title = m.title ?? other.title
        m.locations.merge(other.locations) { a, _ in a }
        m.workbookKind = m.workbookKind ?? other.workbookKind
        m.mergedUnits = m.mergedUnits ?? other.mergedUnits
        return m
    }
}

public enum Severity: String, Sendable, Hashable, Codable, Comparable {
    case error, warning
    public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
}

/// The fixed vocabulary of problems.
public enum Rule: String, Sendable, Hashable, Codable, CaseIterable {
    case ratioMismatch = "ratio-mismatch"
    case partExceedsWhole = "part-exceeds-whole"
    case sumMismatch = "sum-mismatch"
    case outOfRange = "out-of-range"
    case typeError = "type-error"
    case invalidChoice = "invalid-choice"
    case missingRow = "missing-row"
    case unknownRow = "unknown-row"
    case duplicateRow = "duplicate-row"
    case ambiguousNumber = "ambiguous-number"
    case valueOnGroupRow = "value-on-group-row"
    case zeroDenominator = "zero-denominator"
    case periodMismatch = "period-mismatch"
    case cumulativeDecrease = "cumulative-decrease"
    /// A number of the report's text disagrees with the appendix row it speaks of (`crosscheck`).
    case textMismatch = "text-mismatch"
    /// A percentage in the text disagrees with its own parts in the same sentence (`crosscheck`).
    case textArithmetic = "text-arithmetic"
    /// The file's reporting unit is not the one expected (`validate --unit`), or not named.
    case unitMismatch = "unit-mismatch"
    /// A number typed in the Ghi chú column of a number row whose value cell is empty.
    case valueInNoteColumn = "value-in-note-column"
    /// The table was found but not one of its value rows holds anything.
    case emptyAppendix = "empty-appendix"
    /// Every row of a section of the form is absent (a file cut off, a page not copied).
    case missingSection = "missing-section"
    /// A formula cell whose result was never saved (the file was not opened in a spreadsheet).
    case formulaWithoutValue = "formula-without-value"
}

/// One problem, named at its cell, with what to do.
public struct Finding: Sendable, Hashable {
    public var severity: Severity
    public var rule: Rule
    /// The form row concerned (nil for document-level findings and unknown rows).
    public var rowID: String?
    /// The printed code (an unnumbered sub-row: its parent's code).
    public var code: String
    public var label: String
    public var location: SourceLocation?
    public var found: String?
    public var expected: String?
    public var message: Localized

    public init(severity: Severity, rule: Rule, rowID: String? = nil, code: String = "", label: String = "",
                location: SourceLocation? = nil, found: String? = nil, expected: String? = nil, message: Localized) {
        self.severity = severity
        self.rule = rule
        self.rowID = rowID
        self.code = code
        self.label = label
        self.location = location
        self.found = found
        self.expected = expected
        self.message = message
    }
}

/// A row of the input that matched no row of the form.
public struct UnmatchedRow: Sendable, Hashable {
    public var code: String
    public var label: String
    public var raw: String
    public var location: SourceLocation?
    public init(code: String, label: String, raw: String, location: SourceLocation?) {
        self.code = code
        self.label = label
        self.raw = raw
        self.location = location
    }
}

/// A filled appendix: form, metadata and one value per row.
public struct Appendix: Sendable {
    public var form: FormDefinition
    public var metadata: Metadata
    /// Values by form row id. Rows absent from the input have no entry.
    public var values: [String: RowValue]
    /// The number convention the document was read in.
    public var numberLocale: NumberLocale
    /// Problems noticed while reading (unknown/duplicate rows, ambiguous numbers, …).
    public var readingFindings: [Finding]
    /// Input rows that matched nothing in the form.
    public var unmatched: [UnmatchedRow]
    /// The file it was read from.
    public var sourceFile: String?
    /// The sheet it was read from (workbooks).
    public var sourceSheet: String?

    public init(form: FormDefinition, metadata: Metadata = Metadata(), values: [String: RowValue] = [:],
                numberLocale: NumberLocale = .vi, readingFindings: [Finding] = [], unmatched: [UnmatchedRow] = [],
                sourceFile: String? = nil, sourceSheet: String? = nil) {
        self.form = form
        self.metadata = metadata
        self.values = values
        self.numberLocale = numberLocale
        self.readingFindings = readingFindings
        self.unmatched = unmatched
        self.sourceFile = sourceFile
        self.sourceSheet = sourceSheet
    }

    public func value(_ rowID: String) -> RowValue { values[rowID] ?? .empty }
    public func number(_ rowID: String) -> ExactDecimal? { values[rowID]?.value.number }
}
