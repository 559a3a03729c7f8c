@testable import FormSchema
import Foundation
import Support
import Testing
import TestSupport

/// The compiled form cache gives back exactly the form the YAML gives, and is never trusted when
/// it does not belong to the YAML or is damaged.
@Suite struct FormCacheTests {
    static var shippedPath: String { TestPaths.templates.appendingPathComponent("cchc-2023/form.yaml").path }

    static func parsed() throws -> (FormDefinition, [UInt8]) {
        let data = try Data(contentsOf: URL(fileURLWithPath: shippedPath))
        let form = try FormLoader.parse(yaml: String(decoding: data, as: UTF8.self), file: shippedPath)
        return (form, FormCache.hash(data))
    }

    static func expectSame(_ a: FormDefinition, _ b: FormDefinition) {
        #expect(a.id == b.id && a.version == b.version && a.appendixLabel == b.appendixLabel && a.title == b.title)
        #expect(a.description == b.description && a.sheetName == b.sheetName && a.headers == b.headers)
        #expect(a.statusTexts == b.statusTexts && a.yesTexts == b.yesTexts && a.noTexts == b.noTexts && a.keyRatios == b.keyRatios)
        #expect(a.rows == b.rows)
        #expect(a.rules == b.rules)
        #expect(a.file == b.file)
        for r in a.rows { #expect(b.row(r.id) == r) }
    }

    @Test func roundTripsTheShippedForm() throws {
        let (form, hash) = try Self.parsed()
        #expect(form.rows.count > 100 && !form.rules.isEmpty)
        #expect(form.rows.contains { $0.minimum != nil && $0.maximum != nil && $0.decimals == nil })
        let back = try #require(FormCache.decode(Data(FormCache.encode(form, hash: hash)), hash: hash, file: Self.shippedPath))
        Self.expectSame(form, back)
    }

    /// Every field of every row of every bundled form comes back as the YAML gave it (the
    /// comparison is the types' own equality, so a new field is covered without a change here).
    @Test func roundTripsEveryBundledForm() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: TestPaths.templates.path).sorted()
        var forms = 0
        for folder in folders {
            let path = TestPaths.templates.appendingPathComponent(folder).appendingPathComponent("form.yaml").path
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let form = try FormLoader.parse(yaml: String(decoding: data, as: UTF8.self), file: path)
            let hash = FormCache.hash(data)
            let back = try #require(FormCache.decode(Data(FormCache.encode(form, hash: hash)), hash: hash, file: path))
            #expect(back == form, "\(folder)")
            #expect(back.rows == form.rows && back.rules == form.rules && back.rowMap == form.rowMap, "\(folder)")
            forms += 1
        }
        #expect(forms >= 1)
    }

    @Test func roundTripsUnusualValues() throws {
        var row = FormRow(id: "r", code: "9.9", label: "Nhãn “lạ” ≤ …", variants: ["", "a"], unit: "%", kind: .ratio,
                          choices: ["x", "y"], minimum: ExactDecimal("-1.25"), maximum: ExactDecimal("12345678901234567890.5"),
                          decimals: 3, cumulative: true, marker: "*", style: .italic, line: 77)
        row.parent = "p"
        let parent = FormRow(id: "p", code: "9", label: "P", kind: .section)
        let form = FormDefinition(id: "x", version: -3, title: "T", rows: [parent, row],
                                  rules: [CrossRule(.sum(total: "p", parts: ["r", "r"]), level: .warning, line: 5),
                                          CrossRule(.partNotAboveWhole(part: "r", whole: "p"), line: 6)], file: "f")
        let hash = [UInt8](repeating: 7, count: 32)
        let back = try #require(FormCache.decode(Data(FormCache.encode(form, hash: hash)), hash: hash, file: "f"))
        Self.expectSame(form, back)
    }

    @Test func refusesOtherYAMLAndDamage() throws {
        let (form, hash) = try Self.parsed()
        let bytes = FormCache.encode(form, hash: hash)
        var other = hash
        other[0] ^= 1
        #expect(FormCache.decode(Data(bytes), hash: other, file: "f") == nil)
        // Every truncation and a sample of flipped bytes are refused or decode to the same form.
        for n in stride(from: 0, to: bytes.count, by: 97) {
            #expect(FormCache.decode(Data(bytes.prefix(n)), hash: hash, file: "f") == nil)
        }
        for i in stride(from: 0, to: bytes.count, by: 131) {
            var damaged = bytes
            damaged[i] ^= 0xFF
            if let f = FormCache.decode(Data(damaged), hash: hash, file: "f") { _ = f.rows.count }
        }
        // A cache written by another build of bieumau is refused.
        let otherBuild = FormCache.encode(form, hash: hash, stamp: Array("1:2.3:4".utf8))
        #expect(FormCache.decode(Data(otherBuild), hash: hash, file: "f") == nil)
        #expect(FormCache.decode(Data(otherBuild), hash: hash, file: "f", stamp: Array("1:2.3:4".utf8)) != nil)
        #expect(!FormCache.buildStamp.isEmpty)
        var versioned = bytes
        versioned[FormCache.magic.count] &+= 1
        #expect(FormCache.decode(Data(versioned), hash: hash, file: "f") == nil)
    }

    @Test func storesAndLoadsInAFolder() throws {
        let folder = TestPaths.temporaryFolder("form-cache").appendingPathComponent("cache").path
        let (form, hash) = try Self.parsed()
        #expect(FormCache.load(hash: hash, file: "x", folder: folder) == nil)
        FormCache.store(form, hash: hash, folder: folder)
        let back = try #require(FormCache.load(hash: hash, file: Self.shippedPath, folder: folder))
        Self.expectSame(form, back)
        // A damaged cache file is ignored.
        let path = FormCache.path(for: hash, in: folder)
        try Data("not a cache".utf8).write(to: URL(fileURLWithPath: path))
        #expect(FormCache.load(hash: hash, file: "x", folder: folder) == nil)
        // An unwritable place is no error.
        FormCache.store(form, hash: hash, folder: "/proc/no-such-folder/bieumau")
    }

    @Test func oversizedFormFileIsRefusedBeforeReading() throws {
        let file = TestPaths.temporaryFolder("form-size").appendingPathComponent("form.yaml")
        try Data(repeating: 0x23, count: InputLimits.maxFormFileBytes + 1).write(to: file)
        let error = #expect(throws: BieuMauError.self) { try FormLoader.load(file: file.path) }
        #expect(error?.message.en.contains("\(InputLimits.maxFormFileBytes + 1) bytes") == true, "\(error?.message.en ?? "")")
    }

    @Test func formErrorsStillNameTheYAMLLine() throws {
        let folder = TestPaths.temporaryFolder("form-cache-errors")
        let file = folder.appendingPathComponent("form.yaml")
        let yaml = try String(contentsOfFile: Self.shippedPath, encoding: .utf8)
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let good = try FormLoader.load(file: file.path)
        let again = try FormLoader.load(file: file.path)
        Self.expectSame(good, again)
        let broken = yaml.replacingOccurrences(of: "kind: count", with: "kind: counted")
        try broken.write(to: file, atomically: true, encoding: .utf8)
        let lineOfFirst = broken.components(separatedBy: "\n").firstIndex { $0.contains("kind: counted") }.map { $0 + 1 }
        let error = #expect(throws: BieuMauError.self) { try FormLoader.load(file: file.path) }
        #expect(error?.message.vi.contains("counted") == true)
        let line = try #require(lineOfFirst)
        #expect(error?.message.en.contains("line \(line)") == true, "\(error?.message.en ?? "")")
    }
}
