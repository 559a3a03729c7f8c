import FormSchema
import Foundation
import Support
import Testing
import TestSupport

private func refusal(_ yaml: String) -> (BieuMauError?, TimeInterval) {
    let start = Date()
    do {
        _ = try FormLoader.parse(yaml: yaml, file: "hostile.yaml")
        return (nil, Date().timeIntervalSince(start))
    } catch let e as BieuMauError {
        return (e, Date().timeIntervalSince(start))
    } catch {
        Issue.record("not a BieuMauError: \(error)")
        return (nil, 0)
    }
}

@Suite struct FormLimitsTests {
    /// Nine levels of ten aliases each: 10^9 nodes once expanded, a few hundred bytes written.
    @Test func yamlBillionLaughsIsRefused() {
        var yaml = "form: bomb\nversion: 1\nlol0: &l0 [\"lol\"]\n"
        for i in 1...9 {
            yaml += "lol\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        yaml += "rows: *l9\n"
        let (e, seconds) = refusal(yaml)
        #expect(seconds < 120, "a hang guard, not a speed target")
        #expect(e?.status == .dataError)
        #expect(e?.message.en.contains("hostile.yaml") == true)
        #expect(e?.message.en.contains("aliases") == true)
        #expect(e?.message.vi.contains("bí danh") == true)
    }

    @Test func deepNestingAndHugeFilesAreRefused() {
        let flow = "form: deep\nversion: 1\nrows: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"
        let (e1, s1) = refusal(flow)
        #expect(s1 < 120, "a hang guard, not a speed target")
        #expect(e1?.message.en.contains("nested more than") == true)
        #expect(e1?.message.en.contains("hostile.yaml, line 3") == true)

        let block = "form: deep\nversion: 1\nrows:\n" + String(repeating: "- ", count: 5_000) + "x\n"
        let (e2, _) = refusal(block)
        #expect(e2?.message.en.contains("nested more than") == true)

        let big = "form: big\nversion: 1\n# " + String(repeating: "x", count: 2 << 20) + "\n"
        let (e3, _) = refusal(big)
        #expect(e3?.message.en.contains("longer than") == true)
    }

    /// The shipped form stays well inside every limit.
    @Test func theCCHCFormLoads() throws {
        let path = TestPaths.templates.appendingPathComponent("cchc-2023/form.yaml").path
        let form = try FormLoader.load(file: path)
        #expect(form.rows.count > 100)
    }
}
