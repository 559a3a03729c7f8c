import AppendixModel
import FormSchema
import Foundation
import SheetGrid
import Support
import TableLocator

/// A form inferred from a blank or filled workbook, as YAML with its evidence, checked by the loader.
public struct ImportedForm: Sendable {
    /// The form as the loader reads the YAML (the same checks as `bieumau forms --check`).
    public var form: FormDefinition
    /// `form.yaml`, every inference marked `# guessed: …` with its evidence.
    public var yaml: String
    public var summary: ImportSummary
}

/// What an import found, for the person who reviews it.
public struct ImportSummary: Sendable {
    public var file: String
    public var sheet: String?
    public var rows: Int
    /// Rows per kind, in `RowKind` order (kinds with no row left out).
    public var kinds: [(kind: RowKind, count: Int)]
    public var rules: Int
    /// Lines marked `# guessed:` in the YAML.
    public var guesses: Int
    /// The guesses by what they decide (kind, parent, ratio parts, rules, …), most first.
    public var guessesByTopic: [(topic: String, count: Int)] = []
    /// Ratio rows whose parts could not be found (merged per unit until someone names them).
    public var ratiosWithoutParts: [String]
    /// Whether values were found (a filled file: sums that hold were looked for).
    public var filled: Bool

    public func text(_ lang: Language) -> String {
        let kindList = kinds.map { "\($0.kind.rawValue) \($0.count)" }.joined(separator: ", ")
        let en = lang == .en
        var lines: [String] = []
        let sheetText = sheet.map { en ? " (sheet '\($0)')" : " (trang '\($0)')" } ?? ""
        lines.append(en
            ? "Read \(file)\(sheetText): \(filled ? "a filled" : "a blank") form."
            : "Đã đọc \(file)\(sheetText): biểu \(filled ? "đã điền số liệu" : "trống").")
        lines.append(en ? "  rows: \(rows) (\(kindList))" : "  số dòng: \(rows) (\(kindList))")
        lines.append(en ? "  rules between rows: \(rules)" : "  quy tắc giữa các dòng: \(rules)")
        let topics = guessesByTopic.map { t -> String in
            let vi = ["kind": "loại dòng", "parent": "dòng cha", "ratio parts": "tử số/mẫu số", "rules": "quy tắc",
                      "cumulative": "lũy kế", "decimals": "số thập phân", "label": "tên nối dòng", "form": "phần đầu biểu"][t.topic] ?? t.topic
            return "\(en ? t.topic : vi) \(t.count)"
        }.joined(separator: ", ")
        lines.append(en ? "  guesses to review (lines marked '# guessed:'): \(guesses) (\(topics))"
                        : "  phỏng đoán cần xem lại (dòng có '# guessed:'): \(guesses) (\(topics))")
        if !ratiosWithoutParts.isEmpty {
            lines.append(en
                ? "  ratios without numerator/denominator (merged per unit): \(ratiosWithoutParts.joined(separator: ", "))"
                : "  tỷ lệ chưa có tử số/mẫu số (khi tổng hợp chỉ liệt kê từng đơn vị): \(ratiosWithoutParts.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }
}

/// Infers a form definition from the grid of a workbook a province sends its units.
public enum FormImporter {
    /// Reads the first grid holding an appendix table (the locator's header rules) and infers its form.
    /// - Parameters:
    ///   - grids: the document's sheets, in the order to try them.
    ///   - id: the new form's id (`cchc-2025`).
    ///   - file: the file's name, for messages and the YAML's first comment.
    public static func importForm(grids: [Grid], id: String, file: String,
                                  vocabulary: ImportVocabulary) throws -> ImportedForm {
        guard FormLoaderCheck.isFormID(id) else {
            throw BieuMauError(.usage,
                vi: "mã biểu mẫu '\(id)' chỉ được gồm chữ thường không dấu, số, '-', '.', '_' (vd. cchc-2025).",
                en: "the form id '\(id)' may hold only lower-case ASCII letters, digits, '-', '.', '_' (e.g. cchc-2025).")
        }
        guard let first = grids.first else {
            throw BieuMauError(.dataError, vi: "tệp \(file) không có trang tính nào.", en: "the file \(file) has no sheet.",
                               at: SourceLocation(file: file))
        }
        // The first sheet with the header row; else the first sheet, for the locator's precise message.
        let grid = grids.first(where: TableLocator.hasTable) ?? first
        let table = try TableLocator.readWithoutForm(grid)
        var inference = Inference(table: table, grid: grid, vocabulary: vocabulary, formID: id, file: file)
        try inference.run()
        let yaml = inference.yaml()
        let form: FormDefinition
        do {
            form = try FormLoader.parse(yaml: yaml, file: "\(id)/form.yaml")
        } catch let error as BieuMauError {
            throw BieuMauError(.dataError,
                vi: "biểu mẫu suy ra từ \(file) không qua được bước kiểm tra (lỗi của bieumau, xin báo lại): \(error.message.vi)",
                en: "the form inferred from \(file) failed its check (a bieumau bug, please report it): \(error.message.en)")
        }
        var kinds: [(RowKind, Int)] = []
        for k in RowKind.allCases {
            let n = form.rows.filter { $0.kind == k }.count
            if n > 0 { kinds.append((k, n)) }
        }
        let guesses = yaml.components(separatedBy: "# guessed:").count - 1
        var sheet: String?
        if case .workbook(_, let s) = grid.source { sheet = s }
        let summary = ImportSummary(
            file: file, sheet: sheet, rows: form.rows.count, kinds: kinds.map { (kind: $0.0, count: $0.1) },
            rules: form.rules.count, guesses: guesses, guessesByTopic: inference.guessTopics(yaml: yaml),
            ratiosWithoutParts: form.rows.filter { $0.kind == .ratio && $0.numerator == nil }.map { form.displayCode(of: $0.id) },
            filled: inference.filled)
        return ImportedForm(form: form, yaml: yaml, summary: summary)
    }

    /// Writes `DIR/ID/form.yaml` (atomically; an existing one only with `force`) and loads it back
    /// with the loader, as `bieumau forms --check` does. Returns the path written.
    @discardableResult
    public static func write(_ imported: ImportedForm, toFolder folder: String, force: Bool) throws -> String {
        let dir = (folder as NSString).appendingPathComponent(imported.form.id)
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw BieuMauError(.cannotCreate, vi: "Không tạo được thư mục \(dir): \(error.localizedDescription)",
                               en: "Cannot create the folder \(dir): \(error.localizedDescription)")
        }
        let path = (dir as NSString).appendingPathComponent("form.yaml")
        try AtomicOutput.checkWritable(path, force: force)
        try AtomicOutput.write(Data(imported.yaml.utf8), to: path, force: force)
        _ = try FormLoader.load(file: path)
        return path
    }
}

/// The loader's id rule, without a loader.
enum FormLoaderCheck {
    static func isFormID(_ id: String) -> Bool {
        guard let f = id.utf8.first, (f >= 0x61 && f <= 0x7A) || (f >= 0x30 && f <= 0x39) else { return false }
        return id.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }
}
