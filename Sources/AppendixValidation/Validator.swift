import Foundation
import AppendixModel
import FormSchema
import Support

/// What the caller knows about the appendix beyond the file itself.
public struct ValidationOptions: Sendable {
    /// The period the appendix must report on (`--period`).
    public var expectedPeriod: Period?
    /// The unit that must have sent it (`--unit`).
    public var expectedUnit: String?
    /// The same unit's appendix for an earlier cumulative period of the same year (`--previous`).
    public var previous: Appendix?
    /// Warnings count as errors.
    public var strict: Bool

    public init(expectedPeriod: Period? = nil, expectedUnit: String? = nil, previous: Appendix? = nil, strict: Bool = false) {
        self.expectedPeriod = expectedPeriod
        self.expectedUnit = expectedUnit
        self.previous = previous
        self.strict = strict
    }
}

/// Whether an earlier appendix could be compared with this one, and why not.
public enum PreviousComparison: Sendable, Hashable {
    case compared(previous: Period, current: Period)
    case notComparable(Localized)
}

/// Checks a filled appendix against its form definition: every rule comes from the form
/// (row kinds, constraints, numerator/denominator, `rules:`), nothing from Swift.
public enum Validator {
    /// All findings, in this order: document level (period, unit), problems noticed while reading,
    /// then the rows in form order. With `options.strict` every warning is an error.
    public static func validate(_ appendix: Appendix, options: ValidationOptions = .init()) -> [Finding] {
        run(Checker(appendix: appendix, options: options, detailed: true))
    }

    /// How many errors and warnings `validate` reports, without writing the findings' texts (a
    /// merge keeps only these counts of each unit): the same checks and the same merging of a
    /// problem found twice, on findings that keep only their severity, rule, row and (for the rules
    /// merged when found twice) expected value.
    public static func counts(_ appendix: Appendix, options: ValidationOptions = .init()) -> ValidationReport.Summary {
        let findings = run(Checker(appendix: appendix, options: options, detailed: false))
        var errors = 0, warnings = 0
        for f in findings {
            if f.severity == .error { errors += 1 } else { warnings += 1 }
        }
        return ValidationReport.Summary(errors: errors, warnings: warnings)
    }

    static func run(_ c: Checker) -> [Finding] {
        c.checkDocument()
        c.findings += c.appendix.readingFindings
        c.checkRows()
        c.checkRatios()
        c.checkCrossRules()
        c.checkCumulative()
        var result = deduplicated(c.findings)
        if c.options.strict {
            for i in result.indices where result[i].severity == .warning { result[i].severity = .error }
        }
        return result
    }

    /// Rules whose findings are merged when the same problem is found twice (`deduplicated`).
    static func mergesDuplicates(_ rule: Rule) -> Bool { rule == .partExceedsWhole || rule == .sumMismatch }

    /// Whether `options.previous` can be compared with `appendix` (same form, same unit, same year,
    /// an earlier cumulative period), with the reason when it cannot. Nil when there is no previous appendix.
    public static func previousComparison(_ appendix: Appendix, options: ValidationOptions) -> PreviousComparison? {
        guard let previous = previousAppendix(appendix, options: options)?.appendix else { return nil }
        return comparison(current: appendix, currentPeriod: appendix.metadata.period ?? options.expectedPeriod,
                          previous: previous)
    }

    /// The previous period's appendix as compared with `appendix`: on last year's form, read through
    /// the row map of the form that replaces it (then `carried` says which rows were not compared).
    public static func previousAppendix(_ appendix: Appendix, options: ValidationOptions) -> (appendix: Appendix, carried: CarriedAppendix?)? {
        guard let previous = options.previous else { return nil }
        if previous.form.id != appendix.form.id, let carried = previous.carried(to: appendix.form) {
            return (carried.appendix, carried)
        }
        return (previous, nil)
    }

    /// The same problem found twice (a ratio's implied part ≤ whole and an explicit rule on the
    /// same rows) is reported once, at its most severe.
    static func deduplicated(_ findings: [Finding]) -> [Finding] {
        var out: [Finding] = []
        struct Key: Hashable {
            let rule: Rule
            let row: String
            let expected: String
        }
        var indexByKey: [Key: Int] = [:]
        for f in findings {
            guard let row = f.rowID, mergesDuplicates(f.rule) else {
                out.append(f)
                continue
            }
            let key = Key(rule: f.rule, row: row, expected: f.expected ?? "")
            if let i = indexByKey[key] {
                if f.severity < out[i].severity { out[i] = f }
            } else {
                indexByKey[key] = out.count
                out.append(f)
            }
        }
        return out
    }

