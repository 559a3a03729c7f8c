import ArgumentParser
import Support

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "template", abstract: "(chưa có / not yet available)")

    @OptionGroup var common: CommonOptions

    func run() throws {
        common.apply()
        throw BieuMauError(.usage, vi: "Lệnh 'template' chưa được xây dựng.", en: "The 'template' command is not built yet.")
    }
}
