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

struct SubmissionExpectation: Sendable {
    var form: String
    var period: Period?
    var unit: String
}

struct SubmissionCheckResult: Sendable {
    var appendix: Appendix
    var report: ValidationReport
    var refusal: Localized?
}

enum SubmissionCheck {
    static func check(bytes: Data, name: String, library: FormLibrary, expecting e: SubmissionExpectation) throws -> SubmissionCheckResult {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("upload").path
        FileManager.default.createFile(atPath: path, contents: bytes)
        let appendix: Appendix
        if bytes.starts(with: [0x50, 0x4B]) {
            let workbook = try XLSXWorkbook(path: path)
            var found: Appendix?
            for info in workbook.sheets where info.kind == "worksheet" {
                let grid = try workbook.readGrid(info)
                if TableLocator.findTable(in: grid, library: library) != nil {
                    found = try TableLocator.locate(grid: grid, library: library, formID: nil)
                    break
                }
            }
            appendix = try found ?? TableLocator.locate(grid: try workbook.readGrid(workbook.firstSheet), library: library, formID: nil)
        } else {
            let document = try CSVReader.read(file: path)
            appendix = try TableLocator.locate(grid: document.grid, library: library, formID: nil)
        }
        let options = ValidationOptions(expectedPeriod: e.period, expectedUnit: e.unit)
        let report = ValidationReport(appendix: appendix, file: name, options: options)
        var refusal: Localized?
        if appendix.form.id != e.form {
            refusal = Localized(vi: "tệp là biểu mẫu \(appendix.form.id), đợt này thu biểu mẫu \(e.form).",
                                en: "the file is form \(appendix.form.id); this collection takes form \(e.form).")
        } else if let p = appendix.metadata.period, let want = e.period, p != want {
            refusal = Localized(vi: "tệp báo cáo kỳ \(p.vietnamese), đợt này thu kỳ \(want.vietnamese).",
                                en: "the file reports on \(p.english); this collection is for \(want.english).")
        } else if let u = appendix.metadata.unit, !UnitName.same(u, e.unit) {
            refusal = Localized(vi: "tệp là của đơn vị «\(u)», không phải «\(e.unit)».",
                                en: "the file is from '\(u)', not '\(e.unit)'.")
        }
        return SubmissionCheckResult(appendix: appendix, report: report, refusal: refusal)
    }
}

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

enum InputFormat {
    case xlsx, csv
    static func sniff(path: String) throws -> InputFormat {
        let h = FileHandle(forReadingAtPath: path)
        let head = [UInt8]((try? h?.read(upToCount: 2)) ?? Data())
        return head == [0x50, 0x4B] ? .xlsx : .csv
    }
    var fileExtension: String { self == .xlsx ? "xlsx" : "csv" }
}
