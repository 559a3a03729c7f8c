import AppendixModel
import FormSchema
import Foundation
import Support
import TestSupport

/// Builds appendices in code: the real form, values typed as a person would type them.
enum Build {
    static let form: FormDefinition = {
        // The shipped form; a failure here fails every test loudly.
        try! FormLoader.load(file: TestPaths.templates.appendingPathComponent("cchc-2023/form.yaml").path)
    }()

    /// The seed's values (Examples/ngan-son-q1-2023.csv, Quý I/2023, UBND huyện Ngân Sơn), typed by hand
    /// from the printed appendix in shared/reference.
    static let seedValues: [String: String] = [
        "r1_1": "13", "r1_2": "25%", "r1_2_1": "56", "r1_2_2": "14",
        "r1_3_1": "0", "r1_3_2": "0", "r1_3_3": "0", "r1_3_4": "0", "r1_6": "0",
        "r2_1": "0", "r2_2": "0", "r2_3": "0", "r2_3_1": "21", "r2_3_2": "100%", "r2_3_2_tong": "03", "r2_3_2_xong": "03",
        "r3_1_1": "Chưa có đánh giá kết quả", "r3_1_2": "0", "r3_1_3": "0", "r3_1_4_huyen": "265", "r3_1_4_xa": "110",
        "r3_2_3": "<b>0</b>", "r3_3_1": "100%", "r3_3_1_tong": "199", "r3_3_1_dunghan": "199",
        "r3_3_2": "100%", "r3_3_2_tong": "993", "r3_3_2_dunghan": "993", "r3_4": "0", "r3_4_1": "0", "r3_4_2": "0",
        "r4_1": "11", "r4_2": "0", "r4_3": "33", "r4_5_1": "72", "r4_5_2": "63", "r4_5_3": "6", "r4_5_4": "03",
        "r4_5_5": "0", "r4_6_giao": "693", "r4_6_1": "610", "r4_6_2": "0", "r4_6_3": "0",
        "r5_1_1": "97%", "r5_1_2": "97%", "r5_2_1": "0", "r5_2_2": "0", "r5_3_1": "0", "r5_3_2": "0",
        "r5_3_4": "0", "r5_3_5": "0", "r5_3_6": "0", "r5_4_1": "0", "r5_4_2": "0", "r5_4_3": "0",
        "r6_1": "2,30", "r6_1_1": "136.284", "r6_1_2": "3.135", "r6_2_1": "0", "r6_2_2": "1",
        "r6_2_3_70": "0", "r6_2_3_30": "0", "r6_2_3_10": "0", "r6_2_4": "33", "r6_2_5": "0",
        "r7_1_dientu": "96%", "r7_1_songsong": "100%",
    ]

    /// The seed with its genuine problems corrected: nothing should be found in it.
    static var cleanValues: [String: String] {
        var v = seedValues
        v["r1_6"] = "Không"
        v["r2_3"] = ""
        v["r1_3_4"] = ""
        v["r3_4"] = ""
        v["r3_1_4"] = "375"
        v["r6_2_4"] = "32"
        return v
    }

    static func metadata(date: String = "ngày /3/2022", period: Period? = nil, unit: String? = "UBND huyện Ngân Sơn") -> Metadata {
        let reference = "(Kèm theo Báo cáo số /BC-UBND \(date) của UBND huyện Ngân Sơn)"
        return Metadata(unit: unit, period: period, reportNumber: "/BC-UBND", reportDate: ReportDate.parse(reference),
                        reportReference: reference, title: "BIỂU THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC",
                        locations: ["reportReference": SourceLocation(file: "test.csv", line: 3, column: 1)])
    }

    /// Every row of the form present (blank unless given), each at `test.csv` line = form index + 7, column 4.
    static func appendix(_ values: [String: String], form: FormDefinition = Build.form, metadata: Metadata = metadata(),
                         omit: Set<String> = [], readingFindings: [Finding] = []) -> Appendix {
        var out: [String: RowValue] = [:]
        for (i, row) in form.rows.enumerated() where !omit.contains(row.id) {
            let raw = values[row.id] ?? ""
            var rv = ValueInterpreter.interpret(raw.isEmpty ? .empty : .text(raw), row: row, form: form, locale: .vi)
            rv.location = SourceLocation(file: "test.csv", line: i + 7, column: 4)
            out[row.id] = rv
        }
        return Appendix(form: form, metadata: metadata, values: out, numberLocale: .vi,
                        readingFindings: readingFindings, sourceFile: "test.csv")
    }

    static var seed: Appendix { appendix(seedValues) }
    static var clean: Appendix { appendix(cleanValues, metadata: metadata(date: "ngày 15/3/2023")) }

    /// The clean appendix with some cells changed.
    static func with(_ changes: [String: String], base: [String: String] = cleanValues,
                     metadata: Metadata = metadata(date: "ngày 15/3/2023")) -> Appendix {
        var v = base
        for (k, x) in changes { v[k] = x }
        return appendix(v, metadata: metadata)
    }

    static let q1_2023 = Period(kind: .q1, year: 2023)

    static func line(of rowID: String) -> Int { form.index(of: rowID)! + 7 }
}

extension Array where Element == Finding {
    /// `rule code` pairs, sorted, for comparing with a list written by hand.
    var ruleCodes: [String] { map { "\($0.rule.rawValue) \($0.code)" }.sorted() }
    func with(_ rule: Rule) -> [Finding] { filter { $0.rule == rule } }
}
