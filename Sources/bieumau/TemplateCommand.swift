import AppendixModel
import ArgumentParser
import FormSchema
import Foundation
import BieuMau
import Support

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Tạo biểu mẫu Excel trống để đơn vị điền. / Write a blank workbook for a unit to fill.",
        discussion: """
        Ô nhập (Số liệu, Ghi chú) được mở khóa và tô màu; các ô khác bị khóa, trang tính được bảo vệ \
        (không mật khẩu, trừ khi dùng --password). Có danh sách chọn cho các dòng Có/Không và lựa chọn, \
        kiểm tra số nguyên ≥ 0, số tiền ≥ 0, tỷ lệ 0–100%; tỷ lệ có tử số/mẫu số được tính tự động. \
        Các trạng thái như "Chưa thực hiện" vẫn ghi được (Excel hỏi lại trước khi giữ).

        Input cells (value, note) are unlocked and shaded; everything else is locked and the sheet is \
        protected (no password unless --password). Dropdowns for yes/no and choice rows; checks for whole \
        numbers ≥ 0, amounts ≥ 0, percentages 0–100%; ratios with numerator/denominator rows are live \
        formulas. Status texts such as "Chưa thực hiện" can still be entered (Excel asks before keeping them).
        """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Mã biểu mẫu (mặc định: biểu mẫu đầu tiên, xem `bieumau forms`). / Form id.")
    var form: String?

    @Option(name: [.short, .customLong("output")], help: "Tệp .xlsx kết quả. / Output .xlsx file.")
    var output: String

    @Option(name: .long, help: "Tên cơ quan, đơn vị báo cáo, vd. \"ỦY BAN NHÂN DÂN HUYỆN NGÂN SƠN\". / Reporting unit.")
    var unit: String?

    @Option(name: .long, help: "Cơ quan cấp trên, vd. \"UBND TỈNH BẮC KẠN\". / Parent body.")
    var parent: String?

    @Option(name: .long, help: "Kỳ báo cáo, vd. \"Quý I/2023\", \"6 tháng 2023\", \"Năm 2023\". / Reporting period.")
    var period: String?

    @Option(name: .long, help: "Mật khẩu bảo vệ trang tính (tối đa 24 ký tự). / Sheet protection password (≤ 24 characters).")
    var password: String?

    @Flag(name: .long, help: "Ghi đè tệp kết quả đã có. / Overwrite an existing output file.")
    var force = false

    func run() throws {
        common.apply()
        let library = try FormLibrary.load(extraFolders: common.formsDirs)
        var metadata = Metadata(unit: unit.map(clean), parentBody: parent.map(clean))
        if let period { metadata.period = try Period.option(period) }
        let definition = try Template.write(formID: form, metadata: metadata, password: password, to: output,
                                            force: force, library: library)
        let inputs = definition.rows.filter { $0.kind.holdsValue }.count
        Console.say(Console.text(
            "Đã tạo \(output): biểu mẫu \(definition.id) phiên bản \(definition.version), \(inputs) chỉ tiêu cần điền.",
            "Wrote \(output): form \(definition.id) version \(definition.version), \(inputs) indicators to fill."))
    }

    private func clean(_ s: String) -> String {
        TextNormalization.collapseWhitespace(TextNormalization.nfc(s))
    }
}
