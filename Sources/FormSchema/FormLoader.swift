import Foundation
import Support
import Yams

/// Reads form definitions (YAML, comments allowed) and checks them. Every error names the file and line.
public enum FormLoader {
    /// Loads and checks one form file.
    public static func load(file path: String) throws -> FormDefinition {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
           size > InputLimits.maxFormFileBytes {
            throw fail(path, nil, vi: "tệp biểu mẫu lớn \(size) byte, quá giới hạn \(InputLimits.maxFormFileBytes) byte. Hãy kiểm tra có chọn nhầm tệp.",
                       en: "the form file has \(size) bytes, over the \(InputLimits.maxFormFileBytes)-byte limit. Check that this is the right file.")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BieuMauError(.noInput, vi: "Không đọc được tệp biểu mẫu \(path).", en: "Cannot read the form file \(path).")
        }
        // A form read before from the same bytes comes from the compiled cache (see FormCache).
        let hash = FormCache.hash(data)
        if let cached = FormCache.load(hash: hash, file: path) { return cached }
        guard let text = String(data: data, encoding: .utf8) else {
            throw BieuMauError(.dataError, vi: "Tệp biểu mẫu \(path) không phải UTF-8.", en: "The form file \(path) is not UTF-8.")
        }
        let form = try parse(yaml: text, file: path)
        FormCache.store(form, hash: hash)
        return form
    }

    /// Parses a form from YAML text; `file` names it in messages.
    public static func parse(yaml: String, file: String) throws -> FormDefinition {
        if yaml.utf8.count > InputLimits.maxFormFileBytes {
            throw fail(file, nil, vi: "tệp biểu mẫu dài hơn \(InputLimits.maxFormFileBytes) byte.",
                       en: "the form file is longer than \(InputLimits.maxFormFileBytes) bytes.")
        }
        try checkNesting(yaml, file: file)
        let node: Node?
        do {
            // The basic resolver: every scalar is a string (the reader parses numbers and booleans itself);
            // the default one runs several regular expressions on every scalar (most of the load time).
            node = try Yams.compose(yaml: TextNormalization.nfc(yaml), .basic)
        } catch let error as YamlError {
            throw yamlError(error, file: file)
        } catch {
            throw fail(file, nil, vi: "không đọc được YAML (\(error)).", en: "invalid YAML (\(error)).")
        }
        guard let root = node, root.mapping != nil else {
            throw fail(file, 1, vi: "tệp biểu mẫu phải là một bảng khoá: giá trị (form, version, rows…).",
                       en: "a form file must be a mapping (form, version, rows…).")
        }
        var budget = InputLimits.maxFormNodes
        if !withinBudget(root, &budget) {
            throw fail(file, nil,
                vi: "tệp biểu mẫu có quá nhiều phần tử khi mở rộng các bí danh YAML (*alias), hơn \(InputLimits.maxFormNodes). Hãy bỏ bớt bí danh.",
                en: "the form file expands to more than \(InputLimits.maxFormNodes) elements through YAML aliases (*alias). Use fewer aliases.")
        }
        var reader = NodeReader(file: file)
        return try reader.form(root)
    }

    /// Counts nodes as a reader would see them (aliases expanded), stopping when over the budget.
    static func withinBudget(_ node: Node, _ budget: inout Int) -> Bool {
        budget -= 1
        if budget < 0 { return false }
        switch node {
        case .scalar: return true
        case .sequence(let seq):
            for item in seq where !withinBudget(item, &budget) { return false }
            return true
        case .mapping(let map):
            for (k, v) in map where !withinBudget(k, &budget) || !withinBudget(v, &budget) { return false }
            return true
        case .alias: return true
        }
    }

