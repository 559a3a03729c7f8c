import AppendixModel
import Crosscheck
import Foundation
import Support
import Testing
import TestSupport

/// Edited copies of the corrected seed: a figure changed in the text, in the appendix, in both (to
/// the same value: no alarm; to different values: an alarm), and with the sentences and sections
/// reordered. Precision and recall of `text-mismatch` over all copies.
@Suite struct EditedCopiesTests {
    /// A figure a reviewer links to an appendix row: where it stands in the text and in the CSV.
    struct Figure {
        var rowID: String
        /// Unique text around the figure in the narrative, and the figure as printed there.
        var context: String
        var printed: String
        /// Another value as the text would print it (A), and another as the appendix holds it (B, text and CSV).
        var textA: String
        var textB: String
        var csvLine: Int
        var csvOld: String
        var csvB: String
    }

    static let figures: [Figure] = [
        Figure(rowID: "r3_1_4_huyen", context: "cấp huyện 265 thủ tục", printed: "265", textA: "281", textB: "270", csvLine: 47, csvOld: "265", csvB: "270"),
        Figure(rowID: "r3_1_4_xa", context: "cấp xã 110 thủ tục", printed: "110", textA: "118", textB: "104", csvLine: 48, csvOld: "110", csvB: "104"),
        Figure(rowID: "r1_2_1", context: "và 56 nhiệm vụ", printed: "56", textA: "58", textB: "60", csvLine: 10, csvOld: "56", csvB: "60"),
        Figure(rowID: "r3_3_1_dunghan", context: "đúng hạn là 199 hồ sơ", printed: "199", textA: "197", textB: "198", csvLine: 56, csvOld: "199", csvB: "198"),
        Figure(rowID: "r3_3_2_dunghan", context: "đúng hạn là 993 hồ sơ", printed: "993", textA: "989", textB: "990", csvLine: 62, csvOld: "993", csvB: "990"),
        Figure(rowID: "r4_5_2", context: "là 63/72", printed: "63", textA: "61", textB: "62", csvLine: 73, csvOld: "63", csvB: "62"),
        Figure(rowID: "r4_5_1", context: "63/72;", printed: "72", textA: "75", textB: "74", csvLine: 72, csvOld: "72", csvB: "74"),
        Figure(rowID: "r4_6_1", context: "là 610/693", printed: "610", textA: "604", textB: "608", csvLine: 79, csvOld: "610", csvB: "608"),
        Figure(rowID: "r4_6_giao", context: "610/693.", printed: "693", textA: "699", textB: "700", csvLine: 78, csvOld: "693", csvB: "700"),
        Figure(rowID: "r6_1_1", context: "136.284,0 triệu", printed: "136.284,0", textA: "136.824,0", textB: "137.284,0", csvLine: 105, csvOld: "136.284", csvB: "137.284"),
        Figure(rowID: "r6_1_2", context: "là 3.135 triệu", printed: "3.135", textA: "3.315", textB: "3.153", csvLine: 106, csvOld: "3.135", csvB: "3.153"),
        Figure(rowID: "r6_1", context: "đạt 2,30%", printed: "2,30", textA: "2,50", textB: "2,40", csvLine: 104, csvOld: "\"2,30\"", csvB: "\"2,40\""),
    ]

    /// Figures of the text that speak of no filled row: changing them must raise nothing.
    static let others: [(context: String, printed: String, changed: String)] = [
        ("giải quyết 205 hồ sơ", "205", "215"), ("trong kỳ là 202", "202", "212"), ("là 1.010 hồ sơ", "1.010", "1.020"),
        ("là 196 người", "196", "199"), ("thực hiện 32/56", "32", "40"), ("về 07 hình thức", "07", "09"),
        ("Trung cấp 158", "158", "150"), ("xử lý trong hạn 12 hồ sơ", "12", "15"), ("100% các cơ quan", "100", "95"),
    ]

    static func replaceText(_ narrative: String, _ context: String, _ old: String, _ new: String) -> String {
        guard let r = narrative.range(of: context) else { fatalError("context «\(context)» not in the narrative") }
        return narrative.replacingCharacters(in: r, with: context.replacingOccurrences(of: old, with: new))
    }

