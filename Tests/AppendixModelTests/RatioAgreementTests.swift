import AppendixModel
import FormSchema
import Support
import Testing
import TestSupport

/// `RatioAgreement.of(_:value:numerator:denominator:)` (the validator passes what it has looked up)
/// answers as `of(_:in:)` does, on every ratio row of the shipped form, in seeded random appendices:
/// parts missing, zero, larger than the whole, ratios agreeing, off, blank, texts.
@Test func ratioAgreementFromLookedUpValuesAgreesWithTheAppendix() throws {
    let form = try FormLoader.load(file: TestPaths.templates.appendingPathComponent("cchc-2023/form.yaml").path)
    let ratios = form.rows.filter { $0.kind == .ratio && $0.numerator != nil && $0.denominator != nil }
    #expect(ratios.count >= 5)
    var random = SplitMix64(state: 0x2A7_10)
    var kinds: Set<String> = []
    for _ in 0..<400 {
        var appendix = Appendix(form: form)
        for row in form.rows where row.kind.holdsValue {
            switch random.below(10) {
            case 0: continue
            case 1: appendix.values[row.id] = RowValue(raw: "x", value: .text("x"))
            case 2: appendix.values[row.id] = RowValue(raw: "0", value: .number(ExactDecimal(0)))
            default:
                let n = ExactDecimal(significand: Int128(random.below(20_000)), scale: random.below(3))
                appendix.values[row.id] = RowValue(raw: n.description, value: .number(n), decimals: random.chance(50) ? 1 : nil)
            }
        }
        for row in ratios {
            // Some ratios made to agree with their parts.
            if random.chance(30), let num = appendix.number(row.numerator!), let den = appendix.number(row.denominator!),
               !den.isZero, let r = num.multiplied(by: ExactDecimal(100))?.divided(by: den, places: 2) {
                appendix.values[row.id] = RowValue(raw: r.description, value: .number(r), decimals: 2)
            }
            let expected = RatioAgreement.of(row, in: appendix)
            let got = RatioAgreement.of(row, value: appendix.values[row.id], numerator: appendix.number(row.numerator!),
                                        denominator: appendix.number(row.denominator!))
            #expect(got == expected, "\(row.id)")
            switch expected {
            case .notComparable: kinds.insert("not comparable")
            case .zeroDenominator: kinds.insert("zero")
            case .agrees: kinds.insert("agrees")
            case .disagrees: kinds.insert("disagrees")
            }
        }
    }
    #expect(kinds.count == 4)
    // A row that is not a ratio is never compared.
    let count = try #require(form.rows.first { $0.kind == .count })
    #expect(RatioAgreement.of(count, value: RowValue(raw: "1", value: .number(ExactDecimal(1))),
                              numerator: ExactDecimal(1), denominator: ExactDecimal(1)) == .notComparable)
}