    /// Refuses collections nested deeper than `InputLimits.maxFormNesting` before the YAML library
    /// (which recurses per level) sees them: flow brackets `[`/`{` outside quotes and comments, and
    /// block nesting (each level is more indentation or another `- ` on the line).
    static func checkNesting(_ yaml: String, file: String) throws {
        let limit = InputLimits.maxFormNesting
        var flow = 0
        var line = 1
        var quote: UInt8? = nil
        var inComment = false
        var atLineStart = true
        var indent = 0
        var dashes = 0
        func tooDeep() -> BieuMauError {
            fail(file, line, vi: "các mục lồng nhau quá \(limit) tầng.", en: "collections are nested more than \(limit) deep.")
        }
        for b in yaml.utf8 {
            if b == 0x0A {
                line += 1
                inComment = false
                atLineStart = true
                indent = 0
                dashes = 0
                if quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") { continue }
                continue
            }
            if inComment { continue }
            if let q = quote {
                if b == q { quote = nil }
                continue
            }
            if atLineStart {
                if b == 0x20 {
                    indent += 1
                    if indent / 2 > limit * 2 { throw tooDeep() }
                    continue
                }
                if b == UInt8(ascii: "-") { dashes += 1; if dashes > limit { throw tooDeep() }; continue }
                atLineStart = false
            }
            switch b {
            case UInt8(ascii: "#"): inComment = true
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = b
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                flow += 1
                if flow > limit { throw tooDeep() }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): flow = max(0, flow - 1)
            default: break
            }
        }
    }

    static func fail(_ file: String, _ line: Int?, vi: String, en: String) -> BieuMauError {
        let whereVi = line.map { "\(file), dòng \($0)" } ?? file
        let whereEn = line.map { "\(file), line \($0)" } ?? file
        return BieuMauError(.dataError, Localized(vi: "\(whereVi): \(vi)", en: "\(whereEn): \(en)"))
    }

    static func yamlError(_ error: YamlError, file: String) -> BieuMauError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return fail(file, mark.line, vi: "lỗi cú pháp YAML (\(problem)), cột \(mark.column).",
                        en: "YAML syntax error (\(problem)), column \(mark.column).")
        default:
            return fail(file, nil, vi: "lỗi YAML: \(error)", en: "YAML error: \(error)")
        }
    }
}

/// Walks the YAML nodes, keeping line numbers for messages.
private struct NodeReader {
    let file: String

    func line(_ node: Node?) -> Int? { node?.mark?.line }

    func fail(_ node: Node?, vi: String, en: String) -> BieuMauError {
        FormLoader.fail(file, line(node), vi: vi, en: en)
    }

    func string(_ node: Node?, _ key: String, required: Bool = false, in parent: Node) throws -> String? {
        guard let node else {
            if required {
                throw fail(parent, vi: "thiếu khoá bắt buộc '\(key)'.", en: "the required key '\(key)' is missing.")
            }
            return nil
        }
        guard let s = node.scalar?.string else {
            throw fail(node, vi: "'\(key)' phải là một giá trị đơn (chuỗi).", en: "'\(key)' must be a single value (a string).")
        }
        return TextNormalization.nfc(s)
    }

    func strings(_ node: Node?, _ key: String) throws -> [String] {
        guard let node else { return [] }
        if let s = node.scalar?.string { return [TextNormalization.nfc(s)] }
        guard let seq = node.sequence else {
            throw fail(node, vi: "'\(key)' phải là một danh sách.", en: "'\(key)' must be a list.")
        }
        return try seq.map { item in
            guard let s = item.scalar?.string else {
                throw fail(item, vi: "mỗi mục của '\(key)' phải là một chuỗi.", en: "each item of '\(key)' must be a string.")
            }
            return TextNormalization.nfc(s)
        }
    }

