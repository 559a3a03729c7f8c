import Foundation
import Mustache
import Support

/// Server-side pages: Mustache templates under `Resources/templates/`, the words of every page in
/// `Resources/text.json` (Vietnamese and English). `{{…}}` escapes HTML; no template uses `{{{…}}}`.
struct Pages: Sendable {
    let library: MustacheLibrary
    /// key → (vi, en)
    let text: [String: [String: String]]
    let staticFiles: [String: (type: String, bytes: [UInt8])]

    init() throws {
        // `.copy("Resources")` keeps the folder; where the bundle's resource URL points differs by platform.
        let candidates = [Bundle.module.resourceURL, Bundle.module.bundleURL].compactMap { $0 }
            .flatMap { [$0, $0.appendingPathComponent("Resources")] }
        guard let root = candidates.first(where: {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("text.json").path)
        }) else {
            throw StoreError.io("the portal's resources are missing")
        }
        var lib = MustacheLibrary()
        let templates = root.appendingPathComponent("templates")
        for name in try FileManager.default.contentsOfDirectory(atPath: templates.path) where name.hasSuffix(".mustache") {
            let body = try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)
            try lib.register(body, named: String(name.dropLast(".mustache".count)))
        }
        library = lib
        let data = try Data(contentsOf: root.appendingPathComponent("text.json"))
        text = (try JSONSerialization.jsonObject(with: data) as? [String: [String: String]]) ?? [:]
        var files: [String: (String, [UInt8])] = [:]
        let staticFolder = root.appendingPathComponent("static")
        for name in try FileManager.default.contentsOfDirectory(atPath: staticFolder.path) {
            let type = name.hasSuffix(".css") ? "text/css; charset=utf-8"
                : name.hasSuffix(".js") ? "text/javascript; charset=utf-8"
                : name.hasSuffix(".svg") ? "image/svg+xml" : "application/octet-stream"
            files[name] = (type, [UInt8](try Data(contentsOf: staticFolder.appendingPathComponent(name))))
        }
        staticFiles = files
    }

    func words(_ lang: Language) -> [String: String] {
        text.mapValues { $0[lang.rawValue] ?? $0["vi"] ?? "" }
    }

    func word(_ key: String, _ lang: Language) -> String { text[key]?[lang.rawValue] ?? key }

    /// Renders `template` inside the layout. `context` holds the page's values; `t` (the words),
    /// `lang` and the language switch are added here.
    func render(_ template: String, _ context: [String: Any], lang: Language, path: String, title: String,
                signedIn: String? = nil, csrf: String? = nil) -> String {
        var c = context
        c["t"] = words(lang)
        c["lang"] = lang.rawValue
        c["pageTitle"] = title
        c["otherLang"] = lang == .en ? "vi" : "en"
        c["switchBack"] = path
        if let signedIn { c["signedIn"] = signedIn }
        if let csrf { c["csrf"] = csrf }
        return library.render(c, withTemplate: template) ?? "template \(template) missing"
    }
}

/// Dates and sizes as people read them in Vietnam.
enum Display {
    static let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!

    static func time(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%02d/%02d/%04d %02d:%02d", c.day ?? 0, c.month ?? 0, c.year ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    static func day(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day], from: date)
        return String(format: "%02d/%02d/%04d", c.day ?? 0, c.month ?? 0, c.year ?? 0)
    }

    /// `2023-04-15` → the last second of that day in Vietnam.
    static func deadline(_ text: String) -> Date? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (2000...2200).contains(parts[0]), (1...12).contains(parts[1]), (1...31).contains(parts[2]) else {
            return nil
        }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        guard let date = cal.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 23, minute: 59, second: 59)),
              cal.component(.day, from: date) == parts[2] else { return nil }
        return date
    }

    static func isoDay(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1 << 20 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / Double(1 << 20))
    }

    /// A browser's file name, for display only: the last path component, no control characters, NFC, ≤ 120 characters.
    static func filename(_ raw: String?) -> String {
        var name = raw ?? ""
        if let slash = name.lastIndex(where: { $0 == "/" || $0 == "\\" }) { name = String(name[name.index(after: slash)...]) }
        name = String(name.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && !(0x80..<0xA0).contains($0.value)
            && !(0x202A...0x202E).contains($0.value) && !(0x2066...0x2069).contains($0.value) }.map(Character.init))
        name = TextNormalization.nfc(name).trimmingCharacters(in: .whitespaces)
        if name.count > 120 { name = String(name.prefix(120)) }
        return name.isEmpty ? "tep" : name
    }
}
