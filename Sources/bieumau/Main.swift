import ArgumentParser
import Foundation
import Support

@main
struct Main {
    static func main() {
        Console.installInterruptHandlers()
        do {
            var command = try BieuMauCommand.parseAsRoot()
            try command.run()
        } catch let error as BieuMauError {
            Console.error(error.text(Console.language))
            exit(error.status.rawValue)
        } catch let error as ExitFindings {
            exit(error.status.rawValue)
        } catch {
            BieuMauCommand.exit(withError: error)
        }
    }
}

struct BieuMauCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bieumau",
        abstract: "Phụ lục thống kê báo cáo: chuyển đổi, kiểm tra, tổng hợp biểu Excel chính thức.",
        discussion: """
        Statistical appendices of Vietnamese government reports: convert a CSV or a loose sheet into the \
        official workbook, validate it before submission, merge units' workbooks into the parent's.

        Mã thoát / exit codes: 0 thành công; 1 có lỗi khi kiểm tra; 64 sai cách dùng; 65 dữ liệu đầu vào lỗi; \
        66 không có tệp đầu vào; 73 không ghi được tệp kết quả.
        """,
        version: "0.1.0",
        subcommands: [
            ConvertCommand.self, TemplateCommand.self, ValidateCommand.self, MergeCommand.self,
            ExportCommand.self, DumpCommand.self, FormsCommand.self, CrosscheckCommand.self,
        ])
}

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Ngôn ngữ thông báo: vi (mặc định) hoặc en. / Message language.")
    var lang: Language = .vi

    @Option(name: .customLong("forms-dir"), help: "Thêm thư mục biểu mẫu của người dùng. / Add a folder of forms.")
    var formsDirs: [String] = []

    func apply() {
        Console.language = lang
    }
}

extension Language: ExpressibleByArgument {}

/// Thrown to end a run with a status after its output has been printed (e.g. validation errors).
struct ExitFindings: Error {
    var status: ExitStatus
}
