import ArgumentParser
import Foundation
import Portal
import Support

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Cổng nộp biểu: đơn vị tải lên và sửa phụ lục trong trình duyệt; người tổng hợp theo dõi và lấy biểu tổng hợp. / The submission portal.",
        discussion: """
        Một tiến trình: máy chủ HTTP, cơ sở dữ liệu SQLite và thư mục tệp trong --data. Sao lưu = sao chép \
        thư mục dữ liệu. Tạo tài khoản người tổng hợp bằng --add-user TÊN (mật khẩu nhập từ bàn phím hoặc stdin). \
        Xem docs/portal.md và docs/api.md.
        One process: HTTP server, SQLite database and a folder of files in --data. Backup = copy the data \
        folder. Create the collector's account with --add-user NAME (password from the terminal or stdin).
        """)

    @Option(name: .long, help: "Thư mục dữ liệu. / The data folder.")
    var data: String = "bieumau-data"

    @Option(name: .long, help: "Địa chỉ lắng nghe. / Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Cổng. / Port.")
    var port: Int = 8080

    @Option(name: .customLong("public-url"), help: "Địa chỉ đơn vị truy cập (in trong đường dẫn gửi đi), vd. https://nopbieu.example.gov.vn. / The address units use, for printed links.")
    var publicURL: String?

    @Option(name: .customLong("max-body-mib"), help: "Dung lượng tối đa một lần tải lên, MiB (mặc định 20). / Largest upload, MiB.")
    var maxBodyMiB: Int = 20

    @Option(name: .customLong("uploads-per-minute"), help: "Số lần tải lên tối đa mỗi phút cho một đường dẫn (mặc định 30). / Uploads per link per minute.")
    var uploadsPerMinute: Int = 30

    @Option(name: .customLong("trusted-proxy"), help: "Địa chỉ IP của proxy ngược được tin tiêu đề X-Forwarded-For (lặp lại được; mặc định: không tin). / A reverse proxy whose X-Forwarded-For is believed (repeatable; default none).")
    var trustedProxies: [String] = []

    @Option(name: .customLong("upload-memory-mib"), help: "Tổng dung lượng các tệp đang tải lên được giữ trong bộ nhớ cùng lúc, MiB (mặc định 128). / Upload bodies held in memory at once, MiB.")
    var uploadMemoryMiB: Int = 128

    @Option(name: .customLong("concurrent-checks"), help: "Số tệp được kiểm tra cùng lúc (mặc định: số nhân CPU). / Uploads checked at once (default: the cores).")
    var concurrentChecks: Int?

    @Flag(name: .customLong("secure-cookies"), help: "Đánh dấu cookie Secure (chạy sau proxy HTTPS). / Secure cookies (behind an HTTPS proxy).")
    var secureCookies = false

    @Option(name: .customLong("add-user"), help: "Tạo (hoặc đặt lại mật khẩu) tài khoản người tổng hợp rồi thoát. / Create the collector's account and exit.")
    var addUser: String?

    @Flag(name: .long, help: "Tạo đợt báo cáo mẫu (vài xã, một đơn vị đã nộp từ Examples/) và in đường dẫn. / Set up a demo collection and print its links.")
    var demo = false

    @Option(name: .customLong("demo-file"), help: "Tệp đã nộp của đợt mẫu. / The demo's submitted file.")
    var demoFile: String = "Examples/ngan-son-q1-2023.csv"

    @OptionGroup var common: CommonOptions

    func run() throws {
        common.apply()
        guard (1...65535).contains(port) else {
            throw BieuMauError(.usage, vi: "--port phải từ 1 đến 65535.", en: "--port must be between 1 and 65535.")
        }
        guard (1...1024).contains(maxBodyMiB) else {
            throw BieuMauError(.usage, vi: "--max-body-mib phải từ 1 đến 1024.", en: "--max-body-mib must be between 1 and 1024.")
        }
        guard uploadsPerMinute >= 1 else {
            throw BieuMauError(.usage, vi: "--uploads-per-minute phải ≥ 1.", en: "--uploads-per-minute must be at least 1.")
        }
        guard (1...65536).contains(uploadMemoryMiB) else {
            throw BieuMauError(.usage, vi: "--upload-memory-mib phải từ 1 đến 65536.", en: "--upload-memory-mib must be between 1 and 65536.")
        }
        if let concurrentChecks, !(1...256).contains(concurrentChecks) {
            throw BieuMauError(.usage, vi: "--concurrent-checks phải từ 1 đến 256.", en: "--concurrent-checks must be between 1 and 256.")
        }
        for proxy in trustedProxies where !ClientAddress.isAddress(proxy) {
            throw BieuMauError(.usage, vi: "--trusted-proxy «\(proxy)» không phải một địa chỉ IP.",
                               en: "--trusted-proxy '\(proxy)' is not an IP address.")
        }
        var config = PortalConfiguration(
            dataFolder: URL(fileURLWithPath: data), host: host, port: port, publicURL: publicURL,
            maxBodyBytes: maxBodyMiB << 20, uploadsPerLinkPerMinute: uploadsPerMinute, trustedProxies: trustedProxies,
            uploadMemoryBytes: uploadMemoryMiB << 20, secureCookies: secureCookies, formsDirs: common.formsDirs)
        if let concurrentChecks { config.concurrentChecks = concurrentChecks }
        let portal: Portal
        do { portal = try Portal(configuration: config) } catch let e as BieuMauError { throw e } catch {
            throw BieuMauError(.cannotCreate, vi: "Không mở được thư mục dữ liệu \(data): \(error)",
                               en: "Cannot open the data folder \(data): \(error)")
        }
        if let addUser {
            let password = try Self.readPassword(for: addUser)
            try portal.addUser(name: addUser, password: password)
            Console.say(Console.text("Đã tạo tài khoản \(addUser).", "Created the account \(addUser)."))
            return
        }
        if demo {
            let text = try portal.setUpDemo(exampleFile: demoFile, language: Console.language)
            Console.say(text)
        }
        Console.say(Console.text("Cổng nộp biểu đang chạy tại \(config.baseURL) (dữ liệu: \(data)). Ctrl+C để dừng.",
                                 "The portal is running at \(config.baseURL) (data: \(data)). Ctrl+C to stop."))
        try portal.runBlocking()
    }

    /// The password from the terminal (twice, not echoed), or the first line of stdin when it is not a terminal.
    static func readPassword(for user: String) throws -> String {
        if isatty(STDIN_FILENO) != 0 {
            let first = Self.prompt(Console.text("Mật khẩu cho \(user): ", "Password for \(user): "))
            let second = Self.prompt(Console.text("Nhập lại mật khẩu: ", "Repeat the password: "))
            guard first == second else {
                throw BieuMauError(.usage, vi: "Hai lần nhập mật khẩu không khớp.", en: "The two passwords differ.")
            }
            return first
        }
        guard let line = readLine(strippingNewline: true) else {
            throw BieuMauError(.usage, vi: "Không có mật khẩu trên stdin.", en: "No password on stdin.")
        }
        return line
    }

    static func prompt(_ text: String) -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var old = termios()
        tcgetattr(STDIN_FILENO, &old)
        var quiet = old
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &old)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
