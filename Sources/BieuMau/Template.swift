import AppendixModel
import FormSchema
import Foundation
import OfficialWorkbook
import Support

/// `template`: a blank official workbook for a unit to fill.
public enum Template {
    /// Excel unlocks a sheet protected with a longer password wrongly.
    public static let maxPasswordLength = 24

    /// Writes the blank workbook of `formID` (else the library's default form) to `output`.
    /// - Parameters:
    ///   - metadata: unit, parent body and period printed in the heading (may be empty).
    ///   - password: sheet protection password (at most ``maxPasswordLength`` characters).
    /// - Returns: the form written.
    ///
    /// ```swift
    /// let form = try Template.write(formID: "cchc-2023", metadata: Metadata(unit: "UBND xã Vân Tùng"),
    ///                               to: "mau.xlsx", library: try FormLibrary.load())
    /// ```
    @discardableResult
    public static func write(formID: String?, metadata: Metadata = Metadata(), password: String? = nil,
                             to output: String, force: Bool = false, library: FormLibrary) throws -> FormDefinition {
        if let password, password.count > maxPasswordLength {
            throw BieuMauError(.usage,
                vi: "Mật khẩu --password dài tối đa \(maxPasswordLength) ký tự (đang có \(password.count)): Excel không mở khóa đúng được mật khẩu dài hơn.",
                en: "--password may have at most \(maxPasswordLength) characters (it has \(password.count)): longer ones do not unlock correctly in Excel.")
        }
        let definition: FormDefinition
        if let formID {
            definition = try library.require(formID)
        } else if let first = library.defaultForm {
            definition = first
        } else {
            throw BieuMauError(.noInput, vi: "Không có biểu mẫu nào.", en: "There are no forms.")
        }
        let appendix = Appendix(form: definition, metadata: metadata)
        try OfficialWorkbookWriter.writeAppendix(appendix, to: output, force: force, mode: .template, password: password)
        return definition
    }
}
