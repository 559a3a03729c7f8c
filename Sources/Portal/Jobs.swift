import AppendixMerge
import AppendixModel
import BieuMau
import AppendixValidation
import FormSchema
import Foundation
import OfficialWorkbook
import Support

/// The portal's calls into the library (`BieuMau`): the same reader, validator, merger and
/// workbook writers as the command line. Nothing here decides a rule of the domain; it only
/// passes what the collection expects and turns results into what the store keeps.
struct Jobs: Sendable {
    let library: FormLibrary

    /// What a checked upload becomes: the row to store (without file fields).
    struct Checked: Sendable {
        var outcome: UploadOutcome
        var formFound: String?
        var unitFound: String?
        var periodFound: String?
        var errors = 0
        var warnings = 0
        /// `validate --format json` of the file, per language.
        var reportVI: String?
        var reportEN: String?
        /// Findings grouped by section for the page, per language (JSON, see `PageFindings`).
        var groupsVI: String?
        var groupsEN: String?
        var reasonVI: String?
        var reasonEN: String?
    }

    /// Reads an upload as an appendix and validates it for `unit` in `collection`. A file of another
    /// form, period or unit is `refused` with the library's reason; a file that cannot be read is
    /// `unreadable` with the reader's message.
    func check(bytes: [UInt8], filename: String, collection: CollectionRecord, unit: UnitRecord) -> Checked {
        let expectation = SubmissionExpectation(form: collection.form,
                                                period: WorkbookProperty.decodePeriod(collection.period),
                                                unit: unit.name)
        do {
            let checked = try SubmissionCheck.check(bytes: Data(bytes), name: filename, library: library,
                                                    expecting: expectation)
            let report = checked.report
            var out = Checked(outcome: checked.refusal == nil ? .checked : .refused)
            out.formFound = report.form
            out.unitFound = report.unit
            out.periodFound = report.period.map { WorkbookProperty.encode($0) }
            out.errors = report.summary.errors
            out.warnings = report.summary.warnings
            out.reportVI = report.json(.vi)
            out.reportEN = report.json(.en)
            out.groupsVI = PageFindings.encode(report, .vi)
            out.groupsEN = PageFindings.encode(report, .en)
            out.reasonVI = checked.refusal?.vi
            out.reasonEN = checked.refusal?.en
            return out
        } catch let error as BieuMauError {
            var out = Checked(outcome: .unreadable)
            out.reasonVI = error.text(.vi)
            out.reasonEN = error.text(.en)
            return out
        } catch {
            var out = Checked(outcome: .unreadable)
            out.reasonVI = "Không đọc được tệp \(filename) (\(error))."
            out.reasonEN = "Cannot read the file \(filename) (\(error))."
            return out
        }
    }

    /// The annotated copy of a stored upload (highlighted cells, a sheet listing the findings).
    func annotate(file: URL, filename: String, collection: CollectionRecord, unit: UnitRecord,
                  to output: URL, language: Language) throws {
        let expectation = SubmissionExpectation(form: collection.form,
                                                period: WorkbookProperty.decodePeriod(collection.period),
                                                unit: unit.name)
        let bytes = try Data(contentsOf: file)
        let checked = try SubmissionCheck.check(bytes: bytes, name: filename, library: library, expecting: expectation)
        try AnnotatedWorkbook.write(appendix: checked.appendix, report: checked.report, to: output.path, force: true,
                                    language: language)
    }

    /// The blank form for a unit, its name and the period filled in.
    func template(collection: CollectionRecord, unit: String?, to output: URL) throws {
        var metadata = Metadata(unit: unit, parentBody: collection.parentUnit)
        metadata.period = WorkbookProperty.decodePeriod(collection.period)
        try Template.write(formID: collection.form, metadata: metadata, to: output.path, force: true, library: library)
    }

    /// The merged workbook of the latest submissions. Units that have not submitted are named as missing.
    func merge(files: [(path: String, unit: String)], collection: CollectionRecord, expectedUnits: [String],
               to output: URL) throws {
        let options = MergeJobOptions(inputs: files.map(\.path), output: output.path, unit: collection.parentUnit,
                                      formID: collection.form, period: WorkbookProperty.decodePeriod(collection.period),
                                      expectedUnits: expectedUnits, allowPartial: true, latest: true, force: true)
        // The caller serves the workbook; the merge's own report (accepted, rejected, missing) is in
        // the workbook's Nguồn sheet.
        _ = try MergeJob.merge(options, library: library)
    }
}

/// Findings grouped by section, as the unit's page shows them (written with the project's JSON writer).
enum PageFindings {
    static func encode(_ report: ValidationReport, _ lang: Language) -> String {
        var groups: [JSONValue] = []
        for (heading, list) in report.grouped() {
            let title = heading.map { "[\($0.code)] \($0.label)" } ?? (lang == .en ? "Document" : "Thông tin chung")
            groups.append(.object([
                ("heading", .string(title)),
                ("findings", .array(list.map { f in
                    .object([
                        ("severity", .string(f.severity.rawValue)),
                        ("severityText", .string(ValidationReport.severityWord(f.severity, lang))),
                        ("rule", .string(f.rule.rawValue)),
                        ("code", .string(f.code)),
                        ("label", .string(f.label)),
                        ("cell", .string(f.location?.cellText(lang) ?? "")),
                        ("found", .string(f.found ?? "")),
                        ("expected", .string(f.expected ?? "")),
                        ("message", .string(f.message.text(lang))),
                    ])
                })),
            ]))
        }
        return JSONValue.object([("groups", .array(groups)), ("notes", .array(report.notes.map { .string($0.text(lang)) }))]).text
    }
}
