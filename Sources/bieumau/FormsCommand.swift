import ArgumentParser
import BieuMau
import FormImport
import FormSchema
import Foundation
import Support

struct FormsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forms",
        abstract: "Các biểu mẫu: liệt kê, kiểm tra, nhập từ tệp Excel/CSV, so sánh hai phiên bản. / Forms: list, check, import, compare.",
        subcommands: [FormsListCommand.self, FormsImportCommand.self, FormsDiffCommand.self],
        defaultSubcommand: FormsListCommand.self)
}

struct FormsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Liệt kê các biểu mẫu có sẵn (mặc định). / List the known forms (the default).")

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

struct FormsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Suy ra biểu mẫu từ tệp biểu (trống hoặc đã điền): ghi DIR/ID/form.yaml. / Infer a form from a blank or filled workbook.",
        discussion: """
        Mọi phỏng đoán (loại dòng, dòng cha, tử số/mẫu số, quy tắc) được ghi chú '# guessed: …' kèm căn cứ \
        để người duyệt xem lại. Từ vựng quyết định loại dòng: Templates/vocabulary.yaml (hoặc --vocabulary).
        Every guess is marked '# guessed: …' with its evidence. The words deciding kinds are data: \
        Templates/vocabulary.yaml (or --vocabulary).
        """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Tệp biểu (.xlsx, .csv). / The form's workbook or CSV.")
    var file: String

    @Option(name: .long, help: "Mã biểu mẫu mới, vd. cchc-2025. / The new form's id.")
    var id: String

    @Option(name: .shortAndLong, help: "Thư mục ghi biểu mẫu (ghi DIR/ID/form.yaml). / Folder to write DIR/ID/form.yaml.")
    var output: String

    @Option(name: .long, help: "Tệp từ vựng thay cho Templates/vocabulary.yaml. / Vocabulary file.")
    var vocabulary: String?

    @Option(name: .long, help: "Trang tính cần đọc (tên hoặc số thứ tự). / Sheet to read (name or number).")
    var sheet: String?

    @Flag(name: .long, help: "Ghi đè form.yaml đã có. / Overwrite an existing form.yaml.")
    var force = false

    func run() throws {
        common.apply()
        let vocab = try vocabulary.map { try ImportVocabulary.load(file: $0) } ?? ImportVocabulary.shipped()
        let document = try AppendixReader.grids(path: file, sheet: sheet)
        for n in document.notices { Console.say(Console.text(n.vi, n.en)) }
        let grids = document.grids
        let imported: ImportedForm
        do {
            imported = try FormImporter.importForm(grids: grids, id: id, file: file, vocabulary: vocab)
        } catch let error as BieuMauError {
            throw error.inFile(file)
        }
        let path = try FormImporter.write(imported, toFolder: output, force: force)
        Console.say(imported.summary.text(Console.language))
        Console.say(Console.text(
            "Đã ghi \(path) (đã kiểm tra như `bieumau forms --check`: hợp lệ). Hãy xem lại các dòng '# guessed:', rồi dùng --forms-dir \(output) --form \(id).",
            "Wrote \(path) (checked as by `bieumau forms --check`: valid). Review the '# guessed:' lines, then use --forms-dir \(output) --form \(id)."))
    }
}

struct FormsDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "So sánh hai phiên bản biểu mẫu: dòng thêm, bỏ, đổi tên, chuyển chỗ, đổi loại. / Compare two versions of a form.",
        discussion: """
        OLD, NEW: mã biểu mẫu (xem `bieumau forms`) hoặc đường dẫn tệp form.yaml. --write-map ghi khối \
        'replaces:'/'row_map:' để nối vào form.yaml của NEW: khi đó validate --previous và merge đọc được \
        tệp theo biểu mẫu cũ.
        OLD, NEW: form ids or form.yaml paths. --write-map writes the 'replaces:'/'row_map:' block to append \
        to NEW's form.yaml, so that validate --previous and merge read files on the old form.
        """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Biểu mẫu cũ (mã hoặc tệp form.yaml). / The old form (id or file).")
    var old: String

    @Argument(help: "Biểu mẫu mới (mã hoặc tệp form.yaml). / The new form (id or file).")
    var new: String

    @Option(name: .customLong("write-map"), help: "Ghi bảng đối chiếu dòng cũ → mới (YAML). / Write the old → new row map (YAML).")
    var writeMap: String?

    @Flag(name: .long, help: "Ghi đè tệp --write-map đã có. / Overwrite an existing --write-map file.")
    var force = false

    func run() throws {
        common.apply()
        if let writeMap { try AtomicOutput.checkWritable(writeMap, force: force) }
        let library = try FormLibrary.load(extraFolders: common.formsDirs)
        let diff = FormDiff.compare(try resolveForm(old, library), try resolveForm(new, library))
        Console.say(diff.text(Console.language))
        if let writeMap {
            try AtomicOutput.write(Data(diff.rowMapYAML().utf8), to: writeMap, force: force)
            Console.say(Console.text("Đã ghi bảng đối chiếu \(diff.rowMap.count) dòng vào \(writeMap): nối nó vào cuối form.yaml của \(diff.new.id).",
                                     "Wrote the map of \(diff.rowMap.count) rows to \(writeMap): append it to \(diff.new.id)'s form.yaml."))
        }
    }
}

/// A form named by id (in the library) or by the path of its form.yaml.
func resolveForm(_ name: String, _ library: FormLibrary) throws -> FormDefinition {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: name, isDirectory: &isDir) {
        return try FormLoader.load(file: isDir.boolValue ? (name as NSString).appendingPathComponent("form.yaml") : name)
    }
    return try library.require(name)
}
