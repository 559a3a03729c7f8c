import FormSchema
import Foundation
import Support

/// Writes the inferred form as YAML in the layout of the shipped forms, with a `# guessed: …`
/// comment beside every inference.
extension Inference {
    func yaml() -> String {
        var out: [String] = []
        func line(_ s: String) { out.append(s) }
        let sheetName: String? = { if case .workbook(_, let s) = grid.source { return s } else { return nil } }()
        let guessesHint = "Review every line marked \"# guessed:\" (kind, parent, ratio parts, rules), correct it if need be, then delete the comment."
        line("# Imported by `bieumau forms import` from \(Self.comment(file))\(sheetName.map { " (sheet '\(Self.comment($0))')" } ?? "").")
        line("# " + guessesHint)
        line("# Check it with `bieumau forms --check FILE`; compare it with last year's form with `bieumau forms diff OLD NEW`.")
        if !skipped.isEmpty {
            line("# Rows not imported (no label, or unnumbered above every numbered row): \(Self.comment(skipped.joined(separator: "; ")))")
        }
        line("form: \(formID)")
        line("version: 1")
        let appendixLabel = table.appendixLine.map { l -> String in
            let head = l.split(separator: ":", maxSplits: 1).first.map(String.init) ?? l
            return TextNormalization.collapseWhitespace(head)
        }
        line("appendix_label: \(Self.q(appendixLabel ?? "Phụ lục"))" + (appendixLabel == nil ? "   # guessed: no \"Phụ lục\" line above the table" : ""))
        if let title = table.metadata.title {
            line("title: \(Self.q(title))   # guessed: the title line above the table")
        } else {
            line("title: \(Self.q(formID))   # guessed: no title line above the table: write the form's title")
        }
        line("description: \(Self.q("Imported from \((file as NSString).lastPathComponent)"))")
        var sheet = sheetName ?? "Phụ lục"
        if sheet.count > 31 || sheet.contains(where: { "[]:*?/\\".contains($0) }) { sheet = "Phụ lục" }
        line("sheet: \(Self.q(sheet))")
        let h = table.headings
        let defaults = TableHeaders()
        line("headers:")
        line("  code: \(Self.q(h[.code] ?? defaults.code))")
        line("  label: \(Self.q(h[.label] ?? defaults.label))")
        line("  result: \(Self.q(table.spanningHeading ?? defaults.result))")
        line("  unit: \(Self.q(h[.unit] ?? defaults.unit))")
        line("  value: \(Self.q(h[.value] ?? defaults.value))")
        line("  note: \(Self.q(h[.note] ?? defaults.note))")
        line("# guessed: status, yes and no texts from \(Self.comment((vocabulary.file as NSString).lastPathComponent)): check them against the guidance")
        line("status_texts: [\(vocabulary.statusTexts.map(Self.q).joined(separator: ", "))]")
        line("yes_texts: [\(vocabulary.yesTexts.map(Self.q).joined(separator: ", "))]")
        line("no_texts: [\(vocabulary.noTexts.map(Self.q).joined(separator: ", "))]")
        line("")
        line("rows:")
        for r in rows {
            if r.kind == .section { line("") }
            line("  - id: \(r.id)")
            if !r.code.isEmpty { line("    code: \(Self.q(r.code))") }
            if let m = r.marker { line("    marker: \(Self.q(m))") }
            line("    label: \(Self.q(r.label))" + Self.guess(r.evidence["label"]))
            if !r.unit.isEmpty { line("    unit: \(Self.q(r.unit))") }
            line("    kind: \(r.kind.rawValue)" + Self.guess(r.evidence["kind"]))
            if r.writeParent, let p = r.parent { line("    parent: \(rows[p].id)" + Self.guess(r.evidence["parent"])) }
            if !r.choices.isEmpty { line("    choices: [\(r.choices.map(Self.q).joined(separator: ", "))]") }
            if let n = r.numerator, let d = r.denominator {
                line("    numerator: \(rows[n].id)" + Self.guess(r.evidence["parts"]))
                line("    denominator: \(rows[d].id)")
            } else if r.kind == .ratio {
                line("    # guessed: no numerator/denominator rows found: merged per unit; name them if the form has them")
            }
            if r.cumulative { line("    cumulative: true" + Self.guess(r.evidence["cumulative"])) }
            if let d = r.decimals { line("    decimals: \(d)" + Self.guess(r.evidence["decimals"])) }
            // A code printed twice is a value row under its heading: printed like its siblings.
            if r.writeParent && !r.code.isEmpty && r.kind.holdsValue { line("    style: normal") }
        }
        if !rules.isEmpty {
            line("")
            line("# Rules between rows. A ratio's numerator ≤ denominator follows from its parts and needs no line here.")
            line("rules:")
            for rule in rules {
                line("  # guessed: \(Self.comment(rule.evidence))")
                let level = rule.level == .warning ? ", level: warning" : ""
                switch rule.kind {
                case .partNotAboveWhole(let p, let w):
                    line("  - {rule: part-le-whole, part: \(rows[Int(p)!].id), whole: \(rows[Int(w)!].id)\(level)}")
                case .sum(let t, let ps):
                    line("  - {rule: sum, total: \(rows[Int(t)!].id), parts: [\(ps.map { rows[Int($0)!].id }.joined(separator: ", "))]\(level)}")
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func guess(_ evidence: String?) -> String {
        guard let evidence else { return "" }
        return "   # guessed: " + comment(evidence)
    }

    /// Text safe inside a comment (one line).
    static func comment(_ s: String) -> String {
        TextNormalization.collapseWhitespace(s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " "))
    }

    /// A YAML double-quoted scalar.
    static func q(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F || (u.value >= 0x80 && u.value < 0xA0) || u.value == 0x2028 || u.value == 0x2029 || u.value == 0xFEFF {
                    out += String(format: "\\u%04X", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
