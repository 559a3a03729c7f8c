/// CSV as bieumau writes it — the one CSV writer for every output: RFC 4180 quoting (a field with
/// a comma, quote or line break is quoted, quotes doubled), CRLF line ends, UTF-8.
public enum CSVText {
    /// One field, quoted when needed.
    public static func field(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// A table: a header line, then one line per record.
    public static func table(header: [String], records: [[String]]) -> String {
        var out = header.map(field).joined(separator: ",") + "\r\n"
        for record in records { out += record.map(field).joined(separator: ",") + "\r\n" }
        return out
    }
}
