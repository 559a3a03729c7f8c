import AppendixModel
import Crosscheck
import DOCXInput
import FormSchema
import Foundation
import Support

/// A report checked against its own appendix, with the appendix as read.
public struct CrosscheckResult: Sendable {
    public var report: CrosscheckReport
    /// The appendix the text was compared with (for the annotated copy).
    public var appendix: LoadedAppendix
    public var narrative: Narrative
}

/// The library call for `bieumau crosscheck` and the portal: a report's narrative checked against its
/// appendix (rules `text-mismatch`, `text-arithmetic`; see docs/crosscheck.md).
///
/// ```swift
/// let result = try ReportCrosscheck(library: try FormLibrary.load()).check(report: "bao-cao.docx")
/// for f in result.report.findings { print(f.message.text(.vi)) }
/// ```
public struct ReportCrosscheck: Sendable {
    public var library: FormLibrary
    public var options: CrosscheckOptions

    public init(library: FormLibrary, options: CrosscheckOptions = .init()) {
        self.library = library
        self.options = options
    }

    /// Checks the report at `report`: its narrative against the appendix in the same document, or
    /// against `appendix` (a workbook or CSV) when given.
    public func check(report: String, appendix: String? = nil, formID: String? = nil, sheet: String? = nil) throws -> CrosscheckResult {
        let narrative = try Self.narrative(path: report)
        let reader = AppendixReader(library: library)
        let loaded = try reader.read(path: appendix ?? report, formID: formID, sheet: sheet)
        let result = Crosscheck.run(narrative: narrative, appendix: loaded.appendix, file: report, options: options)
        return CrosscheckResult(report: result, appendix: loaded, narrative: narrative)
    }

    /// Checks an uploaded report (bytes in memory, `name` as the user knows it) against its own
    /// appendix, or against `appendixBytes` when the unit uploads the appendix apart.
    public func check(reportBytes: Data, name: String, appendixBytes: Data? = nil, appendixName: String? = nil,
                      formID: String? = nil) throws -> CrosscheckResult {
        let reader = AppendixReader(library: library)
        let narrative = try Self.narrative(bytes: reportBytes, name: name)
        let loaded = try reader.read(bytes: appendixBytes ?? reportBytes, name: appendixName ?? name, formID: formID)
        let result = Crosscheck.run(narrative: narrative, appendix: loaded.appendix, file: name, options: options)
        return CrosscheckResult(report: result, appendix: loaded, narrative: narrative)
    }

    /// The narrative of a report file: the body paragraphs of a Word document, or a plain-text
    /// file's lines (`.txt`, `.md`).
    public static func narrative(path: String) throws -> Narrative {
        guard FileManager.default.fileExists(atPath: path) else {
            throw BieuMauError(.noInput, vi: "Không có tệp \(path). Hãy kiểm tra lại đường dẫn.",
                               en: "The file \(path) does not exist. Check the path.", at: SourceLocation(file: path))
        }
        let format = try InputFormat.sniff(path: path)
        if format == .docx {
            do { return narrative(of: try DOCXDocument(path: path)) } catch let error as BieuMauError { throw error.inFile(path) }
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BieuMauError(.noInput, vi: "Không đọc được tệp \(path).", en: "Cannot read the file \(path).",
                               at: SourceLocation(file: path))
        }
        return try narrative(bytes: data, name: path)
    }

    /// The body paragraphs of a Word document (outside tables), numbered as Word counts them from 1.
    public static func narrative(of document: DOCXDocument) -> Narrative {
        Narrative(paragraphs: document.paragraphs.map { NarrativeParagraph(number: $0.index + 1, text: $0.text) })
    }

    public static func narrative(bytes: Data, name: String) throws -> Narrative {
        let format = InputFormat.sniff(bytes: bytes)
        if format == .docx {
            // The Word reader opens files: a private temporary copy, removed before returning.
            return try AppendixReader.withPrivateCopy(of: bytes, name: name, fileName: "upload.docx") { temporary in
                narrative(of: try DOCXDocument(path: temporary))
            }
        }
        let lower = name.lowercased()
        if format == .csv && (lower.hasSuffix(".txt") || lower.hasSuffix(".md")) {
            guard let text = String(data: bytes, encoding: .utf8) else {
                throw BieuMauError(.dataError, vi: "tệp \(name) không phải văn bản UTF-8. Hãy lưu lại với mã UTF-8.",
                                   en: "\(name) is not UTF-8 text. Save it again as UTF-8.", at: SourceLocation(file: name))
            }
            return Narrative(plainText: text)
        }
        throw BieuMauError(.dataError,
            vi: "không đọc được lời văn báo cáo từ định dạng này; crosscheck đọc báo cáo Word (.docx) hoặc văn bản thuần (.txt).",
            en: "cannot read a report's text from this format; crosscheck reads Word reports (.docx) or plain text (.txt).",
            at: SourceLocation(file: name))
    }
}
