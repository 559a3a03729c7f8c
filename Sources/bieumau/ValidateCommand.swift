import ArgumentParser
import Support

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "(chưa có / not yet available)")

    @OptionGroup var common: CommonOptions

    func run() throws {
        common.apply()
        throw BieuMauError(.usage, vi: "Lệnh 'validate' chưa được xây dựng.", en: "The 'validate' command is not built yet.")
    }
}