    static func comparison(current: Appendix, currentPeriod: Period?, previous: Appendix) -> PreviousComparison {
        if previous.form.id != current.form.id {
            return .notComparable(Localized(
                vi: "Không so sánh với kỳ trước: kỳ trước dùng biểu mẫu \(previous.form.id), kỳ này dùng \(current.form.id).",
                en: "Not compared with the previous period: it uses the form \(previous.form.id), this one \(current.form.id)."))
        }
        guard let cur = currentPeriod else {
            return .notComparable(Localized(
                vi: "Không so sánh với kỳ trước: không biết kỳ báo cáo của tệp này. Dùng --period để nêu kỳ.",
                en: "Not compared with the previous period: this file's period is unknown. Name it with --period."))
        }
        guard let prev = previous.metadata.period else {
            return .notComparable(Localized(
                vi: "Không so sánh với kỳ trước: không đọc được kỳ báo cáo của tệp kỳ trước.",
                en: "Not compared with the previous period: the previous file's period could not be read."))
        }
        if let a = previous.metadata.unit, let b = current.metadata.unit, !UnitIdentity.same(a, b) {
            return .notComparable(Localized(
                vi: "Không so sánh với kỳ trước: tệp kỳ trước của đơn vị «\(a)», tệp này của «\(b)».",
                en: "Not compared with the previous period: the previous file is from '\(a)', this one from '\(b)'."))
        }
        if prev.year != cur.year {
            return .notComparable(Localized(
                vi: "Không so sánh với kỳ trước: \(prev.vietnamese) và \(cur.vietnamese) không cùng năm; số liệu lũy kế tính lại từ đầu mỗi năm.",
                en: "Not compared with the previous period: \(prev.english) and \(cur.english) are in different years; cumulative figures restart every year."))
        }
        if !cur.kind.isCumulative || !prev.kind.isCumulative {
            let q3 = !cur.kind.isCumulative ? cur : prev
            return .notComparable(Localized(
                vi: "Không so sánh với kỳ trước: \(q3.vietnamese) không phải kỳ lũy kế (chỉ tính từ 15/6 đến 14/9), nên số liệu có thể nhỏ hơn kỳ trước.",
                en: "Not compared with the previous period: \(q3.english) is not cumulative (it covers 15/6–14/9 only), so its figures may be lower."))
        }
        if prev.kind.endMonth >= cur.kind.endMonth {
            return .notComparable(Localized(
                vi: "Không so sánh với kỳ trước: \(prev.vietnamese) không phải kỳ trước của \(cur.vietnamese).",
                en: "Not compared with the previous period: \(prev.english) does not come before \(cur.english)."))
        }
        return .compared(previous: prev, current: cur)
    }
}

extension Period {
    /// `Q1 2023`, `6 months 2023`, `Year 2023`.
    public var english: String { "\(kind.english) \(year)" }
}

/// The state of one validation run. Every finding's texts (`found`, `expected`, the message) are
/// arguments evaluated only when `detailed`: `Validator.counts` runs the same checks without them.
final class Checker {
    let appendix: Appendix
    let options: ValidationOptions
    /// False for `Validator.counts`: findings keep severity, rule and row (and `expected` for the
    /// rules merged when found twice), not their texts.
    let detailed: Bool
    var findings: [Finding] = []

    init(appendix: Appendix, options: ValidationOptions, detailed: Bool = true) {
        self.appendix = appendix
        self.options = options
        self.detailed = detailed
    }

    var form: FormDefinition { appendix.form }
    var locale: NumberLocale { appendix.numberLocale }
    var isMerged: Bool { appendix.metadata.isMergedWorkbook }

    // MARK: helpers

    /// The cell as shown in findings: white space collapsed, markup removed, and a long cell cut
    /// (at a character, never inside one) with "…" and its length.
    func shown(_ rv: RowValue) -> String {
        SafeText.excerpt(TextNormalization.collapseWhitespace(TextNormalization.stripMarkup(rv.raw)))
    }

    func number(_ n: ExactDecimal, places: Int? = nil) -> String { n.formatted(locale, places: places) }

    /// Records a finding on `row` (or on the document: `row` nil, `label` and `location` given).
    /// The texts are evaluated only for a detailed run.
    func add(_ severity: Severity, _ rule: Rule, row: FormRow?, label: @autoclosure () -> String? = nil,
             location: @autoclosure () -> SourceLocation? = nil,
             found: @autoclosure () -> String? = nil, expected: @autoclosure () -> String? = nil,
             vi: @autoclosure () -> String, en: @autoclosure () -> String) {
        guard detailed else {
            findings.append(Finding(severity: severity, rule: rule, rowID: row?.id,
                                    expected: Validator.mergesDuplicates(rule) ? expected() : nil,
                                    message: Localized(vi: "", en: "")))
            return
        }
        findings.append(Finding(
            severity: severity, rule: rule, rowID: row?.id,
            code: row.map { form.displayCode(of: $0.id) } ?? "",
            label: label() ?? row?.label ?? "",
            location: location() ?? row.flatMap { appendix.values[$0.id]?.location },
            found: found(), expected: expected(), message: Localized(vi: vi(), en: en())))
    }

    /// `1.6 «Tổ chức đối thoại…»` for messages.
    func name(_ row: FormRow) -> String {
        let code = form.displayCode(of: row.id)
        let label = Self.shorten(row.label, to: 60)
        return code.isEmpty ? "«\(label)»" : "\(code) «\(label)»"
    }

    /// The supported range in words, for messages.
    static func supportedRangeText(_ lang: Language) -> String {
        lang == .en
            ? "at most \(ExactDecimal.maxIntegerDigits) digits before the decimal point and \(ExactDecimal.maxDecimals) after it"
            : "tối đa \(ExactDecimal.maxIntegerDigits) chữ số phần nguyên và \(ExactDecimal.maxDecimals) chữ số thập phân"
    }

    static func shorten(_ text: String, to limit: Int) -> String {
        // No more bytes than the limit: no more characters either (counting characters is costly).
        if text.utf8.count <= limit { return text }
        return shortened.value(Shortening(text: UTF8Key(text), limit: limit)) {
            text.count <= limit ? text : String(text.prefix(limit - 1)).trimmingCharacters(in: .whitespaces) + "…"
        }
    }

