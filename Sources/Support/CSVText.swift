/// CSV as bieumau writes it — the one CSV writer for every output: RFC 4180 quoting (a field with
/// a comma, quote or line break is quoted, quotes doubled), CRLF line ends, UTF-8.
public enum CSVText {
    /// One field, quoted when needed. A field a spreadsheet would evaluate (`=…`, `+…`, `@…`)
    /// gets a leading `'` unless `raw` (SafeText.csvField: CSV formula injection).
    public static func field(_ s: String, raw: Bool) -> String {
        field(SafeText.csvField(s, raw: raw))
    }

    /// One field, quoted when needed (the text as it is).
    public static func field(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// A table: a header line, then one line per record.
    /// Formula-like fields are escaped unless `rawValues` (see `field(_:raw:)`).
    public static func table(header: [String], records: [[String]], rawValues: Bool = false) -> String {
        var out = header.map(field).joined(separator: ",") + "\r\n"
        for record in records { out += record.map { field($0, raw: rawValues) }.joined(separator: ",") + "\r\n" }
        return out
    }
}
