import AppendixModel
import FormSchema
import Foundation
import Support

/// One unit's appendix as read, with where it came from and what the validator found in it.
public struct UnitInput: Sendable {
    /// The file as named by the user.
    public var file: String
    /// SHA-256 of the file's bytes (hex).
    public var sha256: String
    public var appendix: Appendix
    /// The validator's findings (errors and warnings).
    public var findings: [Finding]
    /// The file's modification date (for `latestWins`).
    public var modified: Date?

    public init(file: String, sha256: String, appendix: Appendix, findings: [Finding] = [], modified: Date? = nil) {
        self.file = file
        self.sha256 = sha256
        self.appendix = appendix
        self.findings = findings
        self.modified = modified
    }

    /// The unit's name as given in the file, or the file's base name when the file names no unit.
    public var unitName: String {
        if let u = appendix.metadata.unit.map({ TextNormalization.collapseWhitespace(TextNormalization.nfc($0)) }), !u.isEmpty {
            return u
        }
        return ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    public var errorCount: Int { findings.count { $0.severity == .error } }
    public var warningCount: Int { findings.count { $0.severity == .warning } }
    /// True when this input is itself a parent's merged workbook.
    public var isMerged: Bool { appendix.metadata.workbookKind == "merged" }
    /// How many reporting units this input stands for (a merged workbook: the units it merged).
    public var leafUnits: Int { isMerged ? max(1, appendix.metadata.mergedUnits ?? 1) : 1 }
}

/// Why an input file was not merged.
public enum RejectionKind: String, Sendable, Hashable, Codable {
    case unreadable
    case otherForm = "other-form"
    case otherPeriod = "other-period"
    case duplicateUnit = "duplicate-unit"
    /// With `latestWins`: an older file of a unit whose newer file was merged.
    case superseded
}

/// An input file that was not merged, and why.
public struct Rejection: Sendable, Hashable {
    public var file: String
    public var unit: String?
    public var kind: RejectionKind
    public var reason: Localized
    public var sha256: String?
    public var period: Period?
    public var errorCount: Int?
    public var warningCount: Int?

    public init(file: String, unit: String? = nil, kind: RejectionKind = .unreadable, reason: Localized,
                sha256: String? = nil, period: Period? = nil, errorCount: Int? = nil, warningCount: Int? = nil) {
        self.file = file
        self.unit = unit
        self.kind = kind
        self.reason = reason
        self.sha256 = sha256
        self.period = period
        self.errorCount = errorCount
        self.warningCount = warningCount
    }
}

public struct MergeOptions: Sendable {
    /// The parent unit issuing the merged appendix (`ỦY BAN NHÂN DÂN TỈNH …`).
    public var parentUnit: String
    public var parentBody: String?
    /// The period to merge; nil: the period most inputs name.
    public var period: Period?
    /// Units that should have sent an appendix (names, matched like unit names).
    public var expectedUnits: [String]
    /// Merge what can be merged even when inputs were rejected or units are missing.
    public var allowPartial: Bool
    /// For a unit given twice, merge its newest file (modification date) and reject the others.
    public var latestWins: Bool

    public init(parentUnit: String, parentBody: String? = nil, period: Period? = nil, expectedUnits: [String] = [],
                allowPartial: Bool = false, latestWins: Bool = false) {
        self.parentUnit = parentUnit
        self.parentBody = parentBody
        self.period = period
        self.expectedUnits = expectedUnits
        self.allowPartial = allowPartial
        self.latestWins = latestWins
    }
}

/// A unit's value on a row that did not enter the merged value, and why.
public struct NotMerged: Sendable, Hashable {
    public var unit: String
    public var raw: String
    public var reason: Localized
}

/// How one form row was merged.
public struct RowMerge: Sendable {
    public var row: FormRow
    public var rule: MergeRule
    /// The merged value (also in `MergeResult.merged.values`).
    public var merged: RowValue
    /// Each accepted unit's value, in the order of `MergeResult.accepted`.
    public var units: [RowValue]
    /// Units whose value could not enter the merged value (status texts, blanks, unreadable text).
    public var notMerged: [NotMerged]
    /// The note written beside the merged value (what was left out, who answered Không, …).
    public var note: Localized?
    /// For `choices`: each choice used and how many units used it, in form order.
    public var choiceCounts: [(choice: String, count: Int)]
}

public struct MergeResult: Sendable {
    /// The parent's appendix.
    public var merged: Appendix
    /// One per form row, in form order.
    public var rows: [RowMerge]
    public var accepted: [UnitInput]
    public var rejected: [Rejection]
    /// Expected units (`MergeOptions.expectedUnits`) not among the accepted ones.
    public var missingUnits: [String]
    /// Accepted units that the expected list does not name (empty without an expected list).
    public var unexpectedUnits: [String]
    /// The period merged.
    public var period: Period?
    /// Reporting units the merged appendix stands for (merged inputs count their own units).
    public var unitCount: Int
    /// Units whose files are on the form this one replaces, merged through its row map.
    public var carried: [CarriedUnit] = []

    public func row(_ id: String) -> RowMerge? { rows.first { $0.row.id == id } }
}

/// A unit's file on the form the merged one replaces, merged through the row map.
public struct CarriedUnit: Sendable {
    public var file: String
    public var unit: String
    /// Which rows were merged, which were only in the old form, which this file lacks.
    public var carried: CarriedAppendix
    public init(file: String, unit: String, carried: CarriedAppendix) {
        self.file = file
        self.unit = unit
        self.carried = carried
    }
}