    /// Shortened labels by (label, limit): the form's labels are shortened for the messages of
    /// every unit's file, and counting characters of a long label costs more than the rest of a message.
    struct Shortening: Hashable {
        let text: UTF8Key
        let limit: Int
    }
    static let shortened = Memo<Shortening, String>(limit: 10_000)

    var statusList: String { form.statusTexts.map { "«\($0)»" }.joined(separator: ", ") }

    static func severity(_ level: RuleLevel) -> Severity { level == .error ? .error : .warning }

    // MARK: document level

    func checkDocument() {
        let md = appendix.metadata
        if let expected = options.expectedPeriod, let actual = md.period, expected != actual {
            add(.error, .periodMismatch, row: nil, location: md.locations["period"] ?? md.locations["title"],
                found: actual.vietnamese, expected: expected.vietnamese,
                vi: "Tệp ghi kỳ báo cáo \(actual.vietnamese) nhưng cần \(expected.vietnamese). Kiểm tra lại có gửi nhầm tệp không, hoặc sửa kỳ báo cáo ở tiêu đề.",
                en: "The file reports on \(actual.english) but \(expected.english) is expected. Check that this is the right file, or correct the period in the title.")
        }
        if let date = md.reportDate, !date.isValid {
            // A date that does not exist is an error whatever the period.
            checkReportDate(date, period: md.period ?? options.expectedPeriod ?? Period(kind: .year, year: date.year ?? 0))
        } else if let period = md.period ?? options.expectedPeriod, let date = md.reportDate {
            checkReportDate(date, period: period)
        }
        if let expectedUnit = options.expectedUnit {
            var location: SourceLocation? { md.locations["unit"] ?? md.locations["reportReference"] }
            if let unit = md.unit {
                if !UnitIdentity.same(unit, expectedUnit) {
                    add(.error, .unitMismatch, row: nil, location: location, found: SafeText.excerpt(unit), expected: expectedUnit,
                        vi: "Tệp là của đơn vị «\(unit)», không phải «\(expectedUnit)». Kiểm tra lại có gửi nhầm tệp không.",
                        en: "The file is from '\(unit)', not '\(expectedUnit)'. Check that this is the right file.")
                }
            } else {
                add(.warning, .unitMismatch, row: nil, location: location, found: nil, expected: expectedUnit,
                    vi: "Tệp không ghi tên đơn vị báo cáo nên không đối chiếu được với «\(expectedUnit)». Ghi tên đơn vị ở đầu biểu hoặc trong dòng «Kèm theo Báo cáo số … của …».",
                    en: "The file does not name its reporting unit, so it cannot be matched with '\(expectedUnit)'. Write the unit in the header or in the '(Kèm theo Báo cáo số … của …)' line.")
            }
        }
    }

    /// Months in which a report on `kind` is normally dated.
    static func months(for kind: PeriodKind) -> [Int] {
        switch kind {
        case .q1: return [3, 4]
        case .sixMonths: return [6, 7]
        case .q3, .nineMonths: return [9, 10]
        case .year: return [11, 12, 1]
        }
    }

    func checkReportDate(_ date: ReportDate, period: Period) {
        let md = appendix.metadata
        let months = Self.months(for: period.kind)
        // The texts, for findings only.
        var location: SourceLocation? { md.locations["reportDate"] ?? md.locations["reportReference"] ?? md.locations["title"] }
        var monthsText: String { period.kind == .year ? "11, 12 hoặc 1 năm sau" : months.map(String.init).joined(separator: " hoặc ") }
        var monthsTextEn: String { period.kind == .year ? "11, 12 or January of the next year" : months.map(String.init).joined(separator: " or ") }
        var reference: String {
            md.reportReference.map { Self.shorten(TextNormalization.collapseWhitespace($0), to: 90) } ?? "(Kèm theo Báo cáo số … ngày …)"
        }
        var printed: String { date.vietnamese }
        guard date.isValid else {
            add(.error, .periodMismatch, row: nil, label: reference, location: location,
                found: printed, expected: "ngày/tháng/năm có thật",
                vi: "Ngày báo cáo \(printed) không có thật (tháng từ 1 đến 12, ngày trong tháng đó). Sửa ngày trong dòng «\(reference)».",
                en: "The report date \(printed) does not exist (months run 1–12, days within the month). Correct the date in the line '\(reference)'.")
            return
        }
        if let year = date.year {
            let fine = year == period.year || (period.kind == .year && year == period.year + 1 && date.month == 1)
            if !fine {
                let expectedYear = period.year
                add(.error, .periodMismatch, row: nil, label: reference, location: location,
                    found: printed, expected: ReportDate(day: date.day, month: date.month, year: expectedYear).vietnamese,
                    vi: "Ngày báo cáo ghi năm \(year) nhưng kỳ báo cáo là \(period.vietnamese). Sửa năm trong dòng «\(reference)» thành \(expectedYear).",
                    en: "The report is dated \(year) but the period is \(period.english). Correct the year in the line '\(reference)' to \(expectedYear).")
                return
            }
        }
        if let month = date.month, !months.contains(month) {
            add(.warning, .periodMismatch, row: nil, label: reference, location: location,
                found: printed, expected: period.kind == .year ? "tháng 11, 12 hoặc 1" : "tháng " + months.map(String.init).joined(separator: "–"),
                vi: "Ngày báo cáo ghi tháng \(month), không khớp kỳ \(period.vietnamese) (thường lập vào tháng \(monthsText)). Kiểm tra lại ngày báo cáo hoặc kỳ báo cáo.",
                en: "The report is dated month \(month), which does not fit \(period.english) (usually dated in month \(monthsTextEn)). Check the report date or the period.")
        }
    }

