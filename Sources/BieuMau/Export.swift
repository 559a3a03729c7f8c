import AppendixModel
import FormSchema
import Foundation
import Support

/// The formats `export` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, json

    /// The format a file name asks for by its extension, if any.
    public init?(fileName: String) {
        switch (fileName as NSString).pathExtension.lowercased() {
        case "csv": self = .csv
        case "json": self = .json
        default: return nil
        }
    }
}

/// What an export wrote and what the user should know about it.
public struct ExportResult: Sendable {
    public var appendix: Appendix
    /// The reader's warnings (ambiguous numbers, duplicate rows).
    public var warnings: [Localized]
    /// Rows of the input not in the form (exported anyway, without them), each with its place.
    public var unknownRows: [Localized]
    public var notices: [ReadingNotice]
}

/// `export`: the appendix as plain data, one line per form row (id, code, label, unit, kind,
/// type, value as a plain decimal, raw text, note, source cell).
public enum Export {
    /// Reads `input` and writes it to `output` as CSV or JSON (atomically).
    ///
    /// ```swift
    /// let result = try Export.export(input: "bao-cao.xlsx", output: "bao-cao.json", format: .json,
    ///                                library: try FormLibrary.load())
    /// ```
    public static func export(input: String, output: String, format: ExportFormat, formID: String? = nil,
                              sheet: String? = nil, force: Bool = false, rawValues: Bool = false,
                              library: FormLibrary) throws -> ExportResult {
        try AtomicOutput.checkWritable(output, force: force, inputs: [input])
        let loaded = try AppendixReader(library: library).read(path: input, formID: formID, sheet: sheet)
        let appendix = loaded.appendix
        let text = format == .csv ? csv(appendix, rawValues: rawValues) : json(appendix).text + "\n"
        try AtomicOutput.write(Data(text.utf8), to: output, force: force, inputs: [input])
        let unknown = appendix.readingFindings.filter { $0.severity == .error && $0.rule != .duplicateRow }.map { f in
            Localized(vi: [f.location?.describe(.vi), f.message.vi].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": "),
                      en: [f.location?.describe(.en), f.message.en].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": "))
        }
        return ExportResult(appendix: appendix, warnings: Conversion.readingWarnings(appendix), unknownRows: unknown,
                            notices: loaded.notices)
    }

    /// One exported line.
    public struct Line: Sendable, Hashable {
        public var id, code, label, unit, kind, type, value, raw, note, cell: String
    }

    /// One line per form row, in form order.
    public static func lines(_ a: Appendix) -> [Line] {
        a.form.rows.map { row in
            let v = a.values[row.id]
            let (type, value) = v.map { normalised($0.value, form: a.form) } ?? ("absent", "")
            return Line(id: row.id, code: row.code.isEmpty ? (row.marker ?? "") : row.code, label: row.label,
                        unit: row.unit, kind: row.kind.rawValue, type: type, value: value,
                        raw: v?.raw ?? "", note: v?.note ?? "", cell: v?.location.flatMap(cellText) ?? "")
        }
    }

    /// `'Sheet'!D105` in a workbook, `105:4` (line:column) in a CSV file.
    public static func cellText(_ loc: SourceLocation) -> String? {
        if let cell = loc.cell { return loc.sheet.map { "'\($0)'!\(cell)" } ?? cell }
        if let line = loc.line { return loc.column.map { "\(line):\($0)" } ?? "\(line)" }
        return nil
    }

    static func normalised(_ v: Value, form: FormDefinition) -> (String, String) {
        switch v {
        case .empty: return ("empty", "")
        case .number(let n): return ("number", n.description)
        case .yesNo(let b): return ("yesno", b ? (form.yesTexts.first ?? "Có") : (form.noTexts.first ?? "Không"))
        case .choices(let c): return ("choices", c.joined(separator: "; "))
        case .status(let s): return ("status", s)
        case .text(let t): return ("text", t)
        }
    }

    /// The CSV export (UTF-8, CRLF). Fields a spreadsheet would evaluate as formulas get a
    /// leading `'` unless `rawValues` (docs/limits.md).
    public static func csv(_ a: Appendix, rawValues: Bool = false) -> String {
        CSVText.table(header: ["id", "code", "label", "unit", "kind", "type", "value", "raw", "note", "cell"],
                      records: lines(a).map { [$0.id, $0.code, $0.label, $0.unit, $0.kind, $0.type, $0.value, $0.raw, $0.note, $0.cell] },
                      rawValues: rawValues)
    }

    /// The JSON export: form, source, metadata, rows (numbers as JSON numbers with their exact
    /// digits) and the reader's findings.
    public static func json(_ a: Appendix) -> JSONValue {
        let m = a.metadata
        func int(_ i: Int?) -> JSONValue { i.map(JSONValue.int) ?? .null }
        return .object([
            ("form", .string(a.form.id)),
            ("formVersion", .int(a.form.version)),
            ("source", .optional(a.sourceFile)),
            ("numberLocale", .string(a.numberLocale.rawValue)),
            ("metadata", .object([
                ("unit", .optional(m.unit)),
                ("parentBody", .optional(m.parentBody)),
                ("period", .optional(m.period.map(WorkbookProperty.encode))),
                ("periodText", .optional(m.period?.vietnamese ?? m.periodText)),
                ("reportNumber", .optional(m.reportNumber)),
                ("reportDate", .object([("day", int(m.reportDate?.day)), ("month", int(m.reportDate?.month)),
                                        ("year", int(m.reportDate?.year))])),
                ("title", .optional(m.title)),
            ])),
            ("rows", .array(lines(a).map { l in
                let value: JSONValue = l.type == "number" ? .number(l.value)
                    : (l.type == "absent" || l.type == "empty" ? .null : .string(l.value))
                return .object([
                    ("id", .string(l.id)), ("code", .string(l.code)), ("label", .string(l.label)),
                    ("unit", .string(l.unit)), ("kind", .string(l.kind)), ("type", .string(l.type)),
                    ("value", value), ("raw", .string(l.raw)), ("note", .string(l.note)), ("cell", .string(l.cell)),
                ])
            })),
            ("findings", .array(a.readingFindings.map { f in
                .object([
                    ("severity", .string(f.severity.rawValue)), ("rule", .string(f.rule.rawValue)),
                    ("code", .string(f.code)), ("cell", .string(f.location.flatMap(cellText) ?? "")),
                    ("message", .string(f.message.vi)), ("messageEn", .string(f.message.en)),
                ])
            })),
        ])
    }
}
