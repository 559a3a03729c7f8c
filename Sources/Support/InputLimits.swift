/// Ceilings shared by the commands, so that a hostile or mistaken input is refused quickly with a
/// message instead of exhausting memory or time. Each reader keeps its own detailed limits
/// (`XLSXLimits`, `CSVLimits`); what several modules need lives here.
public enum InputLimits {
    /// Input workbooks one `merge` accepts (a province has about 1,000 communes and wards).
    public static let maxInputs = 5_000
    /// Bytes in one form definition file (the CCHC form is about 40 KB).
    public static let maxFormFileBytes = 1 << 20
    /// YAML nodes of a form once aliases are expanded (a billion-laughs file expands to billions;
    /// the CCHC form has a few thousand).
    public static let maxFormNodes = 200_000
    /// Nesting of YAML collections in a form file (the CCHC form nests 4 deep).
    public static let maxFormNesting = 64
}