    // MARK: each row

    func checkRows() {
        let missing = missingSections()
        let inMissingSection = Set(missing.flatMap { $0.rows })
        reportMissingSections(missing)
        let rows = form.rows
        let values = appendix.values
        rows.withUnsafeBufferPointer { buffer in
            for i in buffer.indices {
                // The row is read where it is held (a buffer's subscript, like an array's, copies
                // the row: a dozen strings and arrays retained and released per row); `check` is
                // inlined, so only the rows it passes on further are copied.
                let row = buffer.baseAddress! + i
                if let v = values.index(forKey: row.pointee.id) {
                    check(row, values.values[v])
                } else {
                    checkAbsent(row.pointee, inMissingSection: inMissingSection)
                }
            }
        }
        checkEmptyAppendix()
    }

    /// A row of the form that is not in the input (outside a section reported missing as a whole).
    func checkAbsent(_ row: FormRow, inMissingSection: Set<String>) {
        guard row.kind.holdsValue && !inMissingSection.contains(row.id) else { return }
        if row.required {
            add(.error, .missingRow, row: row, found: nil, expected: row.unit.isEmpty ? nil : row.unit,
                vi: "Thiếu dòng \(name(row)), là dòng bắt buộc. Thêm dòng này theo đúng biểu mẫu và điền số liệu.",
                en: "The row \(name(row)) is missing and it is required. Add it as in the form and fill in its value.")
        } else {
            add(.warning, .missingRow, row: row, found: nil, expected: nil,
                vi: "Thiếu dòng \(name(row)) so với biểu mẫu \(form.id). Thêm dòng này (để trống nếu chưa có số liệu), hoặc kiểm tra có dùng đúng mẫu không.",
                en: "The row \(name(row)) of the form \(form.id) is missing. Add it (blank if there is no figure yet), or check that the right form was used.")
        }
    }

    /// Sections of the form none of whose rows is in the input (a file cut off after section 3,
    /// a page not copied): the section row and the ids of its value rows.
    func missingSections() -> [(section: FormRow, rows: [String])] {
        let rows = form.rows
        var out: [(section: FormRow, rows: [String])] = []
        var sections = 0
        // The current section's index, and whether any of its rows (itself included) is in the input.
        var current: Int?
        var present = false
        func close(before end: Int) {
            guard let s = current, !present else { return }
            var ids: [String] = []
            for i in (s + 1)..<end where rows[i].kind.holdsValue { ids.append(rows[i].id) }
            if !ids.isEmpty { out.append((rows[s], ids)) }
        }
        for i in rows.indices {
            if rows[i].kind == .section {
                close(before: i)
                sections += 1
                current = i
                present = appendix.values[rows[i].id] != nil
            } else if current != nil, !present, appendix.values[rows[i].id] != nil {
                present = true
            }
        }
        close(before: rows.count)
        // Nothing read at all is another problem (no table rows): reported as an empty appendix.
        if out.count == sections { return [] }
        return out
    }

    /// One error per missing section, naming where the table stops.
    func reportMissingSections(_ missing: [(section: FormRow, rows: [String])]) {
        guard !missing.isEmpty else { return }
        // The last row read, in form order: where a cut-off table stops.
        let last = form.rows.last { appendix.values[$0.id]?.location != nil }
        let lastCell = last.flatMap { appendix.values[$0.id]?.location }
        var stopVi: String { last.map { " Bảng dừng ở dòng \(name($0))\(lastCell?.cellText(.vi).map { " (\($0))" } ?? "")." } ?? "" }
        var stopEn: String { last.map { " The table stops at the row \(name($0))\(lastCell?.cellText(.en).map { " (\($0))" } ?? "")." } ?? "" }
        for (section, rows) in missing {
            add(.error, .missingSection, row: section, location: lastCell, found: nil, expected: "\(rows.count) dòng",
                vi: "Thiếu cả mục \(name(section)) (\(rows.count) dòng có số liệu) so với biểu mẫu \(form.id): tệp bị cắt cụt hoặc thiếu trang?\(stopVi) Bổ sung mục này theo đúng biểu mẫu (để trống dòng chưa có số liệu).",
                en: "The whole section \(name(section)) (\(rows.count) value rows) of the form \(form.id) is missing: is the file cut off or a page missing?\(stopEn) Add the section as in the form (blank where there is no figure yet).")
        }
    }

    /// The table was found but no value row holds anything: an error (an empty form is not a report).
    func checkEmptyAppendix() {
        guard !isMerged else { return }
        let rows = form.rows
        var valueRows = 0
        for i in rows.indices where rows[i].kind.holdsValue {
            if let v = appendix.values[rows[i].id], !v.value.isEmpty { return }
            valueRows += 1
        }
        guard valueRows > 0 else { return }
        // Numbers typed in the Ghi chú column are reported each at its cell instead.
        guard !findings.contains(where: { $0.rule == .valueInNoteColumn }) else { return }
        var header: String { form.headers.value }
        add(.error, .emptyAppendix, row: nil, location: appendix.metadata.locations["title"], found: "", expected: nil,
            vi: "Phụ lục không có số liệu nào: mọi ô ở cột «\(header)» đều trống. Điền số liệu (hoặc một trạng thái của biểu: \(statusList)) trước khi gửi.",
            en: "The appendix holds no figure: every cell of the '\(header)' column is empty. Fill in the figures (or one of the form's status texts) before sending it.")
    }

