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
