import AppendixMerge
import Support

/// The merged workbook: Tổng hợp, Chi tiết, one sheet per unit, Nguồn, and a chart of key ratios.
enum MergeWorkbook {
    static func write(_ result: MergeResult, to path: String) throws {
        throw BieuMauError(.cannotCreate, vi: "chưa ghi được bảng tính (writer chưa có)", en: "cannot write workbooks yet (no writer)")
    }
}
