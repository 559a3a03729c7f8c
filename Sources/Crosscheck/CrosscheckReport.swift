import AppendixModel
import AppendixValidation
import FormSchema
import Support

/// What `crosscheck` found: mismatches (warnings), the numbers that agree, and those not compared.
public struct CrosscheckReport: Sendable {
    public var file: String
    public var form: String
    public var unit: String?
    public var period: Period?
    /// `text-mismatch` findings with their links, in text order.
    public var mismatches: [(link: Link, finding: Finding)]
    /// `text-arithmetic` findings.
    public var arithmetic: [Finding]
    public var agreements: [Link]
    public var unlinked: [UnlinkedNumber]
    private var formDefinition: FormDefinition

    init(file: String, form: FormDefinition, unit: String?, period: Period?, mismatches: [(Link, Finding)],
         arithmetic: [Finding], agreements: [Link], unlinked: [UnlinkedNumber]) {
        self.file = file
        self.form = form.id
        self.formDefinition = form
        self.unit = unit
        self.period = period
        self.mismatches = mismatches.map { (link: $0.0, finding: $0.1) }
        self.arithmetic = arithmetic
        self.agreements = agreements
        self.unlinked = unlinked
    }

    /// Every finding (mismatches, then arithmetic), all warnings.
    public var findings: [Finding] { mismatches.map(\.finding) + arithmetic }

    /// The same findings as a validation report: for the annotated copy and anything that shows validate's output.
    public var validationReport: ValidationReport {
        ValidationReport(file: file, form: formDefinition, unit: unit, period: period, findings: findings)
    }

