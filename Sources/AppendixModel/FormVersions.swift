import FormSchema
import Support

/// An appendix on last year's form read as one on the form that replaces it (`replaces:` and its
/// `row_map:`): the rows both forms have carry their values; the others are listed.
public struct CarriedAppendix: Sendable {
    /// The appendix on the new form (values of the mapped rows only).
    public var appendix: Appendix
    /// The old form's id.
    public var oldForm: String
    /// Rows of the old form holding a value here that the new form does not have (or has with
    /// another kind): not compared, not merged.
    public var dropped: [FormRow]
    /// Rows of the new form holding values that the old form did not have: nothing from this file.
    public var absent: [FormRow]

    /// `1.4 «…», 1.5 «…»` for messages (at most `limit` named).
    public static func names(_ rows: [FormRow], form: FormDefinition, limit: Int = 12) -> String {
        var parts = rows.prefix(limit).map { r -> String in
            let code = form.displayCode(of: r.id)
            let label = r.label.count > 50 ? String(r.label.prefix(49)) + "…" : r.label
            return code.isEmpty ? "«\(label)»" : "\(code) «\(label)»"
        }
        if rows.count > limit { parts.append("… (+\(rows.count - limit))") }
        return parts.joined(separator: ", ")
    }

    /// What happened, for a report: which rows were read through the map and which were not.
    public var note: Localized {
        let newForm = appendix.form
        let carried = appendix.values.count
        var vi = "Tệp dùng biểu mẫu cũ \(oldForm); đã đọc theo biểu mẫu \(newForm.id) qua bảng đối chiếu dòng (row_map): \(carried) dòng có ở cả hai."
        var en = "The file uses the old form \(oldForm); it was read as \(newForm.id) through the row map: \(carried) rows are in both."
        if !dropped.isEmpty {
            vi += " Dòng chỉ có ở biểu mẫu cũ (không so sánh, không tổng hợp): \(Self.names(dropped, form: oldFormDefinition))."
            en += " Rows only in the old form (not compared, not merged): \(Self.names(dropped, form: oldFormDefinition))."
        }
        if !absent.isEmpty {
            vi += " Dòng mới, tệp này không có số liệu: \(Self.names(absent, form: newForm))."
            en += " New rows this file has no value for: \(Self.names(absent, form: newForm))."
        }
        return Localized(vi: vi, en: en)
    }

    /// The old form (the dropped rows are named with the codes they had there).
    public var oldFormDefinition: FormDefinition
}

extension Appendix {
    /// This appendix read on `newForm` when `newForm` replaces this appendix's form; nil otherwise.
    /// Values move to the mapped rows when the kind is unchanged; metadata, findings and source stay.
    public func carried(to newForm: FormDefinition) -> CarriedAppendix? {
        guard newForm.id != form.id, newForm.replaces == form.id else { return nil }
        var values: [String: RowValue] = [:]
        var dropped: [FormRow] = []
        for row in form.rows where row.kind.holdsValue {
            guard let v = self.values[row.id] else { continue }
            if let newID = newForm.rowMap[row.id], let newRow = newForm.row(newID), newRow.kind == row.kind {
                values[newID] = v
            } else if !v.value.isEmpty {
                dropped.append(row)
            }
        }
        let mappedNew = Set(newForm.rowMap.values)
        let absent = newForm.rows.filter { $0.kind.holdsValue && !mappedNew.contains($0.id) }
        var a = self
        a.form = newForm
        a.values = values
        // Unknown-row findings name rows of the old form: they stay as they were read.
        return CarriedAppendix(appendix: a, oldForm: form.id, dropped: dropped, absent: absent, oldFormDefinition: form)
    }
}
