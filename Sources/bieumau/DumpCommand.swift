import ArgumentParser
import Support

struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dump", abstract: "(chưa có / not yet available)")

    @OptionGroup var common: CommonOptions

    func run() throws {
        common.apply()
        throw BieuMauError(.usage, vi: "Lệnh 'dump' chưa được xây dựng.", en: "The 'dump' command is not built yet.")
    }
}
