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
    /// The validator's findings (errors and warnings); empty after `compacted()`, which keeps the counts.
    public var findings: [Finding] {
        didSet { errorCount = findings.count { $0.severity == .error }; warningCount = findings.count { $0.severity == .warning } }
    }
    /// How many errors and warnings the validator found.
    public private(set) var errorCount: Int
    public private(set) var warningCount: Int
    /// The file's modification date (for `latestWins`).
    public var modified: Date?
    /// For a merged workbook whose own sheets back its claim (`MergedWorkbookCheck`): the units
    /// its "Nguồn" sheet lists as merged. Nil for a unit's own appendix.
    public var sourceUnits: [String]?
    /// What the merge should tell about this input (e.g. properties that claimed a merged
    /// workbook its sheets do not back), listed in "Nguồn" and the summary.
    public var notes: [Localized]

    public init(file: String, sha256: String, appendix: Appendix, findings: [Finding] = [], modified: Date? = nil,
                sourceUnits: [String]? = nil, notes: [Localized] = []) {
        self.file = file
        self.sha256 = sha256
        self.appendix = appendix
        self.findings = findings
        self.errorCount = findings.count { $0.severity == .error }
        self.warningCount = findings.count { $0.severity == .warning }
        self.modified = modified
        self.sourceUnits = sourceUnits
        self.notes = notes
    }

    /// An input whose findings were only counted (`Validator.counts`): what a merge keeps of them.
    public init(file: String, sha256: String, appendix: Appendix, errorCount: Int, warningCount: Int,
                modified: Date? = nil, sourceUnits: [String]? = nil, notes: [Localized] = []) {
        self.init(file: file, sha256: sha256, appendix: appendix, modified: modified, sourceUnits: sourceUnits, notes: notes)
        self.errorCount = errorCount
        self.warningCount = warningCount
    }

    /// The unit's name as given in the file, or the file's base name when the file names no unit.
    public var unitName: String {
        if let u = appendix.metadata.unit.map({ TextNormalization.collapseWhitespace(TextNormalization.nfc($0)) }), !u.isEmpty {
            return u
        }
        return ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// What a merge keeps of an input once it is read and validated: its values (raw text,
    /// meaning, decimals, note — what the merge, "Chi tiết" and a unit sheet use), its metadata and
    /// the counts of findings. Dropped: the findings themselves, reading findings, unmatched rows,
    /// and each value's location, input label, number classification and formula. A merge of
    /// thousands of units holds one compact row of values per unit, not what reading produced.
    public func compacted() -> UnitInput {
        var c = self
        let errors = errorCount, warnings = warningCount
        c.findings = []
        c.errorCount = errors
        c.warningCount = warnings
        c.appendix.readingFindings = []
        c.appendix.unmatched = []
        c.appendix.metadata.locations = [:]
        // (mapValues keeps the dictionary's layout: no key is hashed again.)
        c.appendix.values = c.appendix.values.mapValues { v in
            RowValue(raw: v.raw, value: v.value, decimals: v.decimals, percentSign: v.percentSign, note: v.note)
        }
        return c
    }
    /// True when this input is itself a parent's merged workbook (its properties say so; the reader
    /// clears them when the workbook's own sheets do not agree: `MergedWorkbookCheck`).
    public var isMerged: Bool { appendix.metadata.isMergedWorkbook }
    /// How many reporting units this input stands for (a merged workbook: the units it merged).
    public var leafUnits: Int { isMerged ? max(1, appendix.metadata.mergedUnits ?? 1) : 1 }
}

/// Why an input file was not merged.
public enum RejectionKind: String, Sendable, Hashable, Codable {
    case unreadable
    case otherForm = "other-form"
    case otherPeriod = "other-period"
    /// With `latestWins`: an older file of a unit whose newer file was merged.
    case superseded
    /// Two or more files of one unit with different values (without `latestWins`): all set aside,
    /// the unit counted missing (`MergeResult.conflicts` names the rows where they differ).
    case conflictingSubmission = "conflicting-submission"
    /// A file with the same values as another file of its unit: one submission, listed, not an error.
    case sameSubmission = "same-submission"
    /// A previous merge output: its units are among the other inputs, or it is the unit being produced.
    case previousMerge = "previous-merge"
}

extension RejectionKind {
    /// Listed in the result but not a reason to refuse the merge: what the user asked for
    /// (`--latest`) or a second copy of the same submission.
    public var isInformational: Bool { self == .superseded || self == .sameSubmission }
}

/// A merge refused (inputs rejected, units missing or in conflict, without `allowPartial`; or
/// nothing mergeable): the lists, for a front end to print as data, and the error to report.
public struct MergeRefusal: Error, Sendable {
    public var rejected: [Rejection]
    public var missing: [String]
    public var conflicts: [SubmissionConflict]
    /// The message for the user (exit 65).
    public var error: BieuMauError

    public init(rejected: [Rejection], missing: [String], conflicts: [SubmissionConflict] = [], error: BieuMauError) {
        self.rejected = rejected
        self.missing = missing
        self.conflicts = conflicts
        self.error = error
    }
}

/// One unit that sent files with different values, and where they differ.
public struct SubmissionConflict: Sendable, Hashable {
    /// The unit as the first file names it.
    public var unit: String
    /// The files, in input order.
    public var files: [String]
    /// The rows where the files differ: each file's raw text, in the order of `files`.
    public var rows: [ConflictRow]
}

public struct ConflictRow: Sendable, Hashable {
    public var rowID: String
    /// The row's code as printed (`3.1.4`), or its label when it has none.
    public var code: String
    public var label: String
    /// Each file's raw text on this row (`""` when blank or absent), in the order of `SubmissionConflict.files`.
    public var raws: [String]
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
    /// Units that sent files with different values (set aside, and among `missingUnits`).
    public var conflicts: [SubmissionConflict] = []

    public func row(_ id: String) -> RowMerge? { rows.first { $0.row.id == id } }
}

/// Whether the merged workbook has one sheet per unit (its appendix as received). A province
/// merges 100–170 units, a national merge about 3,400: thousands of sheets help nobody and cost
/// time and memory, and "Chi tiết" has every unit's values anyway.
public enum UnitSheets: String, Sendable, CaseIterable {
    case yes, no
    /// Yes up to `autoLimit` merged files.
    case auto

    public static let autoLimit = 200

    public func enabled(units: Int) -> Bool {
        switch self {
        case .yes: return true
        case .no: return false
        case .auto: return units <= Self.autoLimit
        }
    }
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
