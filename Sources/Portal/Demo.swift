import Foundation
import Support

extension Portal {
    /// The demo (`bieumau serve --demo`): an account `demo` with a fresh password, a collection of a
    /// few units for Quý I/2023, one of them (UBND huyện Ngân Sơn) already submitted from
    /// `exampleFile`; returns the text to print (sign-in and upload links). Run once per data folder:
    /// later runs print the links again.
    public func setUpDemo(exampleFile: String, language: Language) throws -> String {
        let en = language == .en
        var lines: [String] = []
        let password = Secrets.token(bytes: 8)
        try addUser(name: "demo", password: password)
        let title = "Báo cáo CCHC Quý I/2023 (thử nghiệm)"
        var collection = try store.collections().first { $0.title == title }
        if collection == nil {
            let id = try createCollection(
                title: title, form: library.defaultForm?.id ?? "cchc-2023", period: "Quý I/2023",
                deadline: "2023-04-15", parentUnit: "UBND tỉnh Bắc Kạn",
                units: ["UBND huyện Ngân Sơn", "UBND xã Bằng Vân", "UBND xã Thượng Quan", "UBND xã Vân Tùng"], by: nil)
            collection = try store.collection(id)
            if let c = collection, let first = try store.units(collection: c.id).first,
               let bytes = FileManager.default.contents(atPath: exampleFile) {
                let checked = jobs.check(bytes: [UInt8](bytes), filename: (exampleFile as NSString).lastPathComponent,
                                         collection: c, unit: first)
                let sha = try store.storeFile([UInt8](bytes))
                let row = try store.addUpload(NewUpload(
                    sha256: sha, size: bytes.count, filename: (exampleFile as NSString).lastPathComponent,
                    outcome: checked.outcome, formFound: checked.formFound, unitFound: checked.unitFound,
                    periodFound: checked.periodFound, errors: checked.errors, warnings: checked.warnings,
                    reportVI: checked.reportVI, reportEN: checked.reportEN, groupsVI: checked.groupsVI,
                    groupsEN: checked.groupsEN, reasonVI: checked.reasonVI, reasonEN: checked.reasonEN), unit: first)
                if row.outcome == .checked {
                    _ = try store.markSubmitted(uploadID: row.id, unitID: first.id, confirmedErrors: row.errors > 0,
                                                at: c.deadline.addingTimeInterval(-86400))
                }
            } else {
                lines.append(en ? "(The example file \(exampleFile) was not found: no unit has submitted.)"
                                : "(Không thấy tệp mẫu \(exampleFile): chưa đơn vị nào nộp.)")
            }
        }
        guard let c = collection else { return lines.joined(separator: "\n") }
        let base = configuration.baseURL
        lines.append(en ? "Demo collection: \(c.title)" : "Đợt báo cáo thử: \(c.title)")
        lines.append((en ? "Collector sign-in: " : "Người tổng hợp đăng nhập: ") + "\(base)/login  (demo / \(password))")
        lines.append(en ? "Dashboard: \(base)/collections/\(c.id)" : "Bảng theo dõi: \(base)/collections/\(c.id)")
        lines.append(en ? "Upload links (one per unit):" : "Đường dẫn nộp của từng đơn vị:")
        for u in try store.units(collection: c.id) {
            lines.append("  \(u.name): \(unitURL(u.token))")
        }
        return lines.joined(separator: "\n")
    }
}