    static func replaceCSV(_ csv: String, line: Int, _ old: String, _ new: String) -> String {
        // Lines as `grep -n` counts them (the file ends its lines with CR LF).
        var lines = Array(csv.utf8).split(separator: 10, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        let l = lines[line - 1]
        guard let r = l.range(of: "," + old + ",") else { fatalError("\(old) not on CSV line \(line): \(l)") }
        lines[line - 1] = l.replacingCharacters(in: r, with: "," + new + ",")
        return lines.joined(separator: "\n")
    }

    /// Sections reordered (a paragraph ending with `:` stays with the one it introduces), and the
    /// sentences of each paragraph in reverse order.
    static func reordered(_ narrative: String) -> String {
        let paragraphs = narrative.split(separator: "\n").map(String.init)
        var blocks: [[String]] = []
        for p in paragraphs {
            if let last = blocks.last?.last, last.hasSuffix(":") { blocks[blocks.count - 1].append(p) } else { blocks.append([p]) }
        }
        func reverseSentences(_ p: String) -> String {
            var sentences: [String] = []
            var current = ""
            let chars = Array(p)
            for (i, c) in chars.enumerated() {
                current.append(c)
                // A heading number (`4.`, `2.1.`) is not a sentence of its own.
                if ".!?".contains(c), i + 2 < chars.count, chars[i + 1] == " ", chars[i + 2].isUppercase || chars[i + 2] == "+",
                   current.contains(where: \.isLetter) {
                    sentences.append(current.trimmingCharacters(in: .whitespaces))
                    current = ""
                }
            }
            if !current.trimmingCharacters(in: .whitespaces).isEmpty { sentences.append(current.trimmingCharacters(in: .whitespaces)) }
            return sentences.reversed().joined(separator: " ")
        }
        return blocks.reversed().flatMap { $0 }.map(reverseSentences).joined(separator: "\n")
    }

    struct Copy {
        var name: String
        var narrative: String
        var csv: String
        /// The rows a reviewer would flag in this copy.
        var expected: Set<String>
    }

    static func copies() -> [Copy] {
        let text = SeedCrosscheckTests.corrected
        let csv = SeedReport.csvText
        var out: [Copy] = [Copy(name: "corrected", narrative: text, csv: csv, expected: [])]
        for f in figures {
            let textA = replaceText(text, f.context, f.printed, f.textA)
            let textB = replaceText(text, f.context, f.printed, f.textB)
            let csvB = replaceCSV(csv, line: f.csvLine, f.csvOld, f.csvB)
            out.append(Copy(name: "text \(f.rowID)", narrative: textA, csv: csv, expected: [f.rowID]))
            out.append(Copy(name: "appendix \(f.rowID)", narrative: text, csv: csvB, expected: [f.rowID]))
            out.append(Copy(name: "both same \(f.rowID)", narrative: textB, csv: csvB, expected: []))
            out.append(Copy(name: "both different \(f.rowID)", narrative: textA, csv: csvB, expected: [f.rowID]))
            out.append(Copy(name: "reordered, text \(f.rowID)", narrative: reordered(textA), csv: csv, expected: [f.rowID]))
        }
        for o in others {
            out.append(Copy(name: "other \(o.printed)", narrative: replaceText(text, o.context, o.printed, o.changed), csv: csv, expected: []))
        }
        out.append(Copy(name: "reordered", narrative: reordered(text), csv: csv, expected: []))
        return out
    }

    @Test func precisionAndRecall() throws {
        var truePositives = 0, falsePositives = 0, expectedCount = 0
        var misses: [String] = [], alarms: [String] = []
        for copy in Self.copies() {
            let report = Crosscheck.run(narrative: Narrative(plainText: copy.narrative),
                                        appendix: try SeedReport.appendix(csv: copy.csv))
            let flagged = Set(report.mismatches.map(\.link.rowID))
            expectedCount += copy.expected.count
            for row in report.mismatches.map(\.link.rowID) {
                if copy.expected.contains(row) { truePositives += 1 } else {
                    falsePositives += 1
                    alarms.append("\(copy.name): \(row)")
                }
            }
            for row in copy.expected where !flagged.contains(row) { misses.append("\(copy.name): \(row)") }
        }
        let precision = truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
        let recall = expectedCount == 0 ? 1 : Double(truePositives) / Double(expectedCount)
        print("crosscheck edited copies: \(Self.copies().count) copies, \(expectedCount) changed figures, "
              + "\(truePositives) found, \(falsePositives) false alarms; precision \(String(format: "%.3f", precision)), "
              + "recall \(String(format: "%.3f", recall))")
        if !misses.isEmpty { print("missed: " + misses.joined(separator: "; ")) }
        if !alarms.isEmpty { print("false alarms: " + alarms.joined(separator: "; ")) }
        #expect(precision >= 0.95)
        #expect(recall >= 0.9)
    }
}
