import AppendixModel
import Support
import Testing

private func dec(_ s: String) -> ExactDecimal { ExactDecimal(s)! }

/// What a classification says, flattened for comparison with hand-written expectations.
private func describe(_ c: NumberClassification) -> String {
    func r(_ x: NumberReading) -> String { "\(x.value)\(x.isPercent ? "%" : "")/\(x.decimals)" }
    switch c {
    case .notANumber: return "NaN"
    case .outOfRange: return "out of range"
    case .plain(let x): return "plain \(r(x))"
    case .onlyVietnamese(let x): return "vi \(r(x))"
    case .onlyEnglish(let x): return "en \(r(x))"
    case .ambiguous(let v, let e): return "ambiguous vi \(r(v)) en \(r(e))"
    }
}

@Suite struct NumberParserTests {
    @Test(arguments: [
        // Vietnamese: '.' groups thousands, ',' is the decimal point.
        ("136.284", "ambiguous vi 136284/0 en 136.284/3"),
        ("2,30", "vi 2.3/2"),
        ("2.304,717", "vi 2304.717/3"),
        ("1.234.567", "vi 1234567/0"),
        ("3,45 %", "vi 3.45%/2"),
        ("0,5", "vi 0.5/1"),
        // English.
        ("1,234.5", "en 1234.5/1"),
        ("1,234,567", "en 1234567/0"),
        ("12.5", "en 12.5/1"),
        ("2.30", "en 2.3/2"),
        ("1,234", "ambiguous vi 1.234/3 en 1234/0"),
        ("1.000", "ambiguous vi 1000/0 en 1/3"),
        // The same in both.
        ("25%", "plain 25%/0"),
        ("100 %", "plain 100%/0"),
        ("03", "plain 3/0"),
        ("268763", "plain 268763/0"),
        ("-5", "plain -5/0"),
        ("0", "plain 0/0"),
        ("<b>0</b>", "plain 0/0"),
        ("  13  ", "plain 13/0"),
        // Spaces group thousands.
        ("1 234 567", "plain 1234567/0"),
        ("1 234,5", "vi 1234.5/1"),
        ("1 234.5", "en 1234.5/1"),
        // Not numbers.
        ("5/9", "NaN"),
        ("abc", "NaN"),
        ("1.2.3", "NaN"),
        ("1,23,4", "NaN"),
        ("12 34", "NaN"),
        ("", "NaN"),
        ("%", "NaN"),
        ("1.234,5.6", "NaN"),
        ("Chưa thực hiện", "NaN"),
    ])
    func classify(_ text: String, _ expected: String) {
        #expect(describe(NumberParser.classify(text)) == expected, "\(text)")
    }

    @Test func readingInEachLocale() {
        let c = NumberParser.classify("136.284")
        #expect(c.reading(in: .vi)?.value == dec("136284"))
        #expect(c.reading(in: .en)?.value == dec("136.284"))
        #expect(NumberParser.classify("2,30").reading(in: .en)?.value == dec("2.3"))
        #expect(NumberParser.classify("x").reading(in: .vi) == nil)
        #expect(!NumberParser.classify("x").isNumber)
    }

    @Test func decideLocale() {
        let c = NumberParser.classify
        #expect(NumberParser.decideLocale([]) == (.vi, false))
        #expect(NumberParser.decideLocale([c("136.284"), c("3.135")]) == (.vi, false))
        #expect(NumberParser.decideLocale([c("136.284"), c("2,30")]) == (.vi, false))
        #expect(NumberParser.decideLocale([c("1,234.5"), c("2.30"), c("136.284")]) == (.en, false))
        #expect(NumberParser.decideLocale([c("1,234.5"), c("2.30"), c("2,30")]) == (.en, true))
        // A tie goes to Vietnamese, and is mixed.
        #expect(NumberParser.decideLocale([c("2.30"), c("2,30")]) == (.vi, true))
    }
}

@Suite struct ExactDecimalTests {
    @Test func parsing() {
        #expect(dec("0.1").adding(dec("0.2")) == dec("0.3"))
        #expect(ExactDecimal("1E-3") == dec("0.001"))
        #expect(ExactDecimal("1.5e+2") == ExactDecimal(150))
        #expect(ExactDecimal(".5") == dec("0.5"))
        #expect(ExactDecimal("-12") == ExactDecimal(-12))
        #expect(ExactDecimal("1,5") == nil)
        #expect(ExactDecimal("abc") == nil)
        #expect(ExactDecimal("") == nil)
        #expect(dec("2.300").description == "2.3")
        #expect(dec("-0.05").description == "-0.05")
    }

