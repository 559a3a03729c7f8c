import ArgumentParser
import FormSchema
import Foundation
import Support

struct FormsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forms",
        abstract: "Liệt kê các biểu mẫu có sẵn. / List the known forms.")

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Kiểm tra một tệp biểu mẫu (form.yaml). / Check one form file.")
    var check: String?

    func run() throws {
        common.apply()
        if let check {
            let form = try FormLoader.load(file: check)
            Console.say(Console.text("\(check): biểu mẫu \(form.id) phiên bản \(form.version), \(form.rows.count) dòng, hợp lệ.",
                                     "\(check): form \(form.id) version \(form.version), \(form.rows.count) rows, valid."))
            return
        }
        let library = try FormLibrary.load(extraFolders: common.formsDirs)
        for form in library.forms {
            let valued = form.rows.filter { $0.kind.holdsValue }.count
            Console.say("\(form.id)\tv\(form.version)\t\(form.rows.count) \(Console.text("dòng", "rows")) (\(valued) \(Console.text("chỉ tiêu có số liệu", "with values")))\t\(form.title)\t\(form.file)")
        }
    }
}
