@testable import OfficialWorkbook
import Support
import Testing

/// "Chi tiết" writes each ratio (25 for 25 %) as the fraction its percent format shows.
@Suite("Chi tiết: percentages as fractions")
struct PercentFractionTests {
    @Test("without dividing when exact: the same double as the division rounded to places + 2 decimals, for every case")
    func sameAsDivision() {
        var rng = SystemRandomNumberGenerator()
        var cases: [(ExactDecimal, Int)] = [(ExactDecimal("25")!, 2), (ExactDecimal("33.33")!, 2), (ExactDecimal("33.3333")!, 2),
                                            (ExactDecimal("100")!, 0), (ExactDecimal("0")!, 2), (ExactDecimal("-12.5")!, 1),
                                            (ExactDecimal("66.666666666666666666666666666")!, 4), (ExactDecimal("12.345")!, 28)]
        for _ in 0..<5_000 {
            let sig = Int128(Int64.random(in: -10_000_000_000...10_000_000_000, using: &rng))
            cases.append((ExactDecimal(significand: sig, scale: Int.random(in: 0...8, using: &rng)), Int.random(in: 0...6, using: &rng)))
        }
        for (n, places) in cases {
            let divided = (n.divided(by: ExactDecimal(100), places: places + 2) ?? n).doubleValue
            #expect(MergeWorkbook.fraction(ofPercent: n, places: places).bitPattern == divided.bitPattern, "\(n) places \(places)")
        }
    }
}
