import AppendixModel
import FormSchema
import Support

/// The result of validating one file: who, for when, and every finding, printable as text or JSON.
public struct ValidationReport: Sendable {
    public struct Summary: Sendable, Hashable {
        public var errors: Int
        public var warnings: Int
        public init(errors: Int, warnings: Int) {
            self.errors = errors
            self.warnings = warnings
        }
    }

    public var file: String
    /// The form id.
    public var form: String
    public var unit: String?
    public var period: Period?
    public var findings: [Finding]
    /// Things the user should know that are not problems of the file (e.g. why `--previous` was not compared).
    public var notes: [Localized]
    /// Section headings by row id, for grouping (filled from the form).
    var sectionOf: [String: FormRow]
    var sectionOrder: [String]

    public init(file: String, form: FormDefinition, unit: String?, period: Period?, findings: [Finding], notes: [Localized] = []) {
        self.file = file
        self.form = form.id
        self.unit = unit
        self.period = period
        self.findings = findings
        self.notes = notes
        var sections: [String: FormRow] = [:]
        for row in form.rows { if let s = form.section(of: row.id) { sections[row.id] = s } }
        self.sectionOf = sections
        self.sectionOrder = form.rows.filter { $0.kind == .section }.map(\.id)
    }

    /// Validates `appendix` and wraps the result (the period shown is the file's, else the expected one).
    public init(appendix: Appendix, file: String? = nil, options: ValidationOptions = .init()) {
        var notes: [Localized] = []
        let comparison = Validator.previousComparison(appendix, options: options)
        if case .notComparable(let why)? = comparison { notes.append(why) }
        if case .compared? = comparison, let carried = Validator.previousAppendix(appendix, options: options)?.carried {
            notes.append(Localized(vi: "So sánh với kỳ trước: " + carried.note.vi, en: "Compared with the previous period: " + carried.note.en))
        }
        self.init(file: file ?? appendix.sourceFile ?? "", form: appendix.form, unit: appendix.metadata.unit,
                  period: appendix.metadata.period ?? options.expectedPeriod,
                  findings: Validator.validate(appendix, options: options), notes: notes)
    }

    public var summary: Summary {
        Summary(errors: findings.filter { $0.severity == .error }.count,
                warnings: findings.filter { $0.severity == .warning }.count)
    }

    public var hasErrors: Bool { summary.errors > 0 }

    // MARK: text

    public static func severityWord(_ s: Severity, _ lang: Language) -> String {
        switch (s, lang) {
        case (.error, .vi): return "LỖI"
        case (.warning, .vi): return "CẢNH BÁO"
        case (.error, .en): return "ERROR"
        case (.warning, .en): return "WARNING"
        }
    }

    /// `2 lỗi, 3 cảnh báo` / `2 errors, 3 warnings`.
    public static func summaryLine(_ s: Summary, _ lang: Language) -> String {
        if lang == .en {
            return "\(s.errors) error\(s.errors == 1 ? "" : "s"), \(s.warnings) warning\(s.warnings == 1 ? "" : "s")"
        }
        return "\(s.errors) lỗi, \(s.warnings) cảnh báo"
    }

    static func shorten(_ text: String, _ limit: Int) -> String { Checker.shorten(text, to: limit) }

    /// Findings grouped by the section of their row (document-level ones first), errors first in each.
    public func grouped() -> [(heading: FormRow?, findings: [Finding])] {
        var general: [Finding] = []
        var bySection: [String: [Finding]] = [:]
        for f in findings {
            if let id = f.rowID, let s = sectionOf[id] { bySection[s.id, default: []].append(f) } else { general.append(f) }
        }
        func ordered(_ list: [Finding]) -> [Finding] {
            list.enumerated().sorted { a, b in
                a.element.severity != b.element.severity ? a.element.severity < b.element.severity : a.offset < b.offset
            }.map(\.element)
        }
        var out: [(FormRow?, [Finding])] = []
        if !general.isEmpty { out.append((nil, ordered(general))) }
        for id in sectionOrder {
            if let list = bySection[id], let heading = list.first.flatMap({ $0.rowID }).flatMap({ sectionOf[$0] }) {
                out.append((heading, ordered(list)))
            }
        }
        return out
    }

