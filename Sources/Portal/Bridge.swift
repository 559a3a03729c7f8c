// TEMPORARY (branch b-portal only, never landed): stands in for the BieuMau façade calls until
// they are on main. Replaced by the façade's AppendixReader / annotate / merge / CSV writer.
import AppendixModel
import AppendixValidation
import CSVInput
import FormSchema
import Foundation
import OfficialWorkbook
import SheetGrid
import Support
import TableLocator
import XLSXInput

enum Annotation {
    static func write(appendix: Appendix, report: ValidationReport, to path: String, force: Bool, language: Language) throws {
        try OfficialWorkbookWriter.writeAppendix(appendix, to: path, force: force, mode: .filled, password: nil)
    }
}

enum Templates {
    static func write(form: FormDefinition, metadata: Metadata, to path: String, force: Bool) throws {
        try OfficialWorkbookWriter.writeAppendix(Appendix(form: form, metadata: metadata), to: path, force: force,
                                                 mode: .template, password: nil)
    }
}

import AppendixMerge
enum Merging {
    static func mergeFiles(_ files: [String], library: FormLibrary, formID: String, options: MergeOptions, output: String,
                           force: Bool) throws {
        throw BieuMauError(.dataError, vi: "chưa có", en: "not yet")
    }
}

enum CSVText {
    static func table(_ rows: [[String]]) -> String {
        rows.map { $0.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") }
            .joined(separator: "\r\n") + "\r\n"
    }
}

enum ExpectedUnits {
    static func parse(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline)
            .map { TextNormalization.collapseWhitespace(TextNormalization.nfc(String($0))) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}