    /// The row is read through its address (`checkRows` reads it where the form holds it; passing
    /// it on would copy it: a dozen strings and arrays retained and released per row).
    @inline(__always)
    func check(_ rowAt: UnsafePointer<FormRow>, _ rv: RowValue) {
        var row: FormRow { rowAt.pointee }
        var found: String { shown(rv) }
        switch row.kind {
        case .section, .group:
            if !rv.value.isEmpty {
                add(.warning, .valueOnGroupRow, row: row, found: found, expected: "",
                    vi: "Dòng \(name(row)) là dòng tiêu đề nhóm, không có số liệu, nhưng ô số liệu ghi «\(found)». Xóa giá trị này; số liệu ghi ở các dòng con.",
                    en: "The row \(name(row)) is a heading and holds no value, but its value cell reads '\(found)'. Delete it; the figures belong in the rows below.")
            }
            return
        default:
            break
        }
        if rv.value.isEmpty {
            if row.kind.isNumeric, checkValueInNote(row, rv) { return }
            if row.required {
                add(.error, .missingRow, row: row, found: "", expected: row.unit.isEmpty ? nil : row.unit,
                    vi: "Dòng \(name(row)) là dòng bắt buộc nhưng để trống. Điền số liệu, hoặc ghi một trạng thái của biểu (\(statusList)).",
                    en: "The row \(name(row)) is required but empty. Fill it in, or write one of the form's status texts (\(statusList)).")
            }
            return
        }
        if case .status = rv.value { return }
        switch row.kind {
        case .count, .money, .ratio:
            checkNumeric(rowAt, rv)
        case .yesno:
            checkYesNo(row, rv)
        case .choice:
            checkChoice(row, rv)
        case .text, .section, .group:
            break
        }
    }

    /// A number typed in the Ghi chú column while the value cell is empty: the figure is in the
    /// wrong column (convert and merge would read the row as blank). True when reported.
    func checkValueInNote(_ row: FormRow, _ rv: RowValue) -> Bool {
        guard !rv.note.isEmpty else { return false }
        let note = TextNormalization.collapseWhitespace(TextNormalization.stripMarkup(rv.note))
        guard !note.isEmpty, NumberParser.classify(note).reading(in: locale) != nil else { return false }
        var shownNote: String { SafeText.excerpt(note) }
        var valueCell: String { rv.location?.cellText(.vi).map { " (\($0))" } ?? "" }
        var valueCellEn: String { rv.location?.cellText(.en).map { " (\($0))" } ?? "" }
        add(.error, .valueInNoteColumn, row: row, location: rv.noteLocation ?? rv.location, found: shownNote, expected: "",
            vi: "Dòng \(name(row)) có số «\(shownNote)» ở cột «\(form.headers.note)» nhưng ô «\(form.headers.value)»\(valueCell) để trống: số liệu ghi nhầm cột sẽ bị đọc là trống. Chuyển số này sang cột «\(form.headers.value)»; cột «\(form.headers.note)» chỉ để giải thích.",
            en: "The row \(name(row)) has the number '\(shownNote)' in the '\(form.headers.note)' column but its '\(form.headers.value)' cell\(valueCellEn) is empty: a figure in the wrong column is read as blank. Move it to the '\(form.headers.value)' column; '\(form.headers.note)' is for explanations.")
        return true
    }

    var yesNoText: String { "\(form.yesTexts.first ?? "Có")/\(form.noTexts.first ?? "Không")" }

