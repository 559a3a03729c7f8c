import AppendixModel
import Foundation
import Support

/// Where each expected unit of a collection stands. The latest submitted upload counts.
public enum SubmissionStatus: String, Sendable {
    /// chưa nộp
    case missing = "missing"
    /// đã nộp
    case submitted = "submitted"
    /// nộp còn lỗi (submitted after confirming its errors)
    case withErrors = "submitted-with-errors"
    /// nộp muộn (the counting submission came after the deadline)
    case late = "late"

    var wordKey: String {
        switch self {
        case .missing: return "statusMissing"
        case .submitted: return "statusOK"
        case .withErrors: return "statusErrors"
        case .late: return "statusLate"
        }
    }
}

public struct UnitProgress: Sendable {
    public var unit: UnitRecord
    public var status: SubmissionStatus
    /// The submission that counts (the latest submitted upload).
    public var current: UploadRecord?
    /// Every upload of the unit, newest first.
    public var uploads: [UploadRecord]
}

public struct CollectionProgress: Sendable {
    public var collection: CollectionRecord
    public var units: [UnitProgress]
    public var submittedCount: Int { units.filter { $0.status != .missing }.count }
}

extension Store {
    public func progress(collection: CollectionRecord) throws -> CollectionProgress {
        let units = try self.units(collection: collection.id)
        var byUnit: [Int64: [UploadRecord]] = [:]
        for u in try uploads(collectionID: collection.id) { byUnit[u.unitID, default: []].append(u) }
        let rows = units.map { unit -> UnitProgress in
            let uploads = (byUnit[unit.id] ?? []).sorted { $0.id > $1.id }
            let current = uploads.filter { $0.submittedAt != nil }.max { $0.submittedAt! < $1.submittedAt! }
            var status = SubmissionStatus.missing
            if let current, let at = current.submittedAt {
                status = at > collection.deadline ? .late : current.errors > 0 ? .withErrors : .submitted
            }
            return UnitProgress(unit: unit, status: status, current: current, uploads: uploads)
        }
        return CollectionProgress(collection: collection, units: rows)
    }
}
