import AppendixModel
import CSVInput
import Crosscheck
import FormSchema
import Foundation
import Support
import TableLocator
import TestSupport

/// The seed report: its narrative (scripts/fixtures/seed-narrative.py from the reference Markdown)
/// and its appendix (Examples/ngan-son-q1-2023.csv, the same table as printed).
enum SeedReport {
    static let library: FormLibrary = {
        do { return try FormLibrary.load(extraFolders: [TestPaths.templates.path]) } catch { fatalError("forms: \(error)") }
    }()
    static var fixtures: URL { TestPaths.packageRoot.appendingPathComponent("Tests/CrosscheckTests/Fixtures") }
    static var narrativeText: String {
        try! String(contentsOf: fixtures.appendingPathComponent("seed-narrative.txt"), encoding: .utf8)
    }
    static var narrative: Narrative { Narrative(plainText: narrativeText) }
    static var csvPath: String { TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path }
    static var csvText: String { try! String(contentsOfFile: csvPath, encoding: .utf8) }

    static func appendix(csv: String? = nil) throws -> Appendix {
        let grid = try CSVReader.parse(text: csv ?? csvText, fileName: "ngan-son-q1-2023.csv")
        return try TableLocator.locate(grid: grid, library: library)
    }
}