    func checkNumeric(_ rowAt: UnsafePointer<FormRow>, _ rv: RowValue) {
        // The row is read where the form holds it (see `check`).
        var row: FormRow { rowAt.pointee }
        var found: String { shown(rv) }
        var unit: String { row.unit.isEmpty ? "" : " (\(row.unit))" }
        guard case .number(let n) = rv.value else {
            if rv.classification == .outOfRange {
                add(.error, .outOfRange, row: row, found: found, expected: Self.supportedRangeText(.vi),
                    vi: "Dòng \(name(row)) ghi «\(found)», vượt quá phạm vi số bieumau cộng chính xác được (\(Self.supportedRangeText(.vi))). Kiểm tra lại số liệu; nếu đúng là số lớn như vậy thì đổi đơn vị tính (ví dụ: triệu đồng).",
                    en: "The row \(name(row)) reads '\(found)', beyond the numbers bieumau sums exactly (\(Self.supportedRangeText(.en))). Check the figure; if it really is that large, change the unit (e.g. million VND).")
                return
            }
            add(.error, .typeError, row: row, found: found, expected: row.kind == .ratio ? "%" : row.unit,
                vi: "Dòng \(name(row)) cần một số\(unit) nhưng ô ghi «\(found)». Ghi số liệu bằng chữ số, hoặc một trạng thái của biểu (\(statusList)); giải thích thì ghi vào cột Ghi chú.",
                en: "The row \(name(row)) needs a number\(unit) but the cell reads '\(found)'. Write the figure in digits, or one of the form's status texts (\(statusList)); put explanations in the Ghi chú column.")
            return
        }
        if rv.percentSign && row.kind != .ratio {
            add(.error, .typeError, row: row, found: found, expected: row.unit,
                vi: "Dòng \(name(row)) là số đếm\(unit), không phải tỷ lệ, nhưng ô ghi «\(found)» có dấu %. Ghi số lượng (không có %).",
                en: "The row \(name(row)) is a count\(unit), not a ratio, but the cell reads '\(found)' with a % sign. Write the number itself (without %).")
            return
        }
        if row.kind == .ratio, row.numerator == nil || row.denominator == nil, !rv.percentSign,
           !n.isZero, !n.isNegative, n <= ExactDecimal(1) {
            // `0,97` on a percent row: 0,97 % as written, or 97 % written as a fraction? Nothing to compute it from.
            var asPercent: String { n.multiplied(by: ExactDecimal(100)).map { number($0) + "%" } ?? "" }
            add(.warning, .ambiguousNumber, row: row, found: found, expected: "\(number(n))% / \(asPercent)",
                vi: "Dòng \(name(row)) là tỷ lệ phần trăm nhưng ghi «\(found)» không có dấu %: là \(number(n))% hay \(asPercent) (ghi dưới dạng phân số)? Đã đọc là \(number(n))%. Ghi rõ kèm dấu %, ví dụ «\(asPercent)».",
                en: "The row \(name(row)) is a percentage but reads '\(found)' without a % sign: is it \(number(n))% or \(asPercent) (written as a fraction)? It was read as \(number(n))%. Write it with the % sign, e.g. '\(asPercent)'.")
        }
        if let min = row.minimum, n < min {
            add(.error, .outOfRange, row: row, found: found, expected: "≥ \(number(min))",
                vi: "Dòng \(name(row)) không được nhỏ hơn \(number(min)) nhưng ghi «\(found)». Kiểm tra lại số liệu.",
                en: "The row \(name(row)) may not be below \(number(min)) but reads '\(found)'. Check the figure.")
        } else if let max = row.maximum, n > max {
            var pct: String { row.kind == .ratio ? "%" : "" }
            add(.error, .outOfRange, row: row, found: found, expected: "≤ \(number(max))\(pct)",
                vi: "Dòng \(name(row)) không được lớn hơn \(number(max))\(pct) nhưng ghi «\(found)». Kiểm tra lại số liệu\(row.kind == .ratio ? " (tỷ lệ ghi theo phần trăm, ví dụ 25%)" : "").",
                en: "The row \(name(row)) may not exceed \(number(max))\(pct) but reads '\(found)'. Check the figure\(row.kind == .ratio ? " (ratios are written in percent, e.g. 25%)" : "").")
        }
        if row.integer && !n.isInteger {
            add(.error, .outOfRange, row: row, found: found, expected: row.unit.isEmpty ? "số nguyên" : "số nguyên (\(row.unit))",
                vi: "Dòng \(name(row)) đếm \(row.unit.isEmpty ? "số lượng" : row.unit.lowercased()) nên phải là số nguyên, nhưng ghi «\(found)». Nếu dấu «,» hay «.» là dấu phân cách hàng nghìn thì kiểm tra lại cách ghi.",
                en: "The row \(name(row)) counts \(row.unit.isEmpty ? "items" : row.unit) and must be a whole number, but reads '\(found)'. If the ',' or '.' separates thousands, check how the number is written.")
        }
    }

    func checkYesNo(_ row: FormRow, _ rv: RowValue) {
        var found: String { shown(rv) }
        switch rv.value {
        case .yesNo:
            return
        case .number(let n) where isMerged:
            // A merged workbook's yes/no rows count the units answering yes.
            if n.isNegative || !n.isInteger || (appendix.metadata.mergedUnits.map { n > ExactDecimal($0) } ?? false) {
                add(.error, .outOfRange, row: row, found: found,
                    expected: appendix.metadata.mergedUnits.map { "0–\($0)" } ?? "≥ 0",
                    vi: "Dòng \(name(row)) trong biểu tổng hợp đếm số đơn vị trả lời «\(form.yesTexts.first ?? "Có")», nên phải là số nguyên từ 0 đến số đơn vị đã tổng hợp, nhưng ghi «\(found)».",
                    en: "The row \(name(row)) of a merged appendix counts the units answering '\(form.yesTexts.first ?? "Có")', so it must be a whole number from 0 to the number of units merged, but reads '\(found)'.")
            }
        default:
            add(.error, .typeError, row: row, found: found, expected: yesNoText,
                vi: "Dòng \(name(row)) là câu hỏi \(yesNoText) nhưng ô ghi «\(found)». Ghi «\(form.yesTexts.first ?? "Có")» hoặc «\(form.noTexts.first ?? "Không")».",
                en: "The row \(name(row)) asks yes or no (\(yesNoText)) but the cell reads '\(found)'. Write '\(form.yesTexts.first ?? "Có")' (yes) or '\(form.noTexts.first ?? "Không")' (no).")
        }
    }