    func bool(_ node: Node?, _ key: String) throws -> Bool? {
        guard let node else { return nil }
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "có": return true
        case "false", "no", "không": return false
        default:
            throw fail(node, vi: "'\(key)' phải là true hoặc false.", en: "'\(key)' must be true or false.")
        }
    }

    func int(_ node: Node?, _ key: String) throws -> Int? {
        guard let node else { return nil }
        guard let s = node.scalar?.string, let v = Int(s) else {
            throw fail(node, vi: "'\(key)' phải là một số nguyên.", en: "'\(key)' must be a whole number.")
        }
        return v
    }

    func decimal(_ node: Node?, _ key: String) throws -> ExactDecimal? {
        guard let node else { return nil }
        guard let s = node.scalar?.string, let v = ExactDecimal(s) else {
            throw fail(node, vi: "'\(key)' phải là một số (dấu chấm thập phân).", en: "'\(key)' must be a number.")
        }
        return v
    }

    func checkKeys(_ node: Node, allowed: Set<String>, what: String) throws {
        guard let mapping = node.mapping else { return }
        for (k, _) in mapping {
            let key = k.scalar?.string ?? ""
            if !allowed.contains(key) {
                throw fail(k, vi: "khoá '\(key)' không dùng được trong \(what). Các khoá được dùng: \(allowed.sorted().joined(separator: ", ")).",
                           en: "'\(key)' is not a key of \(what). Allowed: \(allowed.sorted().joined(separator: ", ")).")
            }
        }
    }

    static let formKeys: Set<String> = ["form", "version", "title", "appendix_label", "description", "sheet", "headers",
                                        "status_texts", "yes_texts", "no_texts", "key_ratios", "rows", "rules",
                                        "replaces", "row_map"]
    static let rowKeys: Set<String> = ["id", "code", "label", "variants", "unit", "kind", "parent", "numerator",
                                       "denominator", "choices", "merge", "required", "min", "max", "integer",
                                       "decimals", "cumulative", "marker", "style"]
    static let headerKeys: Set<String> = ["code", "label", "result", "unit", "value", "note"]

    /// `^[a-z0-9][a-z0-9._-]*$`, checked byte by byte (compiling the regular expression cost more
    /// than the rest of reading the form).
    static func isFormID(_ id: String) -> Bool {
        var first = true
        for b in id.utf8 {
            let alnum = (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
            if first {
                guard alnum else { return false }
                first = false
            } else {
                guard alnum || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") else { return false }
            }
        }
        return !first
    }

    mutating func form(_ root: Node) throws -> FormDefinition {
        let fields = Fields(root)
        try checkKeys(root, allowed: NodeReader.formKeys, what: "biểu mẫu / the form")
        let id = try string(fields["form"], "form", required: true, in: root)!
        guard NodeReader.isFormID(id) else {
            throw fail(fields["form"], vi: "mã biểu mẫu '\(id)' chỉ được gồm chữ thường không dấu, số, '-', '.', '_'.",
                       en: "the form id '\(id)' may hold only lower-case ASCII letters, digits, '-', '.', '_'.")
        }
        guard let version = try int(fields["version"], "version") else {
            throw fail(root, vi: "thiếu khoá bắt buộc 'version'.", en: "the required key 'version' is missing.")
        }
        let title = try string(fields["title"], "title", required: true, in: root)!
        var headers = TableHeaders()
        if let h = fields["headers"] {
            let hf = Fields(h)
            try checkKeys(h, allowed: NodeReader.headerKeys, what: "headers")
            headers = TableHeaders(
                code: try string(hf["code"], "code", in: h) ?? headers.code,
                label: try string(hf["label"], "label", in: h) ?? headers.label,
                result: try string(hf["result"], "result", in: h) ?? headers.result,
                unit: try string(hf["unit"], "unit", in: h) ?? headers.unit,
                value: try string(hf["value"], "value", in: h) ?? headers.value,
                note: try string(hf["note"], "note", in: h) ?? headers.note)
        }
        guard let rowsNode = fields["rows"], let rowSeq = rowsNode.sequence, !rowSeq.isEmpty else {
            throw fail(fields["rows"] ?? root, vi: "'rows' phải là danh sách các dòng của biểu, không được rỗng.",
                       en: "'rows' must be a non-empty list of the form's rows.")
        }
        var rows: [FormRow] = []
        var seen: [String: Int] = [:]
        for item in rowSeq {
            let r = try row(item)
            if let first = seen[r.id] {
                throw fail(item, vi: "mã dòng '\(r.id)' bị trùng (đã dùng ở dòng \(first)).",
                           en: "the row id '\(r.id)' is used twice (first at line \(first)).")
            }
            seen[r.id] = r.line
            rows.append(r)
        }
        // Coded rows without an explicit parent belong to the nearest earlier row whose code is their prefix.
        var lastByCode: [String: String] = [:]
        for i in rows.indices {
            let r = rows[i]
            if r.parent == nil && !r.code.isEmpty {
                var parts = r.code.split(separator: ".").map(String.init)
                while parts.count > 1 {
                    parts.removeLast()
                    if let p = lastByCode[parts.joined(separator: ".")] { rows[i].parent = p; break }
                }
            }
            if !r.code.isEmpty && lastByCode[r.code] == nil { lastByCode[r.code] = r.id }
        }
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
        func ref(_ target: String?, _ key: String, of r: FormRow) throws {
            guard let target else { return }
            guard byID[target] != nil else {
                throw FormLoader.fail(file, r.line, vi: "dòng '\(r.id)': '\(key)' trỏ tới dòng '\(target)' không có trong biểu.",
                                      en: "row '\(r.id)': '\(key)' names the row '\(target)', which is not in the form.")
            }
        }
        for r in rows {
            try ref(r.parent, "parent", of: r)
            try ref(r.numerator, "numerator", of: r)
            try ref(r.denominator, "denominator", of: r)
            if (r.numerator == nil) != (r.denominator == nil) {
                throw FormLoader.fail(file, r.line, vi: "dòng '\(r.id)': cần khai báo cả 'numerator' và 'denominator'.",
                                      en: "row '\(r.id)': give both 'numerator' and 'denominator'.")
            }
            if r.numerator != nil && r.kind != .ratio {
                throw FormLoader.fail(file, r.line, vi: "dòng '\(r.id)': chỉ dòng loại 'ratio' mới có tử số/mẫu số.",
                                      en: "row '\(r.id)': only 'ratio' rows have a numerator and denominator.")
            }
            if r.kind == .choice && r.choices.isEmpty {
                throw FormLoader.fail(file, r.line, vi: "dòng '\(r.id)': dòng loại 'choice' cần danh sách 'choices'.",
                                      en: "row '\(r.id)': a 'choice' row needs its 'choices'.")
            }
            if r.merge == .ratio && r.numerator == nil {
                throw FormLoader.fail(file, r.line, vi: "dòng '\(r.id)': quy tắc gộp 'ratio' cần tử số và mẫu số.",
                                      en: "row '\(r.id)': the merge rule 'ratio' needs a numerator and denominator.")
            }
            if r.code.isEmpty && r.parent == nil && r.kind != .section {
                throw FormLoader.fail(file, r.line, vi: "dòng '\(r.id)' không có số thứ tự nên phải có 'parent' (dòng mà nó thuộc về).",
                                      en: "row '\(r.id)' has no code, so it needs a 'parent'.")
            }
        }
        var rules: [CrossRule] = []
        if let rulesNode = fields["rules"] {
            guard let seq = rulesNode.sequence else {
                throw fail(rulesNode, vi: "'rules' phải là một danh sách.", en: "'rules' must be a list.")
            }
            for item in seq { rules.append(try rule(item, byID: byID)) }
        }
        let keyRatios = try strings(fields["key_ratios"], "key_ratios")
        for k in keyRatios where byID[k] == nil {
            throw fail(fields["key_ratios"], vi: "'key_ratios' nêu dòng '\(k)' không có trong biểu.",
                       en: "'key_ratios' names the row '\(k)', which is not in the form.")
        }
        let (replaces, rowMap) = try replacement(fields["replaces"], fields["row_map"], formID: id, byID: byID, root: root)
        let sheet = try string(fields["sheet"], "sheet", in: root) ?? "Phụ lục"
        if sheet.count > 31 || sheet.contains(where: { "[]:*?/\\".contains($0) }) {
            throw fail(fields["sheet"], vi: "tên trang tính '\(sheet)' không hợp lệ trong Excel (tối đa 31 ký tự, không có []:*?/\\).",
                       en: "the sheet name '\(sheet)' is not valid in Excel (31 characters at most, none of []:*?/\\).")
        }
        return FormDefinition(
            id: id, version: version,
            appendixLabel: try string(fields["appendix_label"], "appendix_label", in: root) ?? "Phụ lục",
            title: title,
            description: try string(fields["description"], "description", in: root) ?? "",
            sheetName: sheet, headers: headers,
            statusTexts: try strings(fields["status_texts"], "status_texts"),
            yesTexts: fields["yes_texts"] == nil ? ["Có"] : try strings(fields["yes_texts"], "yes_texts"),
            noTexts: fields["no_texts"] == nil ? ["Không"] : try strings(fields["no_texts"], "no_texts"),
            keyRatios: keyRatios, rows: rows, rules: rules, replaces: replaces, rowMap: rowMap, file: file)
    }

    /// `replaces: OLD-ID` and `row_map: {old-row-id: new-row-id, …}`: the map's right side must be
    /// rows of this form, each named once (its left side is checked against the old form by the library).
    func replacement(_ replacesNode: Node?, _ mapNode: Node?, formID: String, byID: [String: FormRow],
                     root: Node) throws -> (String?, [String: String]) {
        let replaces = try string(replacesNode, "replaces", in: root)
        if let replaces {
            guard NodeReader.isFormID(replaces) else {
                throw fail(replacesNode, vi: "'replaces' phải là mã một biểu mẫu (chữ thường không dấu, số, '-', '.', '_'), không phải '\(replaces)'.",
                           en: "'replaces' must be a form id (lower-case ASCII letters, digits, '-', '.', '_'), not '\(replaces)'.")
            }
            if replaces == formID {
                throw fail(replacesNode, vi: "biểu mẫu không thể thay thế chính nó ('replaces: \(replaces)').",
                           en: "a form cannot replace itself ('replaces: \(replaces)').")
            }
        }
        guard let mapNode else { return (replaces, [:]) }
        guard replaces != nil else {
            throw fail(mapNode, vi: "'row_map' cần 'replaces: MÃ-BIỂU-CŨ' (biểu mẫu mà các mã dòng bên trái thuộc về).",
                       en: "'row_map' needs 'replaces: OLD-ID' (the form the left-hand row ids belong to).")
        }
        guard let mapping = mapNode.mapping else {
            throw fail(mapNode, vi: "'row_map' phải là bảng 'mã dòng cũ: mã dòng mới'.", en: "'row_map' must map old row ids to new row ids.")
        }
        var map: [String: String] = [:]
        var target: [String: String] = [:]
        for (k, v) in mapping {
            guard let old = k.scalar?.string, let new = v.scalar?.string, !old.isEmpty, !new.isEmpty else {
                throw fail(k, vi: "mỗi mục của 'row_map' là 'mã dòng cũ: mã dòng mới'.", en: "each 'row_map' entry is 'old-row-id: new-row-id'.")
            }
            guard byID[new] != nil else {
                throw fail(v, vi: "'row_map': dòng '\(new)' (cho dòng cũ '\(old)') không có trong biểu mẫu này.",
                           en: "'row_map': the row '\(new)' (for the old row '\(old)') is not in this form.")
            }
            if let other = target[new] {
                throw fail(v, vi: "'row_map': dòng '\(new)' được gán cho hai dòng cũ ('\(other)' và '\(old)').",
                           en: "'row_map': the row '\(new)' is given to two old rows ('\(other)' and '\(old)').")
            }
            target[new] = old
            map[old] = new
        }
        return (replaces, map)
    }

    func row(_ node: Node) throws -> FormRow {
        guard node.mapping != nil else {
            throw fail(node, vi: "mỗi dòng của biểu phải là một bảng khoá: giá trị (id, code, label, kind…).",
                       en: "each row must be a mapping (id, code, label, kind…).")
        }
        try checkKeys(node, allowed: NodeReader.rowKeys, what: "một dòng / a row")
        let fields = Fields(node)
        let id = try string(fields["id"], "id", required: true, in: node)!
        let kindText = try string(fields["kind"], "kind", required: true, in: node)!
        guard let kind = RowKind(rawValue: kindText) ?? (kindText == "percent" ? .ratio : nil) else {
            throw fail(fields["kind"], vi: "loại dòng '\(kindText)' không có. Các loại: \(RowKind.allCases.map(\.rawValue).joined(separator: ", ")).",
                       en: "unknown row kind '\(kindText)'. Kinds: \(RowKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        var merge: MergeRule?
        if let m = try string(fields["merge"], "merge", in: node) {
            guard let rule = MergeRule(rawValue: m) else {
                throw fail(fields["merge"], vi: "quy tắc gộp '\(m)' không có. Các quy tắc: \(MergeRule.allCases.map(\.rawValue).joined(separator: ", ")).",
                           en: "unknown merge rule '\(m)'. Rules: \(MergeRule.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            merge = rule
        }
        var style: RowStyle?
        if let s = try string(fields["style"], "style", in: node) {
            guard let st = RowStyle(rawValue: s) else {
                throw fail(fields["style"], vi: "kiểu chữ '\(s)' không có (bold, italic, normal).", en: "unknown style '\(s)' (bold, italic, normal).")
            }
            style = st
        }
        let label = try string(fields["label"], "label", required: true, in: node)!
        return FormRow(
            id: id,
            code: try string(fields["code"], "code", in: node) ?? "",
            label: label,
            variants: try strings(fields["variants"], "variants"),
            unit: try string(fields["unit"], "unit", in: node) ?? "",
            kind: kind,
            parent: try string(fields["parent"], "parent", in: node),
            numerator: try string(fields["numerator"], "numerator", in: node),
            denominator: try string(fields["denominator"], "denominator", in: node),
            choices: try strings(fields["choices"], "choices"),
            merge: merge,
            required: try bool(fields["required"], "required") ?? false,
            minimum: try decimal(fields["min"], "min"),
            maximum: try decimal(fields["max"], "max"),
            integer: try bool(fields["integer"], "integer"),
            decimals: try int(fields["decimals"], "decimals"),
            cumulative: try bool(fields["cumulative"], "cumulative") ?? false,
            marker: try string(fields["marker"], "marker", in: node),
            style: style,
            line: line(node) ?? 0)
    }

    func rule(_ node: Node, byID: [String: FormRow]) throws -> CrossRule {
        let fields = Fields(node)
        let kind = try string(fields["rule"], "rule", required: true, in: node)!
        let l = line(node) ?? 0
        var level = RuleLevel.error
        if let lv = try string(fields["level"], "level", in: node) {
            guard let parsed = RuleLevel(rawValue: lv) else {
                throw fail(fields["level"], vi: "mức '\(lv)' không có (error, warning).", en: "unknown level '\(lv)' (error, warning).")
            }
            level = parsed
        }
        func known(_ id: String, _ key: String) throws -> String {
            guard byID[id] != nil else {
                throw fail(node, vi: "quy tắc '\(kind)': '\(key)' trỏ tới dòng '\(id)' không có trong biểu.",
                           en: "rule '\(kind)': '\(key)' names the row '\(id)', which is not in the form.")
            }
            return id
        }
        switch kind {
        case "part-le-whole":
            try checkKeys(node, allowed: ["rule", "part", "whole", "level"], what: "quy tắc part-le-whole")
            let part = try string(fields["part"], "part", required: true, in: node)!
            let whole = try string(fields["whole"], "whole", required: true, in: node)!
            return CrossRule(.partNotAboveWhole(part: try known(part, "part"), whole: try known(whole, "whole")), level: level, line: l)
        case "sum":
            try checkKeys(node, allowed: ["rule", "total", "parts", "level"], what: "quy tắc sum")
            let total = try string(fields["total"], "total", required: true, in: node)!
            let parts = try strings(fields["parts"], "parts")
            guard !parts.isEmpty else {
                throw fail(node, vi: "quy tắc 'sum' cần danh sách 'parts'.", en: "the rule 'sum' needs 'parts'.")
            }
            return CrossRule(.sum(total: try known(total, "total"), parts: try parts.map { try known($0, "parts") }), level: level, line: l)
        default:
            throw fail(fields["rule"], vi: "quy tắc '\(kind)' không có (part-le-whole, sum).",
                       en: "unknown rule '\(kind)' (part-le-whole, sum).")
        }
    }
}

/// A mapping node's fields by key, looked up in a dictionary built once (Yams's own subscript
/// searches linearly and builds a node for every lookup).
private struct Fields {
    let map: [String: Node]
    init(_ node: Node) {
        var map: [String: Node] = [:]
        if let mapping = node.mapping {
            for (key, value) in mapping {
                if let k = key.scalar?.string, map[k] == nil { map[k] = value }
            }
        }
        self.map = map
    }
    subscript(_ key: String) -> Node? { map[key] }
}
