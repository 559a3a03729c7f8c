/// Custom document properties our writer stores in every workbook, so a reader recognises the
/// form, unit and period without guessing, and a merged workbook can be merged again one level up.
public enum WorkbookProperty {
    public static let form = "bieumau.form"
    public static let formVersion = "bieumau.form-version"
    public static let unit = "bieumau.unit"
    public static let parentBody = "bieumau.parent"
    /// `Period.kind.rawValue` + "/" + year, e.g. `quy-1/2023`.
    public static let period = "bieumau.period"
    public static let reportNumber = "bieumau.report-number"
    /// `appendix` (one unit), `merged` (a parent's merge of units), `template` (blank form).
    public static let kind = "bieumau.kind"
    /// For merged workbooks: how many units were merged.
    public static let unitCount = "bieumau.units"
    /// The sheet holding the appendix in the official layout.
    public static let sheet = "bieumau.sheet"
    public static let generator = "bieumau.generator"

    public static func encode(_ period: Period) -> String { "\(period.kind.rawValue)/\(period.year)" }

    public static func decodePeriod(_ text: String) -> Period? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let kind = PeriodKind(rawValue: String(parts[0])), let year = Int(parts[1]) else {
            return Period.parse(text)
        }
        return Period(kind: kind, year: year)
    }
}
