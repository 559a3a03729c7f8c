import AppendixModel
import BieuMau
import FormSchema
import Foundation
import OfficialWorkbook
import Support
import Testing
import TestSupport

/// One entry point reads every format: files on disk and uploads in memory.
@Suite struct AppendixReaderTests {
    static let seedCSV = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path
    static let library = Result { try FormLibrary.load() }

    func reader() throws -> AppendixReader { AppendixReader(library: try Self.library.get()) }

    @Test func readsTheSeedCSV() throws {
        let loaded = try reader().read(path: Self.seedCSV)
        #expect(loaded.format == .csv)
        #expect(loaded.sheet == nil)
        #expect(loaded.appendix.form.id == "cchc-2023")
        #expect(loaded.appendix.metadata.unit == "UBND huyện Ngân Sơn")
        #expect(loaded.appendix.values["r6_1_1"]?.raw == "136.284")
    }

    /// The official workbook written from the seed reads back with the same values, from a file
    /// and from bytes; an upload's cells are located in the upload's name, not a temporary path.
    @Test func readsWorkbooksFromFilesAndUploads() throws {
        let csv = try reader().read(path: Self.seedCSV).appendix
        let folder = TestPaths.temporaryFolder("reader")
        let path = folder.appendingPathComponent("seed.xlsx").path
        try OfficialWorkbookWriter.writeAppendix(csv, to: path, force: false)

        let fromFile = try reader().read(path: path)
        #expect(fromFile.format == .xlsx)
        #expect(fromFile.sheet != nil)
        #expect(fromFile.appendix.values["r6_1_1"]?.value == csv.values["r6_1_1"]?.value)
        #expect(fromFile.appendix.values["r6_1_1"]?.location?.file == path)

        let upload = try reader().read(bytes: try Data(contentsOf: URL(fileURLWithPath: path)), name: "bao-cao-ngan-son.xlsx")
        #expect(upload.format == .xlsx)
        #expect(upload.sheet == fromFile.sheet)
        #expect(upload.appendix.values["r6_1_1"]?.value == csv.values["r6_1_1"]?.value)
        #expect(upload.appendix.values["r6_1_1"]?.location?.file == "bao-cao-ngan-son.xlsx")
        #expect(upload.appendix.values["r6_1_1"]?.location?.cell == fromFile.appendix.values["r6_1_1"]?.location?.cell)
    }

    /// An .xlsx upload is opened from memory: a damaged one is refused as the file would be, and
    /// the refusal names the upload.
    @Test func damagedWorkbookUploadIsRefusedNamingTheUpload() throws {
        let csv = try reader().read(path: Self.seedCSV).appendix
        let path = TestPaths.temporaryFolder("reader").appendingPathComponent("seed.xlsx").path
        try OfficialWorkbookWriter.writeAppendix(csv, to: path, force: false)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = whole.prefix(whole.count * 2 / 3)
        let cutPath = path + ".cut.xlsx"
        try cut.write(to: URL(fileURLWithPath: cutPath))
        var fromFile: BieuMauError?
        do { _ = try reader().read(path: cutPath) } catch let e as BieuMauError { fromFile = e }
        do {
            _ = try reader().read(bytes: Data(cut), name: "bao-cao-hong.xlsx")
            Issue.record("a cut workbook was read")
        } catch let e as BieuMauError {
            #expect(e.status == fromFile?.status)
            #expect(e.status == .dataError)
            #expect(e.location?.file == "bao-cao-hong.xlsx")
            #expect(e.message.vi == fromFile?.message.vi.replacingOccurrences(of: cutPath, with: "bao-cao-hong.xlsx"))
            #expect(!e.text(.vi).contains("bieumau-upload-"))
        }
    }

    @Test func uploadedCSVIsNamedAsUploaded() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.seedCSV))
        let upload = try reader().read(bytes: bytes, name: "ngan-son.csv")
        #expect(upload.format == .csv)
        #expect(upload.appendix.values["r6_1_1"]?.location?.file == "ngan-son.csv")
    }

    @Test func sheetOfACSVIsAUsageError() throws {
        #expect(throws: BieuMauError.self) { try reader().read(path: Self.seedCSV, sheet: "1") }
        do { _ = try reader().read(path: Self.seedCSV, sheet: "1") } catch let e as BieuMauError {
            #expect(e.status == .usage)
        }
    }

    /// Formats without a reader yet are refused with what to do (exit 65), whatever the name,
    /// and an upload's refusal names the upload.
    @Test(arguments: [
        ("odfpy.odt", ".docx"),
    ])
    func unreadFormatsAreExplained(file: String, advice: String) throws {
        let bytes = try Data(contentsOf: FormatSniffingTests.fixtures.appendingPathComponent(file))
        do {
            _ = try reader().read(bytes: bytes, name: "bao-cao.csv")
            Issue.record("\(file) was read")
        } catch let e as BieuMauError {
            #expect(e.status == .dataError)
            #expect(e.location?.file == "bao-cao.csv")
            #expect(e.message.vi.contains(advice))
            #expect(!e.text(.vi).contains("bieumau-upload-"))
        }
    }

    @Test func wordSevenIsToBeSavedAsDocx() throws {
        do {
            _ = try reader().read(bytes: FormatSniffingTests.compoundFile(streams: ["WordDocument"]), name: "bao-cao.doc")
            Issue.record("a .doc was read")
        } catch let e as BieuMauError {
            #expect(e.status == .dataError)
            #expect(e.message.vi.contains(".docx"))
            #expect(e.message.en.contains("save it as .docx"))
        }
    }

    @Test func missingSheetListsTheSheets() throws {
        let csv = try reader().read(path: Self.seedCSV).appendix
        let path = TestPaths.temporaryFolder("reader").appendingPathComponent("seed.xlsx").path
        try OfficialWorkbookWriter.writeAppendix(csv, to: path, force: false)
        do {
            _ = try reader().read(path: path, sheet: "Không có")
            Issue.record("a missing sheet was read")
        } catch let e as BieuMauError {
            #expect(e.status == .dataError)
            #expect(e.message.vi.contains("Không có trang tính 'Không có'"))
            #expect(e.message.vi.contains("1. "))
        }
    }
}
