import AppendixModel
import FormSchema
import Foundation
import OfficialWorkbook
import Support

/// What `convert` takes besides the input and output.
public struct ConvertOptions: Sendable {
    /// The form to read against (else the best match).
    public var formID: String?
    /// The sheet to read (workbooks only).
    public var sheet: String?
    /// Metadata given by the user; it wins over what the input says.
    public var metadata: Metadata
    /// Overwrite an existing output.
    public var force: Bool

    public init(formID: String? = nil, sheet: String? = nil, metadata: Metadata = Metadata(), force: Bool = false) {
        self.formID = formID
        self.sheet = sheet
        self.metadata = metadata
        self.force = force
    }
}

/// What a conversion wrote and what the user should know about it.
public struct ConversionResult: Sendable {
    /// The appendix as written (input metadata filled with the user's).
    public var appendix: Appendix
    /// Warnings for the user: ambiguous numbers, duplicate rows, missing metadata.
    public var warnings: [Localized]
    /// Information from the reader (e.g. legacy font text converted).
    public var notices: [ReadingNotice]
    /// How many of the form's items hold a value.
    public var valuedItems: Int
}

/// A conversion refused because the input has unknown rows or unreadable numbers: every problem
/// is listed (up to ``Conversion/maxListedProblems``), the last one counting them all. Nothing is written.
public struct ConversionRefused: Error, Sendable {
    /// The problems listed before the last one.
    public var listed: [BieuMauError]
    /// The last problem, its message ending with the count; exit 65.
    public var error: BieuMauError
}

/// `convert`: a CSV file or loose sheet → the official workbook.
public enum Conversion {
    public static let maxListedProblems = 20

    /// Reads `input`, checks it can be converted, and writes the official workbook to `output`
    /// (atomically; an existing output only with `force`).
    ///
    /// ```swift
    /// var options = ConvertOptions()
    /// options.metadata.unit = "UBND huyện Ngân Sơn"
    /// let result = try Conversion.convert(input: "ngan-son.csv", output: "ngan-son.xlsx",
    ///                                     options: options, library: try FormLibrary.load())
    /// result.warnings.forEach { print($0.vi) }
    /// ```
    /// - Throws: ``ConversionRefused`` for unknown rows or unreadable numbers; `BieuMauError` otherwise.
    public static func convert(input: String, output: String, options: ConvertOptions,
                               library: FormLibrary) throws -> ConversionResult {
        // Refuse early, before reading, when the output exists.
        try AtomicOutput.checkWritable(output, force: options.force, inputs: [input])
        let loaded = try AppendixReader(library: library).read(path: input, formID: options.formID, sheet: options.sheet)
        var appendix = loaded.appendix
        appendix.metadata = options.metadata.filling(from: appendix.metadata)
        try requireReadable(appendix)
        try OfficialWorkbookWriter.writeAppendix(appendix, to: output, force: options.force, mode: .filled)
        return ConversionResult(appendix: appendix,
                                warnings: readingWarnings(appendix) + ratioWarnings(appendix)
                                    + missingMetadataWarnings(appendix.metadata),
                                notices: loaded.notices,
                                valuedItems: appendix.values.values.filter { !$0.value.isEmpty }.count)
    }

    /// Unknown rows and unreadable numbers, which stop a conversion, in sheet order.
    public static func blockingProblems(_ appendix: Appendix) -> [BieuMauError] {
        var problems: [BieuMauError] = []
        // Unknown rows block; a duplicate row is reported (the first one is kept) but does not.
        for f in appendix.readingFindings where f.severity == .error && f.rule != .duplicateRow {
            problems.append(BieuMauError(.dataError, f.message, at: f.location))
        }
        let status = appendix.form.statusTexts.first ?? "Chưa thực hiện"
        for row in appendix.form.rows where row.kind.isNumeric {
            guard let v = appendix.values[row.id], case .text(let text) = v.value else { continue }
            let code = appendix.form.displayCode(of: row.id)
            problems.append(BieuMauError(.dataError,
                vi: "chỉ tiêu \"\(code) \(row.label)\" cần một số nhưng ô ghi \"\(text)\". Hãy ghi số (vd. 136.284 hoặc 2,30), để trống, hoặc ghi một trạng thái như \"\(status)\".",
                en: "the item \"\(code) \(row.label)\" needs a number but the cell holds \"\(text)\". Write a number (e.g. 136.284 or 2,30), leave it blank, or write a status such as \"\(status)\".",
                at: v.location))
        }
        return problems.sorted { ($0.location?.line ?? 0, $0.location?.cell ?? "") < ($1.location?.line ?? 0, $1.location?.cell ?? "") }
    }

