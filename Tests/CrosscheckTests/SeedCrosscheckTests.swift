import AppendixModel
import Crosscheck
import Foundation
import Support
import Testing
import TestSupport

@Suite struct SeedCrosscheckTests {
    @Test func printsSeed() throws {
        let report = Crosscheck.run(narrative: SeedReport.narrative, appendix: try SeedReport.appendix(), file: "seed")
        print(report.text(.vi, listAgreements: true))
    }
}