    func checkChoice(_ row: FormRow, _ rv: RowValue) {
        var found: String { shown(rv) }
        if case .choices = rv.value { return }
        if isMerged && ChoiceCounts.parse(TextNormalization.collapseWhitespace(TextNormalization.stripMarkup(rv.raw)),
                                          choices: row.choices) != nil { return }
        var list: String { row.choices.joined(separator: "; ") }
        add(.error, .invalidChoice, row: row, found: found, expected: list,
            vi: "Dòng \(name(row)) chỉ nhận các lựa chọn: \(list) (có thể ghi nhiều, cách nhau bằng «;»), nhưng ô ghi «\(found)». Ghi đúng tên lựa chọn.",
            en: "The row \(name(row)) accepts only the choices: \(list) (several allowed, separated by ';'), but the cell reads '\(found)'. Write the choices as named.")
    }

    // MARK: between rows

    func checkRatios() {
        let rows = form.rows
        rows.withUnsafeBufferPointer { buffer in
            for i in buffer.indices where buffer[i].kind == .ratio {
                // Read where the form holds it (see `checkRows`).
                let rowAt = buffer.baseAddress! + i
                var row: FormRow { rowAt.pointee }
                guard let numID = row.numerator, let denID = row.denominator,
                      let numIndex = form.index(of: numID), let denIndex = form.index(of: denID) else { continue }
                var numRow: FormRow { rows[numIndex] }
                var denRow: FormRow { rows[denIndex] }
                let num = appendix.number(numID), den = appendix.number(denID)
                let ratioValue = appendix.values[row.id]
                // Part ≤ whole holds whatever the ratio cell says.
                if let num, let den, num > den {
                    add(.error, .partExceedsWhole, row: numRow, found: number(num), expected: "≤ \(number(den))",
                        vi: "\(name(numRow).capitalizedFirst) (\(number(num))) lớn hơn \(name(denRow)) (\(number(den))), là tổng số của tỷ lệ \(name(row)). Kiểm tra lại hai số này.",
                        en: "\(name(numRow)) (\(number(num))) is larger than \(name(denRow)) (\(number(den))), the whole of the ratio \(name(row)). Check both figures.")
                }
                guard let rv = ratioValue else { continue }
                var found: String { shown(rv) }
                switch RatioAgreement.of(row, value: rv, numerator: num, denominator: den) {
                case .notComparable, .agrees:
                    continue
                case .zeroDenominator(let r) where !r.isZero:
                    // "50 %" of nothing: the ratio claims something happened that the parts say did not.
                    add(.error, .zeroDenominator, row: row, found: found, expected: "",
                        vi: "Tỷ lệ \(name(row)) ghi «\(found)» nhưng \(name(denRow)) bằng 0: không thể có \(found) của 0. Sửa mẫu số (\(name(denRow))) và tử số (\(name(numRow))) nếu chúng sai, hoặc để trống ô tỷ lệ.",
                        en: "The ratio \(name(row)) reads '\(found)' but \(name(denRow)) is 0: there is no \(found) of nothing. Correct the denominator (\(name(denRow))) and numerator (\(name(numRow))) if they are wrong, or leave the ratio blank.")
                case .zeroDenominator:
                    add(.warning, .zeroDenominator, row: row, found: found, expected: "",
                        vi: "Tỷ lệ \(name(row)) ghi «\(found)» nhưng \(name(denRow)) bằng 0, nên không có tỷ lệ để tính (0 trên 0 không phải 0%). Để trống ô tỷ lệ hoặc ghi một trạng thái của biểu (\(statusList)), và giải thích ở cột Ghi chú.",
                        en: "The ratio \(name(row)) reads '\(found)' but \(name(denRow)) is 0, so there is no ratio to compute (0 out of 0 is not 0%). Leave the ratio blank or write one of the form's status texts (\(statusList)), and explain in the Ghi chú column.")
                case .disagrees(_, let num, let den, let exact, let places):
                    var expectedText: String { number(exact, places: places) + (rv.percentSign ? "%" : "") }
                    add(.error, .ratioMismatch, row: row, found: found, expected: expectedText,
                        vi: "Tỷ lệ \(name(row)) ghi «\(found)» nhưng \(number(num)) / \(number(den)) × 100 = \(expectedText). Sửa tỷ lệ thành \(expectedText), hoặc sửa tử số (\(name(numRow))) / mẫu số (\(name(denRow))) nếu chúng sai.",
                        en: "The ratio \(name(row)) reads '\(found)' but \(number(num)) / \(number(den)) × 100 = \(expectedText). Correct it to \(expectedText), or correct the numerator (\(name(numRow))) / denominator (\(name(denRow))) if they are wrong.")
                }
            }
        }
    }

    func checkCrossRules() {
        for rule in form.rules {
            let severity = Self.severity(rule.level)
            switch rule.kind {
            case .partNotAboveWhole(let partID, let wholeID):
                guard let p = appendix.number(partID), let w = appendix.number(wholeID), p > w,
                      let part = form.row(partID), let whole = form.row(wholeID) else { continue }
                add(severity, .partExceedsWhole, row: part, found: number(p), expected: "≤ \(number(w))",
                    vi: "\(name(part).capitalizedFirst) (\(number(p))) lớn hơn \(name(whole)) (\(number(w))), nhưng là một phần của nó. Kiểm tra lại hai số này.",
                    en: "\(name(part)) (\(number(p))) is larger than \(name(whole)) (\(number(w))), of which it is a part. Check both figures.")
            case .sum(let totalID, let partIDs):
                checkSum(totalID: totalID, partIDs: partIDs, severity: severity)
            }
        }
    }

