import AppendixModel
import Support
import Testing

/// Issue #10.1: no operation on user numbers may trap; numbers beyond the supported range are
/// classified as such (a finding at their cell), never read as something else.
@Suite("Checked arithmetic (ExactDecimal)")
struct CheckedArithmeticTests {
    static let int128Max = "170141183460469231731687303715884105727"

    func d(_ s: String) -> ExactDecimal { ExactDecimal(s)! }

    @Test("200000000 + 0,000…01 (30 decimals) does not trap: the sum is reported as not representable")
    func hugePlusTinyDoesNotTrap() {
        let big = d("200000000"), tiny = d("0.000000000000000000000000000001")
        #expect(big.adding(tiny) == nil)
        #expect(tiny.adding(big) == nil)
        #expect(big.subtracting(tiny) == nil)
        // Comparisons stay exact where aligning would overflow.
        #expect(tiny < big)
        #expect(!(big < tiny))
        #expect(big != tiny)
        #expect(-big < tiny)
        #expect(-big < -tiny)
    }

    @Test("Int128.max + 1 does not trap")
    func int128MaxPlusOneDoesNotTrap() {
        let max = d(Self.int128Max)
        #expect(max.adding(ExactDecimal(1)) == nil)
        #expect((-max).subtracting(ExactDecimal(2)) == nil)
        #expect(max.multiplied(by: ExactDecimal(100)) == nil)
        #expect(ExactDecimal(1) < max)
        #expect(max.magnitude == max)
        #expect((-max).magnitude == max)
    }

    @Test("within the supported range sums are exact and checked operations agree with the old ones")
    func exactWithinRange() {
        #expect(d("0.1").adding(d("0.2")) == d("0.3"))
        #expect(d("2.30").subtracting(d("0.3")) == d("2"))
        #expect(d("0.25").multiplied(by: ExactDecimal(100)) == ExactDecimal(25))
        let largest = d("999999999999999999.999999999999999999")
        #expect(largest.isWithinSupportedRange)
        #expect(ExactDecimal.sum(Array(repeating: largest, count: 100)) != nil)
        #expect(!d("1000000000000000000").isWithinSupportedRange)
        #expect(!d("0.0000000000000000001").isWithinSupportedRange)
    }

    @Test("an exponent of Int.min in plain decimal text is refused, not trapped on")
    func exponentIntMinDoesNotTrap() {
        #expect(ExactDecimal("1e-9223372036854775808") == nil)
    }

    @Test("a number beyond the range as a user types it is classified out of range, not as text or another number")
    func userNumberBeyondRangeIsOutOfRange() {
        #expect(NumberParser.classify("0,000000000000000000000000000001") == .outOfRange)
        #expect(NumberParser.classify(Self.int128Max) == .outOfRange)
        #expect(NumberParser.classify(Self.int128Max + "0") == .outOfRange)      // past 128 bits
        #expect(NumberParser.classify("1.234.567.890.123.456.789.012") == .outOfRange)
        #expect(NumberParser.classify("200000000").reading(in: .vi)?.value == d("200000000"))
        #expect(NumberParser.classify("1.2.3") == .notANumber)
    }
}

@Suite("ExactDecimal → Double")
struct ExactDecimalDoubleTests {
    @Test("doubleValue is the double the decimal text reads as, on the fast path and off it")
    func sameAsParsingTheText() {
        var samples: [ExactDecimal] = []
        let texts = ["0", "1", "-1", "0.1", "0.3", "2.304717", "136284", "-0.000001", "9007199254740992",
                     "9007199254740993", "-9007199254740993", "1.0000000000000000000001", "123456789012345678901234567890",
                     "0.0000000000000000000001", "0.00000000000000000000001", "4.35", "99.995", "1e22", "33.333333333333333333"]
        samples += texts.map { ExactDecimal($0)! }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let bits = Int.random(in: 1...60, using: &rng)
            let sig = Int128(Int64.random(in: -(1 << bits)...(1 << bits), using: &rng))
            samples.append(ExactDecimal(significand: sig, scale: Int.random(in: 0...ExactDecimal.maxScale, using: &rng)))
        }
        for d in samples {
            let expected = Double(d.description)!
            #expect(d.doubleValue.bitPattern == expected.bitPattern, "\(d.description)")
        }
    }
}
