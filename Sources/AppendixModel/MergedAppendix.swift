import FormSchema
import Foundation
import Support

extension Metadata {
    /// True when the appendix comes from a merged workbook (bieumau's `merge` output, or any file
    /// that says it holds a merge of several units) — the one definition the validator, the
    /// merger and the writers ask.
    public var isMergedWorkbook: Bool { workbookKind == "merged" || mergedUnits != nil }
}

/// How a merged workbook writes a choice row: each choice with the number of units that chose
/// it, `Trực tuyến (3); Phát phiếu (1)` — written and read here only.
public enum ChoiceCounts {
    /// The cell text for `counts`, in the order given.
    public static func text(_ counts: [(choice: String, count: Int)]) -> String {
        counts.map { "\($0.choice) (\($0.count))" }.joined(separator: "; ")
    }

    /// The counts in `text` (parts separated by `;` or line breaks), each part's name matched to
    /// one of `choices` (as the form names it); nil unless every part is `Name (n)` with n ≥ 0.
    public static func parse(_ text: String, choices: [String]) -> [(choice: String, count: Int)]? {
        let parts = text.split(whereSeparator: { $0 == ";" || $0 == "\n" || $0 == "\r\n" })
            .map { TextNormalization.collapseWhitespace(String($0)) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { return nil }
        var out: [(choice: String, count: Int)] = []
        for p in parts {
            guard p.hasSuffix(")"), let open = p.lastIndex(of: "(") else { return nil }
            let name = TextNormalization.collapseWhitespace(String(p[..<open]))
            guard let n = Int(p[p.index(after: open)..<p.index(before: p.endIndex)].trimmingCharacters(in: .whitespaces)),
                  n >= 0, let choice = choices.first(where: { LabelKey.same($0, name) }) else { return nil }
            out.append((choice, n))
        }
        return out
    }
}