    static func shorten(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// `từ «giải quyết», «đúng hạn»; đơn vị «hồ sơ»; cấp xã; trong đó`.
    public static func explain(_ e: LinkEvidence, _ lang: Language) -> String {
        let en = lang == .en
        var parts: [String] = []
        if !e.words.isEmpty { parts.append((en ? "words " : "từ ") + e.words.map { "«\($0)»" }.joined(separator: ", ")) }
        if let u = e.unit { parts.append((en ? "unit " : "đơn vị ") + "«\(u)»") }
        if let l = e.level { parts.append((en ? "level " : "cấp ") + l) }
        if let r = e.runnerUp { parts.append((en ? "score \(e.score), next " : "điểm \(e.score), kế tiếp ") + "\(r.code) \(r.score)") }
        for s in e.structure {
            guard en else { parts.append(s); continue }
            if s == "trong đó" { parts.append("«trong đó» (a breakdown)") }
            else if s == "A/B" { parts.append("the fraction A/B") }
            else if s.hasPrefix("phần của tỷ lệ ") {
                let code = s.dropFirst("phần của tỷ lệ ".count).split(separator: " ").first.map(String.init) ?? ""
                parts.append("part of ratio \(code) in the same sentence")
            } else { parts.append(s) }
        }
        return parts.isEmpty ? "—" : parts.joined(separator: "; ")
    }

    static func reasonText(_ r: UnlinkedNumber.Reason, _ lang: Language) -> String {
        switch (r, lang) {
        case (.noRow, .vi): return "không có chỉ tiêu phù hợp"
        case (.noRow, .en): return "no matching item"
        case (.unsure, .vi): return "không chắc chỉ tiêu nào"
        case (.unsure, .en): return "unsure which item"
        case (.blankRow, .vi): return "chỉ tiêu để trống trong phụ lục"
        case (.blankRow, .en): return "the item is blank in the appendix"
        case (.target, .vi): return "là mục tiêu, không phải kết quả"
        case (.target, .en): return "an aim, not a result"
        }
    }

    public func text(_ lang: Language, listAgreements: Bool = false) -> String {
        let en = lang == .en
        var lines: [String] = []
        lines.append((en ? "File: " : "Tệp: ") + file)
        lines.append((en ? "Form: " : "Biểu mẫu: ") + form)
        lines.append((en ? "Unit: " : "Đơn vị: ") + (unit ?? (en ? "(not stated)" : "(không ghi)")))
        lines.append((en ? "Period: " : "Kỳ báo cáo: ")
                     + (period.map { en ? $0.english : $0.vietnamese } ?? (en ? "(not stated)" : "(không ghi)")))
        lines.append("")
        if findings.isEmpty {
            lines.append(en ? "The text agrees with the appendix wherever it could be linked." :
                "Lời văn khớp với phụ lục ở mọi số liên kết được.")
        }
        for f in findings {
            var head = "  \(ValidationReport.severityWord(f.severity, lang)) \(f.rule.rawValue)"
            if !f.code.isEmpty { head += " \(f.code)" }
            if let cell = f.location?.cellText(lang) { head += " @ \(cell)" }
            head += ": \(f.found ?? "") → \(f.expected ?? "")"
            lines.append(head)
            lines.append("      " + f.message.text(lang))
        }
        lines.append("")
        lines.append(en ? "Numbers that agree: \(agreements.count)" : "Số khớp với phụ lục: \(agreements.count)")
        if listAgreements {
            for l in agreements {
                lines.append("  [\(en ? "par." : "đoạn") \(l.number.paragraph)] \(l.number.printed) = \(l.code) «\(Self.shorten(l.label, 50))» (\(Self.explain(l.evidence, lang)))")
            }
        }
        lines.append(en ? "Numbers not compared: \(unlinked.count)" : "Số không đối chiếu: \(unlinked.count)")
        for u in unlinked {
            var line = "  [\(en ? "par." : "đoạn") \(u.number.paragraph)] \(u.number.printed): \(Self.reasonText(u.reason, lang))"
            if !u.candidates.isEmpty { line += " (" + u.candidates.map { "\($0.code) \($0.score)" }.joined(separator: ", ") + ")" }
            lines.append(line)
        }
        lines.append("")
        lines.append((en ? "Summary: " : "Tổng cộng: ") + (en
            ? "\(mismatches.count) mismatch(es), \(arithmetic.count) arithmetic problem(s), \(agreements.count) agreeing, \(unlinked.count) not compared"
            : "\(mismatches.count) số lệch phụ lục, \(arithmetic.count) tỷ lệ tính sai, \(agreements.count) số khớp, \(unlinked.count) số không đối chiếu"))
        return lines.joined(separator: "\n")
    }

    // MARK: JSON

    static func q(_ s: String?) -> String { JSONText.quote(s) }

    static func evidenceJSON(_ e: LinkEvidence) -> String {
        "{\"words\": [" + e.words.map { q($0) }.joined(separator: ", ") + "], \"unit\": \(q(e.unit)), \"level\": \(q(e.level)), "
            + "\"structure\": [" + e.structure.map { q($0) }.joined(separator: ", ") + "], \"score\": \(e.score), "
            + "\"runner_up\": " + (e.runnerUp.map { "{\"code\": \(q($0.code)), \"score\": \($0.score)}" } ?? "null") + "}"
    }

    /// `{"file","form","unit","period","mismatches":[…],"agreements":{"count","list":[…]},"unlinked":[…],"summary":{…}}`.
    public func json(_ lang: Language = .vi) -> String {
        var o = "{\n"
        o += "  \"file\": \(Self.q(file)),\n  \"form\": \(Self.q(form)),\n  \"unit\": \(Self.q(unit)),\n"
        o += "  \"period\": \(Self.q(period?.vietnamese)),\n"
        var items: [String] = []
        for (l, f) in mismatches {
            items.append("    {\"severity\": \(Self.q(f.severity.rawValue)), \"rule\": \(Self.q(f.rule.rawValue)), "
                + "\"paragraph\": \(l.number.paragraph), \"sentence\": \(Self.q(l.number.sentence)), \"text\": \(Self.q(l.number.printed)), "
                + "\"code\": \(Self.q(f.code)), \"label\": \(Self.q(f.label)), \"cell\": \(Self.q(f.location?.cellText(lang))), "
                + "\"value\": \(Self.q(f.expected)), \"computed\": \(Self.q(l.computed.map { $0.formatted(.vi) })), "
                + "\"link\": \(Self.evidenceJSON(l.evidence)), \"message\": \(Self.q(f.message.text(lang)))}")
        }
        for f in arithmetic {
            items.append("    {\"severity\": \(Self.q(f.severity.rawValue)), \"rule\": \(Self.q(f.rule.rawValue)), "
                + "\"code\": \(Self.q(f.code)), \"label\": \(Self.q(f.label)), \"text\": \(Self.q(f.found)), "
                + "\"expected\": \(Self.q(f.expected)), \"message\": \(Self.q(f.message.text(lang)))}")
        }
        o += "  \"mismatches\": [" + (items.isEmpty ? "],\n" : "\n" + items.joined(separator: ",\n") + "\n  ],\n")
        var agree: [String] = []
        for l in agreements {
            agree.append("      {\"paragraph\": \(l.number.paragraph), \"text\": \(Self.q(l.number.printed)), \"code\": \(Self.q(l.code)), "
                + "\"label\": \(Self.q(l.label)), \"value\": \(Self.q(l.rowText)), \"link\": \(Self.evidenceJSON(l.evidence))}")
        }
        o += "  \"agreements\": {\"count\": \(agreements.count), \"list\": ["
            + (agree.isEmpty ? "]},\n" : "\n" + agree.joined(separator: ",\n") + "\n  ]},\n")
        var un: [String] = []
        for u in unlinked {
            un.append("    {\"paragraph\": \(u.number.paragraph), \"sentence\": \(Self.q(u.number.sentence)), "
                + "\"text\": \(Self.q(u.number.printed)), \"reason\": \(Self.q(u.reason.rawValue)), \"candidates\": ["
                + u.candidates.map { "{\"code\": \(Self.q($0.code)), \"label\": \(Self.q($0.label)), \"score\": \($0.score)}" }
                    .joined(separator: ", ") + "]}")
        }
        o += "  \"unlinked\": [" + (un.isEmpty ? "],\n" : "\n" + un.joined(separator: ",\n") + "\n  ],\n")
        o += "  \"summary\": {\"mismatches\": \(mismatches.count), \"arithmetic\": \(arithmetic.count), "
            + "\"agreements\": \(agreements.count), \"unlinked\": \(unlinked.count)}\n}"
        return o
    }
}
