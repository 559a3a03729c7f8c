import FormSchema
import Support

/// Whether a ratio row's reported value agrees with its numerator and denominator rows: the one
/// definition used by the validator (`ratio-mismatch`), the workbook writer (a live formula only
/// for a ratio that agrees, so every viewer shows the same value) and `convert`'s warning.
public enum RatioAgreement: Sendable, Hashable {
    /// No value, no parts on the form, a part blank or not a number: nothing to compare.
    case notComparable
    /// The denominator is 0 (`value` is the reported ratio, in percent).
    case zeroDenominator(value: ExactDecimal)
    /// |reported − num/den × 100| is within half a unit of the last printed digit.
    case agrees(value: ExactDecimal, numerator: ExactDecimal, denominator: ExactDecimal)
    /// It is not; `expected` is num/den × 100 at the printed decimals (`places`).
    case disagrees(value: ExactDecimal, numerator: ExactDecimal, denominator: ExactDecimal,
                   expected: ExactDecimal, places: Int)

    /// Decimals that the printed value carries: as printed, else the form's, else the number's own (at most 4).
    public static func printedDecimals(_ rv: RowValue, _ row: FormRow, _ n: ExactDecimal) -> Int {
        if let d = rv.decimals { return d }
        if let d = row.decimals { return d }
        return min(n.normalized.scale, 4)
    }

    /// The agreement of `row` (a ratio with `numerator`/`denominator`) in `appendix`.
    public static func of(_ row: FormRow, in appendix: Appendix) -> RatioAgreement {
        guard row.kind == .ratio, let numID = row.numerator, let denID = row.denominator else { return .notComparable }
        return of(row, value: appendix.values[row.id], numerator: appendix.number(numID), denominator: appendix.number(denID))
    }

    /// `of(_:in:)` given the ratio's value and its parts' numbers as the appendix holds them
    /// (`values[row.id]`, `number(row.numerator)`, `number(row.denominator)`), for a caller that
    /// has looked them up already.
    public static func of(_ row: FormRow, value: RowValue?, numerator: ExactDecimal?, denominator: ExactDecimal?) -> RatioAgreement {
        guard row.kind == .ratio, row.numerator != nil, row.denominator != nil,
              let rv = value, case .number(let r) = rv.value,
              let num = numerator, let den = denominator else { return .notComparable }
        if den.isZero { return .zeroDenominator(value: r) }
        let places = printedDecimals(rv, row, r)
        guard let exact = num.multiplied(by: ExactDecimal(100))?.divided(by: den, places: places + 4),
              let diff = r.subtracting(exact)?.magnitude else { return .notComparable }
        // Half a unit of the last printed digit.
        let tolerance = ExactDecimal(significand: 5, scale: places + 1)
        if diff > tolerance {
            return .disagrees(value: r, numerator: num, denominator: den, expected: exact, places: places)
        }
        return .agrees(value: r, numerator: num, denominator: den)
    }
}
