import ArgumentParser
import Support

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "convert", abstract: "(chưa có / not yet available)")

    @OptionGroup var common: CommonOptions

    func run() throws {
        common.apply()
        throw BieuMauError(.usage, vi: "Lệnh 'convert' chưa được xây dựng.", en: "The 'convert' command is not built yet.")
    }
}
