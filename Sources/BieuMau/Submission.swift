import AppendixMerge
import AppendixModel
import AppendixValidation
import Crosscheck
import FormSchema
import Foundation
import SheetGrid
import Support

/// What a collection expects of one unit's file: its form, its period and the unit itself.
public struct SubmissionExpectation: Sendable, Hashable {
    public var form: String
    public var period: Period?
    public var unit: String

    public init(form: String, period: Period?, unit: String) {
        self.form = form
        self.period = period
        self.unit = TextNormalization.nfc(unit)
    }
}

/// An upload read and validated for an expected unit, with the reason it cannot count as that
/// unit's submission (another form, another period, another unit), if any.
public struct SubmissionCheckResult: Sendable {
    public var appendix: Appendix
    public var report: ValidationReport
    public var notices: [ReadingNotice]
    public var format: InputFormat
    /// Nil when the file is the expected form, period and unit (it may still have errors).
    public var refusal: Localized?
}

/// The portal's check of an upload: the same reader and validator as `validate --form --period
/// --unit`, plus the decision whether the file may be submitted for the unit at all.
public enum SubmissionCheck {
    /// Reads `bytes` (any format the readers accept) and validates them against the expectation.
    /// The file is read without forcing the form, so that a file of another form is named as such.
    /// Throws the reader's `BieuMauError` when the bytes are not an appendix.
    public static func check(bytes: Data, name: String, library: FormLibrary,
                             expecting e: SubmissionExpectation) throws -> SubmissionCheckResult {
        let reader = AppendixReader(library: library)
        let format = InputFormat.sniff(bytes: bytes)
        // A merged workbook uploaded one level up (a district's merge into the province's collection)
        // is read like any unit's file; its claim to stand for several units (custom properties) is
        // believed only when its own "Nguồn" and "Chi tiết" sheets back it, as `merge` decides.
        let (loaded, claim) = try AppendixReader.withPrivateCopy(of: bytes, name: name) { path in
            var loaded = try reader.read(format: format, path: path, displayName: name, formID: nil, sheet: nil)
            let claim = MergedWorkbookCheck.verify(&loaded.appendix) { sheet in MergeJob.mergedWorkbookSheet(path, sheet) }
            return (loaded, claim)
        }
        let appendix = loaded.appendix
        let options = ValidationOptions(expectedPeriod: e.period, expectedUnit: e.unit)
        var report = ValidationReport(appendix: appendix, file: name, options: options)
        if let note = claim.note { report.notes.append(note) }
        // A unit that uploads its whole Word report also gets its text checked against its own
        // appendix (rules text-mismatch, text-arithmetic: warnings, shown with the other findings).
        if loaded.format == .docx {
            let narrative = try ReportCrosscheck.narrative(bytes: bytes, name: name)
            report.findings += Crosscheck.run(narrative: narrative, appendix: appendix, file: name).findings
        }
        return SubmissionCheckResult(appendix: appendix, report: report, notices: loaded.notices, format: loaded.format,
                                     refusal: refusal(appendix, expecting: e))
    }

    /// Why `appendix` cannot be the expected unit's submission: another form, another period, or
    /// another unit named in the file (a file that names no unit is the link's unit's; the
    /// validator warns about it).
    public static func refusal(_ appendix: Appendix, expecting e: SubmissionExpectation) -> Localized? {
        if appendix.form.id != e.form {
            return Localized(vi: "tệp là biểu mẫu «\(appendix.form.id)», đợt báo cáo này thu biểu mẫu «\(e.form)».",
                             en: "the file is the form '\(appendix.form.id)'; this collection takes the form '\(e.form)'.")
        }
        if let period = appendix.metadata.period, let expected = e.period, period != expected {
            return Localized(vi: "tệp báo cáo \(period.vietnamese), đợt báo cáo này thu \(expected.vietnamese).",
                             en: "the file reports on \(period.english); this collection is for \(expected.english).")
        }
        if let unit = appendix.metadata.unit, !UnitIdentity.same(unit, e.unit), appendix.metadata.isMergedWorkbook {
            let n = appendix.metadata.mergedUnits.map(String.init) ?? "?"
            return Localized(vi: "tệp là bảng tổng hợp của «\(unit)» (\(n) đơn vị), không phải bài nộp của «\(e.unit)». Bảng tổng hợp được nộp lên cấp trên bằng đường dẫn của chính «\(unit)».",
                             en: "the file is the merged workbook of '\(unit)' (\(n) units), not a submission of '\(e.unit)'. A merged workbook is submitted one level up through the link of '\(unit)' itself.")
        }
        if let unit = appendix.metadata.unit, !UnitIdentity.same(unit, e.unit) {
            return Localized(vi: "tệp là của «\(unit)», không phải của «\(e.unit)». Mỗi đơn vị nộp bằng đường dẫn của mình.",
                             en: "the file is from '\(unit)', not from '\(e.unit)'. Each unit submits through its own link.")
        }
        return nil
    }
}

extension InputFormat {
    /// The usual file extension of the format (for names the portal gives to stored files).
    public var fileExtension: String {
        switch self {
        case .csv: return "csv"
        case .xlsx: return "xlsx"
        case .xls, .ole, .encrypted: return "xls"
        case .ods: return "ods"
        case .docx: return "docx"
        case .doc: return "doc"
        case .odt: return "odt"
        }
    }
}