    @Test func arithmetic() {
        #expect(dec("136284").adding(dec("3135"))?.description == "139419")
        #expect(dec("2.5").subtracting(dec("3"))?.description == "-0.5")
        #expect(dec("0.25").multiplied(by: ExactDecimal(100))!.description == "25")
        #expect(dec("2.30") == dec("2.3"))
        #expect(dec("2.29") < dec("2.3"))
        #expect(Set([dec("1.0"), dec("1")]).count == 1)
        var total = ExactDecimal.zero
        for _ in 0..<10 { total = total.adding(dec("0.1"))! }
        #expect(total == ExactDecimal(1))
    }

    @Test func roundingHalfAwayFromZero() {
        #expect(dec("2.345").rounded(toPlaces: 2).description == "2.35")
        #expect(dec("-2.345").rounded(toPlaces: 2).description == "-2.35")
        #expect(dec("2.344").rounded(toPlaces: 2).description == "2.34")
        #expect(dec("0.5").rounded(toPlaces: 0).description == "1")
        #expect(dec("7").rounded(toPlaces: 2).description == "7")
    }

    @Test func division() {
        // 3135 / 136284 = 0.023003… → 2.30 % (the seed's 6.1).
        #expect(dec("3135").divided(by: dec("136284"), places: 4)?.description == "0.0230")
        #expect(dec("3135").multiplied(by: ExactDecimal(100))!.divided(by: dec("136284"), places: 2)?.description == "2.30")
        #expect(ExactDecimal(1).divided(by: ExactDecimal(3), places: 2)?.description == "0.33")
        #expect(ExactDecimal(2).divided(by: ExactDecimal(3), places: 2)?.description == "0.67")
        #expect(ExactDecimal(-2).divided(by: ExactDecimal(3), places: 2)?.description == "-0.67")
        #expect(dec("199").divided(by: dec("199"), places: 2)?.description == "1.00")
        #expect(ExactDecimal(1).divided(by: .zero, places: 2) == nil)
    }

    @Test func formatting() {
        #expect(dec("136284").formatted(.vi) == "136.284")
        #expect(dec("2.3").formatted(.vi, places: 2) == "2,30")
        #expect(dec("2304.717").formatted(.vi) == "2.304,717")
        #expect(dec("2304.717").formatted(.vi, places: 2) == "2.304,72")
        #expect(dec("1234567.5").formatted(.en) == "1,234,567.5")
        #expect(dec("-1234").formatted(.vi) == "-1.234")
        #expect(dec("999").formatted(.vi) == "999")
    }
}

@Suite struct PeriodTests {
    @Test(arguments: [
        ("Quý I năm 2023", PeriodKind.q1, 2023),
        ("Quý I/2023", .q1, 2023),
        ("quý 1 2023", .q1, 2023),
        ("Q1/2023", .q1, 2023),
        ("QUÝ I NĂM 2024", .q1, 2024),
        ("6 tháng đầu năm 2023", .sixMonths, 2023),
        ("Sáu tháng đầu năm 2023", .sixMonths, 2023),
        ("Quý III/2023", .q3, 2023),
        ("9 tháng năm 2023", .nineMonths, 2023),
        ("Năm 2023", .year, 2023),
    ])
    func parse(_ text: String, _ kind: PeriodKind, _ year: Int) {
        #expect(Period.parse(text) == Period(kind: kind, year: year), "\(text)")
    }

    @Test func notPeriods() {
        #expect(Period.parse("Báo cáo định kỳ") == nil)
        #expect(Period.parse("") == nil)
    }

    @Test func nfdTextReadsTheSame() {
        #expect(Period.parse("Quy\u{0301} I/2023") == Period(kind: .q1, year: 2023))
    }

    @Test func workbookPropertyRoundTrip() {
        let p = Period(kind: .sixMonths, year: 2023)
        #expect(WorkbookProperty.encode(p) == "6-thang/2023")
        #expect(WorkbookProperty.decodePeriod("6-thang/2023") == p)
        #expect(WorkbookProperty.decodePeriod("Quý I/2023") == Period(kind: .q1, year: 2023))
    }

    @Test func reportDates() {
        #expect(ReportDate.parse("(Kèm theo Báo cáo số /BC-UBND ngày /3/2022 của UBND huyện Ngân Sơn)")
                == ReportDate(day: nil, month: 3, year: 2022))
        #expect(ReportDate.parse("ngày 15/3/2023") == ReportDate(day: 15, month: 3, year: 2023))
        #expect(ReportDate.parse("Ngân Sơn, ngày 15 tháng 3 năm 2023") == ReportDate(day: 15, month: 3, year: 2023))
        #expect(ReportDate.parse("ngày  tháng 3 năm 2023") == ReportDate(day: nil, month: 3, year: 2023))
        #expect(ReportDate.parse("không có ngày") == nil)
    }
}
