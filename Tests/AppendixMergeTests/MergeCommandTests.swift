import AppendixModel
import FormSchema
import Support
import Foundation
import TestSupport
import Testing

/// A cell as a producer writes it.
enum SpecValue {
    /// Text typed by a person (CSV, or a text cell).
    case text(String)
    /// A numeric cell (written by Python from this decimal text).
    case number(String)
    /// A numeric cell formatted as a percentage, holding this fraction.
    case percent(String)
}

/// One unit's appendix, to be written by some producer.
struct UnitSpec {
    var unit: String
    var period = "Quý I năm 2023"
    var values: [String: SpecValue]

    var above: [String] {
        ["UBND HUYỆN THỬ NGHIỆM", unit.uppercased(), "Phụ lục", cchc.title, period,
         "(Kèm theo Báo cáo số 1/BC-UBND ngày 15/3/2023 của \(unit))"]
    }

    /// Table rows: STT, label, unit, value, note.
    func rows(asText: Bool) -> [[Any]] {
        cchc.rows.map { row in
            let stt = row.code.isEmpty ? (row.marker ?? "") : row.code
            var value: Any = ""
            switch values[row.id] {
            case .text(let t)?: value = t
            case .number(let n)?: value = asText ? n.replacingOccurrences(of: ".", with: ",") : (Double(n)! as Any)
            case .percent(let f)?:
                value = asText ? "\(Double(f)! * 100)%".replacingOccurrences(of: ".", with: ",") : (["percent": Double(f)!] as Any)
            case nil: break
            }
            return [stt, row.label, row.unit, value, ""]
        }
    }

