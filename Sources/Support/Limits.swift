/// The limits on what bieumau reads as one appendix, in one place (docs/limits.md lists them
/// with the reasons). Readers keep their own ceilings for files in general (`dump` of any sheet);
/// these are the tighter ones for an appendix, which is ~150 rows of five columns.
public enum AppendixLimits {
    /// Cells in the sheet (or CSV) an appendix is read from. A real appendix has under 2,000;
    /// each cell held costs ~100 bytes, so this bounds memory near 100 MB per input.
    public static let maxCells = 1_000_000
    /// Rows (records) in the sheet or CSV an appendix is read from.
    public static let maxRows = 100_000
    /// Label-only rows glued onto the label above (a label split by page breaks). A longer run is
    /// not a split label: each further row stands on its own.
    public static let maxContinuationRows = 10
    /// Characters in one cell that a workbook can hold (Excel's limit); a longer cell is an error
    /// at its cell, not a failure of the writer.
    public static let maxCellCharacters = 32_767
}
