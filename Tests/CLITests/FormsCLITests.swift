import Foundation
import Testing
import TestSupport

/// `bieumau forms import` and `bieumau forms diff` as a province's collector runs them.
@Suite("bieumau forms import / diff")
struct FormsCLITests {
    static let fixtures = TestPaths.packageRoot.appendingPathComponent("Tests/FormImportTests/Fixtures")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    @Test("import a blank workbook, check it, diff it against cchc-2023, then validate and merge files on both versions")
    func workflow() throws {
        let dir = TestPaths.temporaryFolder("forms-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let forms = dir.appendingPathComponent("forms").path
        let imported = try Run.bieumau(["forms", "import", Self.fixture("revised-blank.xlsx"), "--id", "cchc-2025", "-o", forms])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("số dòng: 35"))
        #expect(imported.stdout.contains("(đã kiểm tra như `bieumau forms --check`: hợp lệ)"))
        let formFile = dir.appendingPathComponent("forms/cchc-2025/form.yaml").path
        let yaml = try String(contentsOfFile: formFile, encoding: .utf8)
        #expect(yaml.contains("kind: money   # guessed: money, unit \"Triệu đồng\""))
        #expect(yaml.contains("kind: yesno   # guessed: yesno, unit \"Có/không\""))

        let check = try Run.bieumau(["forms", "--check", formFile])
        #expect(check.status == 0 && check.stdout.contains("hợp lệ"), "\(check.stderr)")
        let again = try Run.bieumau(["forms", "import", Self.fixture("revised-blank.xlsx"), "--id", "cchc-2025", "-o", forms])
        #expect(again.status == 73, "an existing form.yaml is not overwritten without --force: \(again.stderr)")

        let map = dir.appendingPathComponent("map.yaml").path
        let diff = try Run.bieumau(["forms", "diff", "cchc-2023", formFile, "--write-map", map])
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stdout.contains("đổi tên 2: «Cải cách thể chế» → «Cải cách thể chế và pháp luật»"))
        #expect(diff.stdout.contains("thêm dòng 1.6 «Kinh phí bố trí cho công tác CCHC trong năm» (số tiền, Triệu đồng)"))
        let mapText = try String(contentsOfFile: map, encoding: .utf8)
        #expect(mapText.contains("replaces: cchc-2023\nrow_map:\n"))
        // The collector appends the map to the new form.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: formFile))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(mapText.utf8))
        try handle.close()
        #expect(try Run.bieumau(["forms", "--forms-dir", forms]).stdout.contains("cchc-2025\tv1\t35"))

        let merged = dir.appendingPathComponent("tong-hop.xlsx").path
        let merge = try Run.bieumau(["merge", "--forms-dir", forms, Self.fixture("old-form-ngan-son-q1-2023.csv"),
                                     Self.fixture("revised-bang-van-q1-2023.csv"), "-o", merged, "--unit", "UBND tỉnh Bắc Kạn"])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stdout.contains("Tệp theo biểu mẫu cũ, tổng hợp qua bảng đối chiếu dòng: 1"))
        #expect(FileManager.default.fileExists(atPath: merged))

        let validate = try Run.bieumau(["validate", "--forms-dir", forms, "--form", "cchc-2025", "--format", "text",
                                        Self.fixture("revised-bang-van-q1-2023.csv"),
                                        "--previous", Self.fixture("old-form-ngan-son-q1-2023.csv")])
        // Another unit's file: not compared, and the report says why (the map still read it).
        #expect(validate.stdout.contains("Không so sánh với kỳ trước"), "\(validate.stdout)\(validate.stderr)")
    }

    @Test("files that are not forms are refused with exit 65 and what is missing",
          arguments: [("not-a-form-random.csv", "không tìm thấy bảng phụ lục"),
                      ("not-a-form-empty-table.csv", "không có dòng chỉ tiêu nào"),
                      ("not-a-form-no-codes.csv", "không dòng nào của bảng có số thứ tự")])
    func refusals(_ file: String, _ message: String) throws {
        let dir = TestPaths.temporaryFolder("forms-cli-refusal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Run.bieumau(["forms", "import", Self.fixture(file), "--id", "x", "-o", dir.path])
        #expect(r.status == 65)
        #expect(r.stderr.contains(message) && r.stderr.contains(file), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x/form.yaml").path))
    }

    @Test("a form compared with itself: no change")
    func sameForm() throws {
        let r = try Run.bieumau(["forms", "diff", "cchc-2023", "cchc-2023", "--lang", "en"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("No change: the same 121 rows"), "\(r.stdout)")
    }
}