    func csv() -> String {
        func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var lines = above.map { q($0) + ",,,," }
        lines.append(",,,,")
        lines.append("STT,Chỉ tiêu thống kê,Kết quả thống kê,,Ghi chú")
        lines.append(",,Đơn vị tính,Số liệu,")
        for r in rows(asText: true) { lines.append(r.map { q("\($0)") }.joined(separator: ",")) }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Writes the unit with `producer`: csv, openpyxl, xlsxwriter.
    func write(_ producer: String, to path: URL) throws {
        if producer == "csv" {
            try csv().write(to: path, atomically: true, encoding: .utf8)
            return
        }
        let spec: [String: Any] = ["sheet": "Phụ lục", "above": above, "rows": rows(asText: false)]
        let specURL = path.deletingPathExtension().appendingPathExtension("json")
        try JSONSerialization.data(withJSONObject: spec).write(to: specURL)
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/AppendixMergeTests/Fixtures/write_appendix.py").path
        let r = try Run.process("/usr/bin/env", ["python3", script, producer, path.path, specURL.path])
        #expect(r.status == 0, "\(producer): \(r.stderr)")
    }
}

/// Reads a workbook with openpyxl and returns what the test asks (a JSON document printed by `code`).
func openpyxl(_ path: URL, _ code: String) throws -> Any {
    let r = try Run.python("import openpyxl, json, sys\nwb = openpyxl.load_workbook(sys.argv[1])\n" + code, [path.path])
    #expect(r.status == 0, "\(r.stderr)")
    return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
}

func mergedValues(_ json: String) throws -> [String: Any] {
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let merged = try #require(doc["merged"] as? [[String: Any]])
    var out: [String: Any] = [:]
    for m in merged { out[m["id"] as! String] = m }
    return out
}

/// The value of a merged row as exact decimal text (nil when blank).
func valueText(_ rows: [String: Any], _ id: String) -> String? {
    guard let row = rows[id] as? [String: Any] else { return nil }
    switch row["value"] {
    case let n as NSNumber: return ExactDecimal("\(n)")?.description
    case let s as String: return s
    default: return nil
    }
}

let unitsA = UnitSpec(unit: "UBND xã An Bình", values: [
    "r4_1": .text("3"), "r6_1_1": .text("0,1"), "r6_1_2": .text("0,05"),
    "r3_3_1": .text("99%"), "r3_3_1_tong": .text("100"), "r3_3_1_dunghan": .text("99"),
    "r7_2_4_tong": .text("1.000"), "r7_2_4_tructuyen": .text("250"),
    "r1_6": .text("Có"), "r1_5_1": .text("Chưa thực hiện"), "r1_5_2": .text("Trực tuyến"), "r4_4": .text("10%"),
])
let unitsB = UnitSpec(unit: "UBND xã Bắc Sơn", values: [
    "r4_1": .number("4"), "r6_1_1": .number("0.2"), "r6_1_2": .number("0.1"),
    "r3_3_1": .percent("0.1"), "r3_3_1_tong": .number("10"), "r3_3_1_dunghan": .number("1"),
    "r7_2_4_tong": .number("500"), "r7_2_4_tructuyen": .number("100"),
    "r1_6": .text("Không"), "r1_5_1": .number("120"), "r1_5_2": .text("Phát phiếu"), "r4_4": .percent("0.2"),
])
let unitsC = UnitSpec(unit: "UBND xã Cao Kỳ", values: [
    "r4_1": .number("5"), "r6_1_1": .number("0.3"), "r6_1_2": .number("0.2"),
    "r3_3_1": .percent("1"), "r3_3_1_tong": .number("50"), "r3_3_1_dunghan": .number("50"),
    "r7_2_4_tong": .number("300"), "r7_2_4_tructuyen": .number("150"),
    "r1_6": .text("Có"), "r1_5_1": .text("Chưa thực hiện"), "r1_5_2": .text("Trực tuyến; Kết hợp"), "r4_4": .percent("0.3"),
])
let unitsD = UnitSpec(unit: "UBND xã Đồng Tâm", values: [
    "r4_1": .text("6"), "r6_1_1": .text("0,4"), "r6_1_2": .text("0,15"),
    "r3_3_1": .text("75%"), "r3_3_1_tong": .text("40"), "r3_3_1_dunghan": .text("30"),
    "r7_2_4_tong": .text("200"), "r7_2_4_tructuyen": .text("0"),
    "r1_6": .text("Có"), "r1_5_1": .text("30"), "r1_5_2": .text("Trực tuyến"), "r4_4": .text("40%"),
])

@Suite("bieumau merge (CLI)", .serialized)
struct MergeCommandTests {
    @Test("units from our writer, openpyxl, XlsxWriter and a CSV merge to independently computed totals",
          .enabled(if: Tools.python("openpyxl", "xlsxwriter"), "needs python3 with openpyxl and xlsxwriter"))
    func mixedProducers() throws {
        let dir = TestPaths.temporaryFolder("merge-mixed")
        try unitsA.write("csv", to: dir.appendingPathComponent("a.csv"))
        try unitsB.write("openpyxl", to: dir.appendingPathComponent("b.xlsx"))
        try unitsC.write("xlsxwriter", to: dir.appendingPathComponent("c.xlsx"))
        // D: a CSV converted by our own writer.
        let dcsv = dir.appendingPathComponent("d-source.csv")
        try unitsD.write("csv", to: dcsv)
        let conv = try Run.bieumau(["convert", dcsv.path, "-o", dir.appendingPathComponent("d.xlsx").path])
        #expect(conv.status == 0, "\(conv.stderr)")
        try FileManager.default.removeItem(at: dcsv)
        for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) where f.hasSuffix(".json") {
            try FileManager.default.removeItem(at: dir.appendingPathComponent(f))
        }