    /// Throws ``ConversionRefused`` when the appendix has blocking problems.
    public static func requireReadable(_ appendix: Appendix) throws {
        let problems = blockingProblems(appendix)
        guard !problems.isEmpty else { return }
        // A wrong file can hold thousands of unknown rows: list the first ones and count the rest.
        let shown = Array(problems.prefix(maxListedProblems))
        var last = shown.last!
        if problems.count > 1 {
            let more = problems.count - shown.count
            last.message = Localized(
                vi: last.message.vi + " (\(problems.count) lỗi\(more > 0 ? ", \(more) lỗi không liệt kê" : ""); chưa ghi tệp kết quả)",
                en: last.message.en + " (\(problems.count) errors\(more > 0 ? ", \(more) not listed" : ""); no output written)")
        }
        throw ConversionRefused(listed: Array(shown.dropLast()), error: last)
    }

    /// The reader's warnings (and duplicate rows), each with its place.
    public static func readingWarnings(_ appendix: Appendix) -> [Localized] {
        appendix.readingFindings.filter { $0.severity == .warning || $0.rule == .duplicateRow }.map { f in
            let whereVi = f.location?.describe(.vi) ?? "", whereEn = f.location?.describe(.en) ?? ""
            return Localized(vi: whereVi.isEmpty ? f.message.vi : "\(whereVi): \(f.message.vi)",
                             en: whereEn.isEmpty ? f.message.en : "\(whereEn): \(f.message.en)")
        }
    }

    /// A warning for each ratio written as the unit's value instead of a live formula because it
    /// disagrees with its parts (the workbook then shows that value in every viewer), with its cell.
    public static func ratioWarnings(_ appendix: Appendix) -> [Localized] {
        appendix.form.rows.compactMap { row -> Localized? in
            guard row.kind == .ratio,
                  let note = OfficialWorkbookWriter.ratioMismatchNote(RatioAgreement.of(row, in: appendix),
                                                                      row: row, form: appendix.form) else { return nil }
            let location = appendix.values[row.id]?.location
            let whereVi = location?.describe(.vi) ?? "", whereEn = location?.describe(.en) ?? ""
            return Localized(vi: whereVi.isEmpty ? note.vi : "\(whereVi): \(note.vi)",
                             en: whereEn.isEmpty ? note.en : "\(whereEn): \(note.en)")
        }
    }

    /// A warning for each heading item (unit, period, report number and date) nobody gave.
    public static func missingMetadataWarnings(_ m: Metadata) -> [Localized] {
        var out: [Localized] = []
        if m.unit == nil {
            out.append(Localized(vi: "không rõ đơn vị báo cáo; ô đơn vị để trống. Dùng --unit \"UBND huyện …\".",
                                 en: "the reporting unit is unknown and left blank. Use --unit \"UBND huyện …\"."))
        }
        if m.period == nil {
            out.append(Localized(vi: "không rõ kỳ báo cáo; để trống. Dùng --period \"Quý I/2023\".",
                                 en: "the reporting period is unknown and left blank. Use --period \"Quý I/2023\"."))
        }
        if m.reportNumber == nil {
            out.append(Localized(vi: "không rõ số báo cáo; để trống. Dùng --report-no \"15/BC-UBND\".",
                                 en: "the report number is unknown and left blank. Use --report-no \"15/BC-UBND\"."))
        }
        if m.reportDate == nil {
            out.append(Localized(vi: "không rõ ngày báo cáo; để trống. Dùng --report-date \"15/3/2023\".",
                                 en: "the report date is unknown and left blank. Use --report-date \"15/3/2023\"."))
        }
        return out
    }
}
