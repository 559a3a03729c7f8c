import AppendixModel
import BieuMau
import FormSchema
import Foundation
import Support
import Testing
import TestSupport

/// Why an upload cannot count as the expected unit's submission (the portal stores it, refuses to
/// submit it and shows this reason). The portal's API tests cover another period and another unit
/// through HTTP; the bundled forms are one, so another form is checked here on the rule itself.
@Suite struct SubmissionRefusalTests {
    static let seedCSV = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path

    func seed() throws -> Appendix {
        try AppendixReader(library: try FormLibrary.load()).read(path: Self.seedCSV).appendix
    }

    @Test("a file of another form is refused, naming the file's form and the collection's")
    func anotherForm() throws {
        let appendix = try seed()
        let e = SubmissionExpectation(form: "cchc-2025", period: nil, unit: "UBND huyện Ngân Sơn")
        let reason = try #require(SubmissionCheck.refusal(appendix, expecting: e))
        #expect(reason.vi == "tệp là biểu mẫu «cchc-2023», đợt báo cáo này thu biểu mẫu «cchc-2025».")
        #expect(reason.en.contains("'cchc-2023'") && reason.en.contains("'cchc-2025'"))
    }

    @Test("the seed for its own form, unit and period is not refused")
    func ownFile() throws {
        let appendix = try seed()
        let e = SubmissionExpectation(form: "cchc-2023", period: nil, unit: "UBND huyện Ngân Sơn")
        #expect(SubmissionCheck.refusal(appendix, expecting: e) == nil)
    }

    @Test("the form is checked before the period and the unit: the first reason is the one a unit can act on")
    func formFirst() throws {
        let appendix = try seed()
        let e = SubmissionExpectation(form: "cchc-2025", period: nil, unit: "UBND xã Bằng Vân")
        let reason = try #require(SubmissionCheck.refusal(appendix, expecting: e))
        #expect(reason.vi.contains("biểu mẫu «cchc-2023»"))
    }
}
