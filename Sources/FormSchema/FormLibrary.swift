import Foundation
import Support

/// The forms a run can use: the shipped `Templates/` plus any folder the user names (`--forms-dir`).
/// A form lives in `<folder>/<form-id>/form.yaml`.
public struct FormLibrary: Sendable {
    public private(set) var forms: [FormDefinition]

    public init(forms: [FormDefinition]) { self.forms = forms }

    /// Loads every form under the shipped templates folder and `extraFolders` (later ones win on a clash).
    public static func load(extraFolders: [String] = []) throws -> FormLibrary {
        var folders: [String] = []
        if let shipped = shippedTemplatesFolder() { folders.append(shipped) }
        for f in extraFolders {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: f, isDirectory: &isDir), isDir.boolValue else {
                throw BieuMauError(.noInput, vi: "Không có thư mục biểu mẫu \(f).", en: "The forms folder \(f) does not exist.")
            }
            folders.append(f)
        }
        if folders.isEmpty {
            throw BieuMauError(.noInput,
                vi: "Không tìm thấy thư mục Templates của bieumau. Đặt biến BIEUMAU_TEMPLATES hoặc dùng --forms-dir.",
                en: "The bieumau Templates folder was not found. Set BIEUMAU_TEMPLATES or use --forms-dir.")
        }
        var byID: [String: FormDefinition] = [:]
        var order: [String] = []
        for folder in folders {
            for file in formFiles(in: folder) {
                let form = try FormLoader.load(file: file)
                if byID[form.id] == nil { order.append(form.id) }
                byID[form.id] = form
            }
        }
        let library = FormLibrary(forms: order.compactMap { byID[$0] })
        try library.checkRowMaps()
        return library
    }

    /// Each `row_map`'s left side must be rows of the form it `replaces`, when that form is known here.
    public func checkRowMaps() throws {
        for form in forms {
            guard let oldID = form.replaces, let old = self.form(oldID) else { continue }
            for oldRow in form.rowMap.keys.sorted() where old.row(oldRow) == nil {
                throw BieuMauError(.dataError,
                    vi: "\(form.file): 'row_map' nêu dòng '\(oldRow)' nhưng biểu mẫu cũ \(oldID) không có dòng này. Hãy tạo lại bảng bằng `bieumau forms diff --write-map`.",
                    en: "\(form.file): 'row_map' names the row '\(oldRow)', which the old form \(oldID) does not have. Rebuild the map with `bieumau forms diff --write-map`.")
            }
        }
    }

    /// The form to read files against when `--form formID` is named: that form, unless it replaces
    /// another one, in which case a file (last period's, a unit's) may be on either version and its
    /// form is recognised (nil); the new form then reads old files through its row map.
    public func formIDForReading(current formID: String?) -> String? {
        guard let formID else { return nil }
        return form(formID)?.replaces == nil ? formID : nil
    }

    /// The form among `ids` that replaces (directly or through others) every other one of them,
    /// if there is one: files on last year's form and this year's merge and compare on the new one.
    public func newest(of ids: [String]) -> FormDefinition? {
        let distinct = Array(Set(ids)).sorted()
        func replacesAll(_ f: FormDefinition) -> Bool {
            distinct.allSatisfy { other in
                if other == f.id { return true }
                var current: FormDefinition? = f
                var steps = 0
                while let c = current, let r = c.replaces, steps < 20 {
                    if r == other { return true }
                    current = form(r)
                    steps += 1
                }
                return false
            }
        }
        return distinct.compactMap { form($0) }.first(where: replacesAll)
    }

    /// `form.yaml` files one level below `folder`, or `folder` itself if it holds a form.yaml.
    static func formFiles(in folder: String) -> [String] {
        let fm = FileManager.default
        let direct = (folder as NSString).appendingPathComponent("form.yaml")
        if fm.fileExists(atPath: direct) { return [direct] }
        let entries = (try? fm.contentsOfDirectory(atPath: folder)) ?? []
        return entries.sorted().compactMap { name in
            let p = ((folder as NSString).appendingPathComponent(name) as NSString).appendingPathComponent("form.yaml")
            return fm.fileExists(atPath: p) ? p : nil
        }
    }

    /// The shipped `Templates/` folder: `$BIEUMAU_TEMPLATES`, else found above the executable
    /// (a build tree or checkout), else the installed share folder.
    public static func shippedTemplatesFolder() -> String? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["BIEUMAU_TEMPLATES"], !env.isEmpty {
            return fm.fileExists(atPath: env) ? env : nil
        }
        var candidates: [String] = []
        var dir = executableURL().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent("Templates").path)
            candidates.append(dir.appendingPathComponent("share/bieumau/Templates").path)
            dir.deleteLastPathComponent()
        }
        // Never the current directory: run through a link on PATH from any folder, the forms are
        // the ones shipped with the executable, not whatever `Templates/` lies where the user stands.
        candidates += ["/usr/local/share/bieumau/Templates", "/usr/share/bieumau/Templates"]
        return candidates.first { !formFiles(in: $0).isEmpty }
    }

    /// The running executable with every link resolved: `/proc/self/exe` (argv[0] is only the
    /// name typed when run through PATH, and a link's own folder when run through a link).
    static func executableURL() -> URL {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: target)
        }
        if let exe = Bundle.main.executableURL { return exe.resolvingSymlinksInPath() }
        return URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
    }

    public func form(_ id: String) -> FormDefinition? { forms.first { $0.id == id } }

    /// The form `id`, or an error listing the forms there are.
    public func require(_ id: String) throws -> FormDefinition {
        if let f = form(id) { return f }
        let known = forms.map(\.id).joined(separator: ", ")
        throw BieuMauError(.dataError,
            vi: "Không có biểu mẫu '\(id)'. Các biểu mẫu hiện có: \(known). Xem `bieumau forms`.",
            en: "There is no form '\(id)'. Known forms: \(known). See `bieumau forms`.")
    }

    /// The form used when none is named: the only one, or `cchc-2023`'s newest sibling.
    public var defaultForm: FormDefinition? { forms.first }
}
