import AppendixMerge
import AppendixModel
import AppendixValidation
import FormSchema
import Foundation
import OfficialWorkbook
import Support

/// What `validate` checks besides the form's own rules.
public struct ValidateOptions: Sendable {
    public var formID: String?
    /// The sheet to read (workbooks only).
    public var sheet: String?
    /// The period each file must be for.
    public var expectedPeriod: Period?
    /// The unit each file must be from.
    public var expectedUnit: String?
    /// The previous cumulative period's appendix, to compare with.
    public var previous: String?
    /// Warnings count as errors.
    public var strict: Bool
    /// Write the annotated copy of the (one) file here.
    public var annotate: String?
    /// Overwrite an existing annotated copy.
    public var force: Bool
    /// The language of the annotated copy's comments and sheet.
    public var language: Language

    public init(formID: String? = nil, sheet: String? = nil, expectedPeriod: Period? = nil, expectedUnit: String? = nil,
                previous: String? = nil, strict: Bool = false, annotate: String? = nil, force: Bool = false,
                language: Language = .vi) {
        self.formID = formID
        self.sheet = sheet
        self.expectedPeriod = expectedPeriod
        self.expectedUnit = expectedUnit.map(TextNormalization.nfc)
        self.previous = previous
        self.strict = strict
        self.annotate = annotate
        self.force = force
        self.language = language
    }
}

/// One file checked: its report, or why it could not be read.
public struct ValidatedFile: Sendable {
    public var file: String
    public var appendix: Appendix?
    public var report: ValidationReport?
    /// Why the file could not be read as an appendix.
    public var error: BieuMauError?
    public var notices: [ReadingNotice]
}

/// The outcome of `validate` over several files.
public struct ValidationRun: Sendable {
    public var files: [ValidatedFile]
    /// The annotated copy written, if one was asked for.
    public var annotated: String?

    public var reports: [ValidationReport] { files.compactMap(\.report) }
    public var unreadable: [ValidatedFile] { files.filter { $0.error != nil } }

    /// 66 when only missing files failed, 65 when a file could not be read, 1 when a report has
    /// errors, else 0.
    public var status: ExitStatus {
        let errors = files.compactMap(\.error)
        if !errors.isEmpty { return errors.allSatisfy { $0.status == .noInput } ? .noInput : .dataError }
        return reports.contains(where: \.hasErrors) ? .findings : .success
    }
}

/// `validate`: every file checked against its form's rules, each problem at its cell.
public enum Validation {
    /// Reads and checks each file; a file that cannot be read is recorded, not thrown. Throws
    /// only for what stops the whole run (an unreadable `previous`, an annotated copy that
    /// cannot be written, `annotate` with other than one file).
    ///
    /// ```swift
    /// let run = try Validation.validate(files: ["a.xlsx", "b.csv"], library: try FormLibrary.load())
    /// for report in run.reports { print(report.text(.vi)) }
    /// ```
    public static func validate(files: [String], options: ValidateOptions = .init(),
                                library: FormLibrary) throws -> ValidationRun {
        if options.annotate != nil && files.count != 1 {
            throw BieuMauError(.usage, vi: "--annotate chỉ dùng với đúng một tệp đầu vào (đang có \(files.count)).",
                               en: "--annotate takes exactly one input file (\(files.count) given).")
        }
        if let annotate = options.annotate { try AtomicOutput.checkWritable(annotate, force: options.force, inputs: files) }
        let reader = AppendixReader(library: library)
        // The previous period's file may be on the form the named one replaces.
        let previous = try options.previous.map {
            try reader.read(path: $0, formID: library.formIDForReading(current: options.formID)).appendix
        }
        let checks = ValidationOptions(expectedPeriod: options.expectedPeriod, expectedUnit: options.expectedUnit,
                                       previous: previous, strict: options.strict)
        var run = ValidationRun(files: [])
        for file in files {
            do {
                var loaded = try reader.read(path: file, formID: options.formID, sheet: options.sheet)
                // A claim to be a merged workbook (custom properties) is believed only when the
                // workbook's own "Nguồn" and "Chi tiết" back it, as `merge` and the portal decide.
                let claim = MergedWorkbookCheck.verify(&loaded.appendix) { sheet in MergeJob.mergedWorkbookSheet(file, sheet) }
                var report = ValidationReport(appendix: loaded.appendix, file: file, options: checks)
                if let note = claim.note { report.notes.append(note) }
                run.files.append(ValidatedFile(file: file, appendix: loaded.appendix, report: report, notices: loaded.notices))
            } catch let error as BieuMauError {
                run.files.append(ValidatedFile(file: file, error: error, notices: []))
            }
        }
        if let annotate = options.annotate, let checked = run.files.first,
           let appendix = checked.appendix, let report = checked.report {
            try AnnotatedWorkbook.write(appendix: appendix, report: report, to: annotate, force: options.force,
                                        language: options.language)
            run.annotated = annotate
        }
        return run
    }
}