        let out = dir.appendingPathComponent("huyen.xlsx")
        let r = try Run.bieumau(["merge", dir.path, "-o", out.path, "--unit", "UBND HUYỆN THỬ NGHIỆM",
                                 "--period", "Quý I/2023", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try mergedValues(r.stdout)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect((doc["accepted"] as? [Any])?.count == 4)
        #expect((doc["rejected"] as? [Any])?.count == 0)

        // By hand, from the values above.
        #expect(valueText(rows, "r4_1") == "18")                 // 3 + 4 + 5 + 6
        #expect(valueText(rows, "r6_1_1") == "1")                // 0,1 + 0,2 + 0,3 + 0,4, exactly
        #expect(valueText(rows, "r6_1_2") == "0.5")              // 0,05 + 0,1 + 0,2 + 0,15
        #expect(valueText(rows, "r6_1") == "50")                 // 0,5 / 1 × 100
        #expect(valueText(rows, "r3_3_1") == "90")               // 180 / 200, not the average of 99, 10, 100, 75
        #expect(valueText(rows, "r7_2_4_tong") == "2000")        // "1.000" is one thousand
        #expect(valueText(rows, "r7_2_4") == "25")               // 500 / 2000
        #expect(valueText(rows, "r1_6") == "3")
        #expect(((rows["r1_6"] as? [String: Any])?["note"] as? String)?.contains("UBND XÃ BẮC SƠN") == true)
        #expect(valueText(rows, "r1_5_1") == "150")
        let note151 = (rows["r1_5_1"] as? [String: Any])?["note"] as? String ?? ""
        // Units are named as their header block prints them (upper case).
        #expect(note151.contains("Chưa thực hiện: UBND XÃ AN BÌNH, UBND XÃ CAO KỲ"))
        #expect(valueText(rows, "r1_5_2") == "Trực tuyến (3); Phát phiếu (1); Kết hợp (1)")
        #expect(valueText(rows, "r4_4") == nil)

        // Every sum row against Python's Decimal over the inputs' values.
        let specs = [unitsA, unitsB, unitsC, unitsD]
        var columns: [String: [String]] = [:]
        for spec in specs {
            for (id, v) in spec.values {
                guard cchc.row(id)?.merge == .sum else { continue }
                switch v {
                case .number(let n): columns[id, default: []].append(n)
                case .text(let t):
                    let plain = t.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
                    if Double(plain) != nil { columns[id, default: []].append(plain) }
                case .percent: break
                }
            }
        }
        let py = try Run.python("""
            import json, sys
            from decimal import Decimal
            cols = json.loads(sys.argv[1])
            print(json.dumps({k: str(sum((Decimal(x) for x in v), Decimal(0)).normalize()) for k, v in cols.items()}))
            """, [String(data: try JSONSerialization.data(withJSONObject: columns), encoding: .utf8)!])
        let expected = try JSONSerialization.jsonObject(with: Data(py.stdout.utf8)) as! [String: String]
        #expect(expected.count >= 8)
        for (id, total) in expected {
            #expect(valueText(rows, id).flatMap { ExactDecimal($0) } == ExactDecimal(total), "row \(id)")
        }

        // The workbook as a user opens it.
        let book = try openpyxl(out, """
            props = {p.name: p.value for p in wb.custom_doc_props.props}
            ws = wb['Chi tiết']
            header = [c.value for c in ws[3]]
            print(json.dumps({"sheets": wb.sheetnames, "props": props, "header": header}))
            """) as! [String: Any]
        let sheets = book["sheets"] as! [String]
        #expect(Array(sheets.prefix(3)) == ["Tổng hợp", "Chi tiết", "Nguồn"])
        #expect(sheets.count == 7)
        #expect(sheets.contains("XÃ BẮC SƠN"))
        let props = book["props"] as! [String: String]
        #expect(props["bieumau.kind"] == "merged")
        #expect(props["bieumau.units"] == "4")
        #expect(props["bieumau.form"] == "cchc-2023")
        #expect(props["bieumau.period"] == "quy-1/2023")
        #expect(props["bieumau.unit"] == "UBND HUYỆN THỬ NGHIỆM")
        let header = book["header"] as! [Any]
        #expect(header.compactMap { $0 as? String }.contains("UBND XÃ CAO KỲ"))
        let unzip = try Run.python("import zipfile,sys; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", [out.path])
        #expect(unzip.stdout.contains("xl/charts/chart1.xml"))
    }

    /// Three CSV units of one district, written to `dir`.
    func threeUnits(_ dir: URL) throws {
        for (i, name) in ["UBND xã An Bình", "UBND xã Bắc Sơn", "UBND xã Cao Kỳ"].enumerated() {
            let spec = UnitSpec(unit: name, values: ["r4_1": .text("\(i + 1)"), "r1_6": .text(i == 1 ? "Không" : "Có")])
            try spec.write("csv", to: dir.appendingPathComponent("u\(i).csv"))
        }
    }

    func mergeArgs(_ inputs: [URL], _ out: URL, _ extra: [String] = []) -> [String] {
        ["merge"] + inputs.map(\.path) + ["-o", out.path, "--unit", "UBND HUYỆN THỬ NGHIỆM", "--format", "json"] + extra
    }

    @Test("a missing unit: error without --allow-partial, named in the output with it")
    func missingUnit() throws {
        let dir = TestPaths.temporaryFolder("merge-missing")
        try threeUnits(dir)
        let expect = dir.appendingPathComponent("ds.txt")
        try "# danh sách\nXã An Bình\nỦy ban nhân dân xã Bắc Sơn\nUBND xã Cao Kỳ\nUBND xã Dương Quang\n".write(to: expect, atomically: true, encoding: .utf8)
        let out = TestPaths.temporaryFolder("merge-missing-out").appendingPathComponent("out.xlsx")
        let strict = try Run.bieumau(mergeArgs([dir], out, ["--expect", expect.path]))
        #expect(strict.status == 65)
        #expect(strict.stderr.contains("Dương Quang"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let partial = try Run.bieumau(mergeArgs([dir], out, ["--expect", expect.path, "--allow-partial"]))
        #expect(partial.status == 0, "\(partial.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(partial.stdout.utf8)) as! [String: Any]
        #expect(doc["missing"] as? [String] == ["UBND xã Dương Quang"])
        #expect(try valueText(mergedValues(partial.stdout), "r4_1") == "6")
        let sources = try openpyxl(out, "print(json.dumps([str(c.value) for row in wb['Nguồn'].iter_rows() for c in row if c.value is not None]))") as! [String]
        #expect(sources.contains("UBND xã Dương Quang"))
    }

    @Test("a duplicate unit, a corrupt file, another period: rejected with reasons, nothing dropped")
    func rejections() throws {
        let dir = TestPaths.temporaryFolder("merge-rejects")
        try threeUnits(dir)
        try UnitSpec(unit: "Ủy ban nhân dân xã An Bình", values: ["r4_1": .text("100")])
            .write("csv", to: dir.appendingPathComponent("u5-lan2.csv"))
        try Data("PK\u{3}\u{4}không phải bảng tính".utf8).write(to: dir.appendingPathComponent("hong.xlsx"))
        try UnitSpec(unit: "UBND xã Dương Quang", period: "6 tháng đầu năm 2023", values: ["r4_1": .text("1000")])
            .write("csv", to: dir.appendingPathComponent("u3.csv"))
        let out = TestPaths.temporaryFolder("merge-rejects-out").appendingPathComponent("out.xlsx")
        let strict = try Run.bieumau(mergeArgs([dir], out))
        #expect(strict.status == 65)
        for name in ["u5-lan2.csv", "hong.xlsx", "u3.csv"] { #expect(strict.stderr.contains(name), "\(name)") }
        #expect(!FileManager.default.fileExists(atPath: out.path))

        let partial = try Run.bieumau(mergeArgs([dir], out, ["--allow-partial"]))
        #expect(partial.status == 0, "\(partial.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(partial.stdout.utf8)) as! [String: Any]
        let accepted = (doc["accepted"] as! [[String: Any]]).map { ($0["file"] as! String as NSString).lastPathComponent }
        let rejected = (doc["rejected"] as! [[String: Any]])
        let rejectedFiles = rejected.map { ($0["file"] as! String as NSString).lastPathComponent }
        // An Bình sent two files with different values: neither is merged, the unit is missing.
        #expect(Set(accepted) == ["u1.csv", "u2.csv"])
        #expect(Set(rejectedFiles) == ["u0.csv", "u5-lan2.csv", "hong.xlsx", "u3.csv"])
        #expect(accepted.count + rejected.count == 6)          // every input accounted for
        #expect(Set(rejected.map { $0["kind"] as! String }) == ["conflicting-submission", "unreadable", "other-period"])
        #expect(try valueText(mergedValues(partial.stdout), "r4_1") == "5")
        #expect((doc["missing"] as? [String])?.count == 1)
        let conflicts = try #require(doc["conflicts"] as? [[String: Any]])
        #expect(conflicts.count == 1)
        #expect(((conflicts.first?["files"] as? [String]) ?? []).map { ($0 as NSString).lastPathComponent } == ["u0.csv", "u5-lan2.csv"])
        let rows = (conflicts.first?["rows"] as? [[String: Any]]) ?? []
        #expect(rows.map { $0["code"] as? String } == ["1.6", "4.1"])          // u5-lan2 left 1.6 blank
        #expect(rows.map { $0["values"] as? [String] } == [["Có", ""], ["1", "100"]])

        // --latest: the newer file of a unit wins (here u5-lan2.csv, touched later).
        let later = Date().addingTimeInterval(60)
        try FileManager.default.setAttributes([.modificationDate: later], ofItemAtPath: dir.appendingPathComponent("u5-lan2.csv").path)
        let latest = try Run.bieumau(mergeArgs([dir], out, ["--allow-partial", "--latest", "--force"]))
        #expect(latest.status == 0, "\(latest.stderr)")
        #expect(try valueText(mergedValues(latest.stdout), "r4_1") == "105")   // 100 + 2 + 3

        // Never overwritten without --force.
        let again = try Run.bieumau(mergeArgs([dir], out, ["--allow-partial"]))
        #expect(again.status == 73)
    }

    @Test("two provinces' merged workbooks merge into the nation; yes/no counts add up")
    func remerge() throws {
        let p1 = TestPaths.temporaryFolder("merge-p1"), p2 = TestPaths.temporaryFolder("merge-p2")
        try threeUnits(p1)                                   // Có, Không, Có; r4_1 = 1 + 2 + 3
        for (i, name) in ["UBND xã Đông", "UBND xã Tây"].enumerated() {
            try UnitSpec(unit: name, values: ["r4_1": .text("\(10 * (i + 1))"), "r1_6": .text("Có")])
                .write("csv", to: p2.appendingPathComponent("v\(i).csv"))
        }
        let outDir = TestPaths.temporaryFolder("merge-nation")
        let a = outDir.appendingPathComponent("tinh-mot.xlsx"), b = outDir.appendingPathComponent("tinh-hai.xlsx")
        #expect(try Run.bieumau(["merge", p1.path, "-o", a.path, "--unit", "UBND TỈNH MỘT", "--period", "Quý I/2023"]).status == 0)
        #expect(try Run.bieumau(["merge", p2.path, "-o", b.path, "--unit", "UBND TỈNH HAI", "--period", "Quý I/2023"]).status == 0)
        let nation = outDir.appendingPathComponent("quoc-gia.xlsx")
        let r = try Run.bieumau(["merge", a.path, b.path, "-o", nation.path, "--unit", "BỘ NỘI VỤ", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try mergedValues(r.stdout)
        #expect(valueText(rows, "r4_1") == "36")             // 6 + 30
        #expect(valueText(rows, "r1_6") == "4")              // 2 + 2 units answered Có
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(doc["unitCount"] as? Int == 5)
        #expect(doc["period"] as? String == "quy-1/2023")
    }

    @Test("bad usage and missing inputs have their exit codes")
    func usage() throws {
        let dir = TestPaths.temporaryFolder("merge-usage")
        let out = dir.appendingPathComponent("o.xlsx")
        #expect(try Run.bieumau(["merge", dir.appendingPathComponent("khong-co").path, "-o", out.path, "--unit", "X"]).status == 66)
        #expect(try Run.bieumau(["merge", dir.path, "-o", out.path, "--unit", "X"]).status == 66)   // empty folder
        try threeUnits(dir)
        #expect(try Run.bieumau(["merge", dir.path, "-o", out.path, "--unit", "X", "--period", "hôm qua"]).status == 64)
        // More inputs than the configured ceiling: refused before anything is read, nothing written.
        let many = try Run.bieumau(["merge", dir.path, "-o", out.path, "--unit", "X", "--max-inputs", "2"])
        #expect(many.status == 64)
        #expect(many.stderr.contains("--max-inputs"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let en = try Run.bieumau(["merge", dir.path, "-o", out.path, "--unit", "X", "--lang", "en"])
        #expect(en.status == 0)
        #expect(en.stdout.contains("Merged 3 unit(s)"))
    }
}
