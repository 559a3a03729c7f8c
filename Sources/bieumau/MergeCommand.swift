import ArgumentParser
import Support

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge", abstract: "(chưa có / not yet available)")

    @OptionGroup var common: CommonOptions

    func run() throws {
        common.apply()
        throw BieuMauError(.usage, vi: "Lệnh 'merge' chưa được xây dựng.", en: "The 'merge' command is not built yet.")
    }
}
