import Support

/// Bounds on what the reader accepts, so that a hostile or broken file is refused instead of
/// exhausting memory or time. The defaults are generous for real statistical workbooks.
public struct XLSXLimits: Sendable, Hashable {
    /// All parts inflated together (declared sizes are checked up front, real bytes while reading).
    public var maxTotalUncompressedBytes: UInt64 = 4 << 30
    /// One part inflated.
    public var maxPartBytes: UInt64 = 2 << 30
    /// Inflated bytes per compressed byte for parts over 1 MiB (deflate tops out near 1030:1,
    /// which only bombs reach; very repetitive real sheets stay below ~150:1).
    public var maxCompressionRatio: UInt64 = 500
    /// Cells in one sheet (and entries in the shared-string table).
    public var maxCellsPerSheet: Int = 50_000_000
    /// Bytes in one string (a cell text, a shared string, a formula).
    public var maxStringBytes: Int = 4 << 20
    /// Element nesting depth in any XML part.
    public var maxNestingDepth: Int = 128

    public init() {}

    public static let `default` = XLSXLimits()

    /// For a workbook read as one appendix (`AppendixLimits`): a sheet of 30 M tiny cells is
    /// refused at a million instead of being held (~100 bytes a cell).
    public static let appendix: XLSXLimits = {
        var l = XLSXLimits()
        l.maxCellsPerSheet = AppendixLimits.maxCells
        return l
    }()
}