    func checkSum(totalID: String, partIDs: [String], severity: Severity) {
        guard let totalIndex = form.index(of: totalID), let totalValue = appendix.values[totalID] else { return }
        var totalRow: FormRow { form.rows[totalIndex] }
        var sum = ExactDecimal.zero
        var given = 0, blank = 0
        for id in partIDs {
            switch appendix.values[id]?.value ?? .empty {
            case .number(let n):
                guard let s = sum.adding(n) else {
                    add(.error, .outOfRange, row: totalRow, found: shown(appendix.value(totalID)), expected: Self.supportedRangeText(.vi),
                        vi: "Không cộng được các dòng thành phần của \(name(totalRow)): tổng vượt quá phạm vi số bieumau cộng chính xác được (\(Self.supportedRangeText(.vi))). Kiểm tra lại các số rất lớn.",
                        en: "The parts of \(name(totalRow)) cannot be added: the sum is beyond the numbers bieumau sums exactly (\(Self.supportedRangeText(.en))). Check the very large figures.")
                    return
                }
                sum = s
                given += 1
            case .empty: blank += 1
            default: return   // a status text or words: nothing to compare
            }
        }
        guard given > 0 else { return }
        // Parts are named by their printed code; a breakdown printed under the total itself
        // (unnumbered, same code as the total) by its label.
        // (The texts, for findings only.)
        var partsText: String {
            let totalCode = form.displayCode(of: totalID)
            let partNames = partIDs.compactMap { form.row($0) }.map { part -> String in
                let code = form.displayCode(of: part.id)
                return code.isEmpty || code == totalCode ? "«\(Self.shorten(part.label, to: 40))»" : code
            }
            let distinctCodes = partNames.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            return distinctCodes.joined(separator: " + ")
        }
        var partsLabel: String { partIDs.count == 1 ? partsText : "\(partsText) (\(partIDs.count) dòng)" }
        var partsLabelEn: String { partIDs.count == 1 ? partsText : "\(partsText) (\(partIDs.count) rows)" }
        var found: String { shown(totalValue) }
        switch totalValue.value {
        case .empty:
            add(severity, .sumMismatch, row: totalRow, found: "", expected: number(sum),
                vi: "Dòng tổng \(name(totalRow)) để trống nhưng các dòng thành phần \(partsLabel) cộng lại được \(number(sum)). Ghi tổng \(number(sum)) vào dòng này.",
                en: "The total \(name(totalRow)) is blank but its parts \(partsLabelEn) add up to \(number(sum)). Write the total \(number(sum)) in this row.")
        case .number(let total):
            if blank > 0 {
                guard sum > total else { return }
                add(severity, .sumMismatch, row: totalRow, found: found, expected: "≥ \(number(sum))",
                    vi: "Dòng tổng \(name(totalRow)) ghi \(number(total)) nhưng các dòng thành phần đã điền (\(partsLabel)) cộng lại đã được \(number(sum)). Kiểm tra lại tổng và các dòng thành phần.",
                    en: "The total \(name(totalRow)) reads \(number(total)) but the parts filled in (\(partsLabelEn)) already add up to \(number(sum)). Check the total and its parts.")
            } else if sum != total {
                add(severity, .sumMismatch, row: totalRow, found: found, expected: number(sum),
                    vi: "Dòng tổng \(name(totalRow)) ghi \(number(total)) nhưng các dòng thành phần \(partsLabel) cộng lại được \(number(sum))\(sum.subtracting(total).map { " (lệch \(number($0.magnitude)))" } ?? ""). Sửa tổng hoặc các dòng thành phần cho khớp.",
                    en: "The total \(name(totalRow)) reads \(number(total)) but its parts \(partsLabelEn) add up to \(number(sum))\(sum.subtracting(total).map { " (off by \(number($0.magnitude)))" } ?? ""). Correct the total or its parts so that they agree.")
            }
        default:
            return
        }
    }

    // MARK: against the previous period

    func checkCumulative() {
        guard let previous = Validator.previousAppendix(appendix, options: options)?.appendix,
              case .compared(let prevPeriod, _)? = Validator.previousComparison(appendix, options: options) else { return }
        for row in form.rows where row.cumulative {
            guard let now = appendix.number(row.id), let before = previous.number(row.id), now < before else { continue }
            var prevCell: String { previous.values[row.id]?.location?.cellText(.vi).map { " (\($0))" } ?? "" }
            var prevCellEn: String { previous.values[row.id]?.location?.cellText(.en).map { " (\($0))" } ?? "" }
            add(.warning, .cumulativeDecrease, row: row, found: number(now), expected: "≥ \(number(before))",
                vi: "Dòng \(name(row)) là số lũy kế từ đầu năm nhưng giảm từ \(number(before)) (\(prevPeriod.vietnamese)\(prevCell)) xuống \(number(now)). Kiểm tra lại; nếu số kỳ trước sai thì ghi rõ ở cột Ghi chú.",
                en: "The row \(name(row)) accumulates from the start of the year but went down from \(number(before)) (\(prevPeriod.english)\(prevCellEn)) to \(number(now)). Check it; if the earlier figure was wrong, say so in the Ghi chú column.")
        }
    }
}

extension String {
    /// The text with its first letter in upper case (for a sentence starting with a row's name).
    var capitalizedFirst: String {
        guard let f = first else { return self }
        return f.uppercased() + dropFirst()
    }
}
