import AppendixModel
import FormSchema
import Foundation
import OfficialWorkbook
import Support
import TestSupport
import Testing

@Suite("Official workbook: template mode")
struct TemplateWorkbookTests {
    func writeTemplate(_ appendix: Appendix, password: String? = nil) throws -> String {
        let path = TestPaths.temporaryFolder("template").appendingPathComponent("mau.xlsx").path
        try OfficialWorkbookWriter.writeAppendix(appendix, to: path, force: false, mode: .template, password: password)
        return path
    }

    @Test("protected sheet: value and note cells of value rows unlocked and shaded, everything else locked", .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func protectionAndInputs() throws {
        let form = try loadForm()
        let path = try writeTemplate(Appendix(form: form, metadata: Metadata(unit: "UBND xã Bằng Vân")))
        let dump = try dumpWithOpenpyxl(path, sheet: form.sheetName)
        #expect(dump.sheet.protected == true)
        #expect(dump.custom[WorkbookProperty.kind] == "template")
        let rows = try findRows(dump.sheet, form: form)
        for row in form.rows {
            let r = rows[row.id]!
            let value = try #require(dump.sheet.cells["D\(r)"]), note = try #require(dump.sheet.cells["E\(r)"])
            #expect(dump.sheet.cells["A\(r)"]?.locked ?? true, "code of \(row.id) locked")
            #expect(dump.sheet.cells["B\(r)"]?.locked == true, "label of \(row.id) locked")
            if !row.kind.holdsValue {
                #expect(value.locked == true && note.locked == true, "\(row.id) heading locked")
            } else if row.numerator != nil {
                #expect(value.locked == true && value.t == "f", "\(row.id) live formula, locked")
                #expect(note.locked == false)
            } else {
                #expect(value.locked == false && value.fill != nil && value.v == nil, "\(row.id) input")
                #expect(note.locked == false && note.fill != nil, "\(row.id) note input")
            }
        }
        // The header block for the unit name is filled; the blank parent body is open for input.
        #expect(dump.sheet.cells["A2"]?.v == "UBND XÃ BẰNG VÂN")
        #expect(dump.sheet.cells["A1"]?.locked == false)
        #expect(dump.sheet.cells["C1"]?.locked == true)
    }

    @Test("checks by kind: whole ≥ 0, decimal ≥ 0, 0–100 %, Có/Không and choice dropdowns, warning style", .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func validations() throws {
        let form = try loadForm()
        let path = try writeTemplate(Appendix(form: form))
        let dump = try dumpWithOpenpyxl(path, sheet: form.sheetName)
        let rows = try findRows(dump.sheet, form: form)
        var byCell: [String: ValidationDump] = [:]
        for v in dump.sheet.validations {
            for ref in v.sqref.split(separator: " ") { byCell[String(ref)] = v }
        }
        var counted = 0
        for row in form.rows where row.kind.holdsValue {
            let ref = "D\(rows[row.id]!)"
            let v = byCell[ref]
            switch row.kind {
            case .count:
                #expect(v?.type == "whole" && v?.operator == "greaterThanOrEqual" && v?.formula1 == "0", "\(row.id)")
            case .money:
                #expect(v?.type == "decimal" && v?.operator == "greaterThanOrEqual" && v?.formula1 == "0", "\(row.id)")
            case .ratio where row.numerator == nil:
                #expect(v?.type == "decimal" && (v?.operator == nil || v?.operator == "between"), "\(row.id)")
                #expect(v?.formula1 == "0" && v?.formula2 == "1", "\(row.id) 0–100 % as a fraction")
            case .ratio:
                #expect(v == nil, "\(row.id) is computed")
            case .yesno:
                #expect(v?.type == "list" && v?.formula1 == "\"Có,Không\"", "\(row.id)")
            case .choice:
                #expect(v?.type == "list" && v?.formula1 == "\"" + row.choices.joined(separator: ",") + "\"", "\(row.id)")
            default: break
            }
            if let v {
                counted += 1
                #expect(v.errorStyle == "warning", "\(row.id): status texts stay possible")
            }
        }
        #expect(counted == dump.sheet.validations.count || dump.sheet.validations.count <= counted)
        #expect(counted > 80)
    }

    @Test("a choice list over 255 bytes goes to a hidden Danh mục sheet instead of aborting", .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func longChoiceList() throws {
        let choices = (1...20).map { "Lựa chọn số \($0) có tên khá dài để vượt giới hạn" }
        #expect(choices.joined(separator: ",").utf8.count > 255)
        let form = FormDefinition(id: "thu", version: 1, title: "BIỂU THỬ", sheetName: "Biểu", rows: [
            FormRow(id: "s1", code: "1", label: "Phần một", kind: .section),
            FormRow(id: "c1", code: "1.1", label: "Hình thức", kind: .choice, choices: choices),
            FormRow(id: "c2", code: "1.2", label: "Hình thức khác", kind: .choice, choices: choices),
            FormRow(id: "y1", code: "1.3", label: "Có làm không", kind: .yesno),
        ])
        let path = try writeTemplate(Appendix(form: form))
        let dump = try dumpWithOpenpyxl(path, sheet: "Biểu")
        #expect(dump.sheets == ["Biểu", "Danh mục"])
        #expect(dump.states["Danh mục"] == "hidden")
        let lists = dump.sheet.validations.filter { $0.type == "list" }
        #expect(lists.count == 3)
        let ranged = lists.filter { $0.formula1 == "'Danh mục'!$A$1:$A$20" }
        #expect(ranged.count == 2, "\(lists.map(\.formula1))")
        let hidden = try dumpWithOpenpyxl(path, sheet: "Danh mục")
        for (i, c) in choices.enumerated() { #expect(hidden.sheet.cells["A\(i + 1)"]?.v == c) }
    }

    @Test("a password up to 24 characters protects; a longer one is refused as a usage error", .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func password() throws {
        let form = try loadForm()
        let path = try writeTemplate(Appendix(form: form), password: "mat-khau-24-ky-tu-000000")
        let dump = try dumpWithOpenpyxl(path, sheet: form.sheetName)
        #expect(dump.sheet.protected == true)
        let folder = TestPaths.temporaryFolder("pw")
        let target = folder.appendingPathComponent("mau.xlsx").path
        #expect {
            try OfficialWorkbookWriter.writeAppendix(Appendix(form: form), to: target, force: false, mode: .template,
                                                     password: String(repeating: "x", count: 25))
        } throws: { ($0 as? BieuMauError)?.status == .usage }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
