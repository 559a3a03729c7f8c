/// JSON string literals, written by hand so that reports have a stable, documented key order.
public enum JSONText {
    /// `s` as a JSON string literal; `null` for nil.
    public static func quote(_ s: String?) -> String {
        guard let s else { return "null" }
        var out = ""
        append(s, to: &out)
        return out
    }

    /// Appends `s` as a JSON string literal.
    public static func append(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

/// A JSON document built in code and written with a stable key order — the one JSON writer for
/// every output (validation reports, exports, merge summaries). Numbers are written from their
/// text, so exact decimals stay exact.
///
/// Layout: two-space indentation, one member per line; an object or array holding only scalars
/// (a finding, a row) stays on one line so that long lists read as a table.
public enum JSONValue: Sendable, Hashable {
    case null, bool(Bool), number(String), string(String), array([JSONValue]), object([(String, JSONValue)])

    /// A string, or `null` for nil.
    public static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    /// An integer.
    public static func int(_ i: Int) -> JSONValue { .number(String(i)) }

    /// The document as text (no final newline).
    public var text: String {
        var out = ""
        write(into: &out, indent: 0)
        return out
    }

    var isScalar: Bool {
        switch self {
        case .array(let items): return items.isEmpty
        case .object(let members): return members.isEmpty
        default: return true
        }
    }

    private func write(into out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1), end = String(repeating: "  ", count: indent)
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): JSONText.append(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy(\.isScalar) {
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += ", " }
                    item.write(into: &out, indent: indent)
                }
                out += "]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(into: &out, indent: indent + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += end + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            if members.allSatisfy(\.1.isScalar) && indent > 0 {
                out += "{"
                for (i, (k, v)) in members.enumerated() {
                    if i > 0 { out += ", " }
                    JSONText.append(k, to: &out)
                    out += ": "
                    v.write(into: &out, indent: indent)
                }
                out += "}"
                return
            }
            out += "{\n"
            for (i, (k, v)) in members.enumerated() {
                out += pad
                JSONText.append(k, to: &out)
                out += ": "
                v.write(into: &out, indent: indent + 1)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += end + "}"
        }
    }

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.text == b.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}
