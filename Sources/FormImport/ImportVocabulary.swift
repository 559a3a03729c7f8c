import FormSchema
import Foundation
import Support
import Yams

/// The words that decide a row's kind, its whole and its parts when a form is imported. Data:
/// `Templates/vocabulary.yaml` (see the comments there), never Swift literals.
public struct ImportVocabulary: Sendable {
    public var yesnoUnits: [String]
    public var yesnoLabelSuffixes: [String]
    public var choiceSeparators: [String]
    public var ratioUnits: [String]
    public var ratioLabelPrefixes: [String]
    public var moneyUnits: [String]
    public var wholePrefixes: [String]
    public var partPrefixes: [String]
    public var assignedWords: [String]
    public var partMarkers: [String]
    public var cumulativeWords: [String]
    public var statusTexts: [String]
    public var yesTexts: [String]
    public var noTexts: [String]
    /// The file it was read from.
    public var file: String

    /// The file name beside the shipped forms.
    public static let fileName = "vocabulary.yaml"

    /// The vocabulary shipped beside the forms (`Templates/vocabulary.yaml`).
    public static func shipped() throws -> ImportVocabulary {
        guard let folder = FormLibrary.shippedTemplatesFolder() else {
            throw BieuMauError(.noInput,
                vi: "Không tìm thấy thư mục Templates (nơi có \(fileName)). Đặt biến BIEUMAU_TEMPLATES.",
                en: "The Templates folder (holding \(fileName)) was not found. Set BIEUMAU_TEMPLATES.")
        }
        return try load(file: (folder as NSString).appendingPathComponent(fileName))
    }

    public static func load(file: String) throws -> ImportVocabulary {
        guard let data = FileManager.default.contents(atPath: file), data.count <= InputLimits.maxFormFileBytes,
              let text = String(data: data, encoding: .utf8) else {
            throw BieuMauError(.noInput, vi: "Không đọc được tệp từ vựng \(file).", en: "Cannot read the vocabulary file \(file).")
        }
        return try parse(yaml: text, file: file)
    }

    public static func parse(yaml: String, file: String) throws -> ImportVocabulary {
        let root: Node?
        do {
            root = try Yams.compose(yaml: TextNormalization.nfc(yaml), .basic)
        } catch {
            throw BieuMauError(.dataError, vi: "\(file): không đọc được YAML (\(error)).", en: "\(file): invalid YAML (\(error)).")
        }
        guard let root, root.mapping != nil else {
            throw BieuMauError(.dataError, vi: "\(file): tệp từ vựng phải là một bảng khoá: giá trị.",
                               en: "\(file): the vocabulary must be a mapping.")
        }
        func list(_ path: String...) throws -> [String] {
            var node: Node? = root
            for key in path { node = node?[key] }
            guard let node, let seq = node.sequence else {
                throw BieuMauError(.dataError,
                    vi: "\(file): thiếu danh sách '\(path.joined(separator: "."))'.",
                    en: "\(file): the list '\(path.joined(separator: "."))' is missing.")
            }
            return seq.compactMap { $0.scalar?.string }.filter { !$0.isEmpty }
        }
        return ImportVocabulary(
            yesnoUnits: try list("yesno", "units"), yesnoLabelSuffixes: try list("yesno", "label_suffixes"),
            choiceSeparators: try list("choice", "separators"),
            ratioUnits: try list("ratio", "units"), ratioLabelPrefixes: try list("ratio", "label_prefixes"),
            moneyUnits: try list("money", "units"),
            wholePrefixes: try list("whole_prefixes"), partPrefixes: try list("part_prefixes"),
            assignedWords: try list("assigned_words"), partMarkers: try list("part_markers"),
            cumulativeWords: try list("cumulative_words"),
            statusTexts: try list("status_texts"), yesTexts: try list("yes_texts"), noTexts: try list("no_texts"),
            file: file)
    }

    // MARK: Matching (LabelKey: case, spacing, edge punctuation and tone placement do not matter)

    /// The matching key; a text of symbols only (`%`) is compared as written, lower-cased.
    static func key(_ s: String) -> String {
        let k = LabelKey.make(s)
        return k.isEmpty ? TextNormalization.collapseWhitespace(s).lowercased() : k
    }

    /// The entry of `list` that `text` is, if any.
    static func equal(_ text: String, _ list: [String]) -> String? {
        let k = key(text)
        guard !k.isEmpty else { return nil }
        return list.first { key($0) == k }
    }

    /// The entry of `list` that `text` opens with (whole words), if any; longest first.
    static func prefix(_ text: String, _ list: [String]) -> String? {
        let k = key(text)
        return list.sorted { $0.count > $1.count }.first { p in
            let pk = key(p)
            return !pk.isEmpty && (k == pk || k.hasPrefix(pk + " "))
        }
    }

    static func suffix(_ text: String, _ list: [String]) -> String? {
        let k = key(text)
        return list.first { s in
            let sk = key(s)
            return !sk.isEmpty && (k == sk || k.hasSuffix(" " + sk))
        }
    }

    static func contains(_ text: String, _ list: [String]) -> String? {
        let k = " " + key(text) + " "
        return list.first { w in
            let wk = key(w)
            return !wk.isEmpty && k.contains(" " + wk + " ")
        }
    }
}