    /// The report for a person: header, findings by section, summary line.
    public func text(_ lang: Language) -> String {
        let en = lang == .en
        var lines: [String] = []
        lines.append((en ? "File: " : "Tệp: ") + file)
        lines.append((en ? "Form: " : "Biểu mẫu: ") + form)
        lines.append((en ? "Unit: " : "Đơn vị: ") + (unit ?? (en ? "(not stated)" : "(không ghi)")))
        lines.append((en ? "Period: " : "Kỳ báo cáo: ")
                     + (period.map { en ? $0.english : $0.vietnamese } ?? (en ? "(not stated)" : "(không ghi)")))
        for n in notes { lines.append((en ? "Note: " : "Lưu ý: ") + n.text(lang)) }
        if findings.isEmpty {
            lines.append("")
            lines.append(en ? "No problems found." : "Không phát hiện vấn đề nào.")
        }
        for (heading, list) in grouped() {
            lines.append("")
            if let h = heading {
                lines.append("[\(h.code)] \(h.label)")
            } else {
                lines.append(en ? "[Document]" : "[Thông tin chung]")
            }
            for f in list {
                var head = "  \(Self.severityWord(f.severity, lang)) \(f.rule.rawValue)"
                if !f.code.isEmpty { head += " \(f.code)" }
                if !f.label.isEmpty { head += " «\(Self.shorten(f.label, 48))»" }
                if let cell = f.location?.cellText(lang) { head += " @ \(cell)" }
                if f.found != nil || f.expected != nil {
                    let found = f.found.map { $0.isEmpty ? (en ? "(blank)" : "(trống)") : $0 } ?? (en ? "(none)" : "(không có)")
                    let expected = f.expected.map { $0.isEmpty ? (en ? "(blank)" : "(trống)") : $0 } ?? "?"
                    head += ": \(found) → \(expected)"
                }
                lines.append(head)
                lines.append("      " + f.message.text(lang))
            }
        }
        lines.append("")
        lines.append((en ? "Summary: " : "Tổng cộng: ") + Self.summaryLine(summary, lang))
        return lines.joined(separator: "\n")
    }

    /// A table of several files' results: file, unit, errors, warnings, status.
    public static func summaryTable(_ reports: [ValidationReport], unreadable: [(file: String, reason: String)] = [],
                                    _ lang: Language) -> String {
        let en = lang == .en
        var rows: [[String]] = [[en ? "File" : "Tệp", en ? "Unit" : "Đơn vị", en ? "Errors" : "Lỗi",
                                 en ? "Warnings" : "Cảnh báo", en ? "Status" : "Kết quả"]]
        for r in reports {
            let status = r.summary.errors > 0 ? (en ? "errors" : "có lỗi")
                : r.summary.warnings > 0 ? (en ? "passed with warnings" : "đạt, có cảnh báo") : (en ? "passed" : "đạt")
            rows.append([r.file, r.unit ?? "—", String(r.summary.errors), String(r.summary.warnings), status])
        }
        for u in unreadable {
            rows.append([u.file, "—", "—", "—", en ? "unreadable" : "không đọc được"])
        }
        var widths = [Int](repeating: 0, count: 5)
        for row in rows { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return (i == 2 || i == 3) ? pad + c : c + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var out = [line(rows[0]), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.dropFirst().map(line)
        return out.joined(separator: "\n")
    }

    // MARK: JSON

    /// The documented JSON object, keys in a fixed order:
    /// `{"file","form","unit","period","findings":[{"severity","rule","code","label","cell","found","expected","message"}],"summary":{"errors","warnings"},"notes":[…]}`.
    public func json(_ lang: Language = .vi) -> String { jsonValue(lang).text }

    /// Several reports as one JSON array.
    public static func json(_ reports: [ValidationReport], _ lang: Language = .vi) -> String {
        JSONValue.array(reports.map { $0.jsonValue(lang) }).text
    }

    /// The report as a JSON value (for front ends that embed it in a larger document).
    public func jsonValue(_ lang: Language = .vi) -> JSONValue {
        .object([
            ("file", .string(file)),
            ("form", .string(form)),
            ("unit", .optional(unit)),
            ("period", .optional(period?.vietnamese)),
            ("findings", .array(findings.map { f in
                .object([
                    ("severity", .string(f.severity.rawValue)), ("rule", .string(f.rule.rawValue)),
                    ("code", .string(f.code)), ("label", .string(f.label)),
                    ("cell", .optional(f.location?.cellText(lang))), ("found", .optional(f.found)),
                    ("expected", .optional(f.expected)), ("message", .string(f.message.text(lang))),
                ])
            })),
            ("summary", .object([("errors", .int(summary.errors)), ("warnings", .int(summary.warnings))])),
            ("notes", .array(notes.map { .string($0.text(lang)) })),
        ])
    }
}
