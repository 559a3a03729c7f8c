import Foundation
import Hummingbird
import HummingbirdTesting
import Portal
import Support
import Testing
import TestSupport

/// Issue #11's flows as a browser without JavaScript drives them (plain forms, redirects, cookies),
/// and the cases the other suites leave: a late submission, a file of another period, user text
/// that looks like a formula.
@Suite("Portal flows")
struct PortalFlowsTests {
    typealias API = PortalAPITests

    /// The value of the first `name="csrf" value="…"` on a page.
    static func csrf(_ html: String) -> String {
        String(html.components(separatedBy: "name=\"csrf\" value=\"").dropFirst().first?.prefix { $0 != "\"" } ?? "")
    }

    static func cookie(_ r: TestResponse) -> String { String((r.headers[.setCookie] ?? "").prefix { $0 != ";" }) }

    /// Signs in through the page's form and returns the session cookie.
    static func signInByForm(_ client: any TestClientProtocol) async throws -> String {
        let (token, loginCookie) = try await client.execute(uri: "/login", method: .get) { r in (csrf(String(buffer: r.body)), cookie(r)) }
        return try await client.execute(uri: "/login", method: .post,
                                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: loginCookie],
                                        body: ByteBuffer(string: "name=thu.nguyen&password=mat-khau-dai&csrf=\(token)")) { r in
            #expect(r.status == .seeOther)
            return cookie(r)
        }
    }

    @Test("without JavaScript: sign in, create a collection from pasted names and an uploaded list, a unit uploads, confirms its errors and submits, the dashboard shows it")
    func formsWithoutScript() async throws {
        let h = try API.Harness()
        try await h.run { client in
            let session = try await Self.signInByForm(client)
            let csrf = try await client.execute(uri: "/collections", method: .get, headers: [.cookie: session]) { r in
                #expect(r.status == .ok)
                return Self.csrf(String(buffer: r.body))
            }
            #expect(!csrf.isEmpty)
            // The units: one pasted, two from an uploaded list (the --expect file of `merge`).
            let boundary = "----bieumau\(UUID().uuidString)"
            var body = ""
            for (k, v) in ["csrf": csrf, "form": "cchc-2023", "period": "Quý I/2023", "deadline": "2099-04-15",
                           "parentUnit": "UBND tỉnh Bắc Kạn", "units": "UBND huyện Ngân Sơn", "title": "Quý I"] {
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n"
            }
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"unitsFile\"; filename=\"don-vi.txt\"\r\n\r\n"
            body += "UBND xã Bằng Vân\nUBND xã Thượng Quan\n\r\n--\(boundary)--\r\n"
            let dashboard = try await client.execute(uri: "/collections", method: .post,
                                                     headers: [.cookie: session, .contentType: "multipart/form-data; boundary=\(boundary)"],
                                                     body: ByteBuffer(string: body)) { r in
                #expect(r.status == .seeOther)
                return r.headers[.location] ?? ""
            }
            #expect(dashboard.hasPrefix("/collections/"))
            let id = try #require(Int64(dashboard.dropFirst("/collections/".count)))
            let units = try h.portal.store.units(collection: id)
            #expect(units.map(\.name) == ["UBND huyện Ngân Sơn", "UBND xã Bằng Vân", "UBND xã Thượng Quan"])

            // The unit's page and its form.
            let link = units[0].token
            let unitCSRF = try await client.execute(uri: "/u/\(link)", method: .get) { r in
                #expect(r.status == .ok)
                return Self.csrf(String(buffer: r.body))
            }
            let (upload, type) = API.multipart(["csrf": unitCSRF], file: API.seed, filename: "ngan-son.csv")
            let page = try await client.execute(uri: "/u/\(link)/files", method: .post, headers: [.contentType: type], body: upload) { r in
                #expect(r.status == .seeOther)
                return r.headers[.location] ?? ""
            }
            #expect(page.hasPrefix("/u/\(link)/files/"))
            try await client.execute(uri: page, method: .get) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("3 lỗi"))
                #expect(html.contains("1.6"))
            }
            // Submitting without ticking the confirmation: the page again, with the reason; with it: submitted.
            try await client.execute(uri: page + "/submit", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "csrf=\(unitCSRF)")) { r in
                #expect(r.status == .conflict)
                #expect(String(buffer: r.body).contains("xác nhận"))
            }
            try await client.execute(uri: page + "/submit", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "csrf=\(unitCSRF)&confirmErrors=on")) { r in
                #expect(r.status == .seeOther)
            }
            try await client.execute(uri: dashboard, method: .get, headers: [.cookie: session]) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("đã nộp 1/3"))
                #expect(html.contains("nộp còn lỗi"))
            }
        }
    }

    @Test("a unit's page form with a wrong CSRF token is refused (403) and nothing is stored")
    func unitFormCSRF() async throws {
        let h = try API.Harness()
        try await h.run { client in
            let token = try await API.login(client)
            let (_, units) = try await API.createCollection(client, token: token, units: ["UBND huyện Ngân Sơn"])
            let link = units[0]["token"] as! String
            let (body, type) = API.multipart(["csrf": "sai-ma"], file: API.seed)
            try await client.execute(uri: "/u/\(link)/files", method: .post, headers: [.contentType: type], body: body) { r in
                #expect(r.status == .forbidden)
            }
            #expect(try h.portal.store.uploadCount() == 0)
        }
    }

    @Test("a submission after the deadline is 'nộp muộn' (late) on the dashboard and in the API")
    func lateSubmission() async throws {
        let h = try API.Harness()
        try await h.run { client in
            let token = try await API.login(client)
            var headers = API.jsonHeaders
            headers[.authorization] = "Bearer \(token)"
            let (id, link) = try await client.execute(
                uri: "/api/collections", method: .post, headers: headers,
                body: API.jsonBody(["form": "cchc-2023", "period": "Quý I/2023", "deadline": "2023-04-15",
                                    "parentUnit": "UBND tỉnh Bắc Kạn", "units": ["UBND huyện Ngân Sơn", "UBND xã B"]])) { r in
                let o = API.json(r.body)
                return (o["id"] as? Int ?? 0, ((o["units"] as? [[String: Any]])?.first?["token"] as? String) ?? "")
            }
            let (_, result) = try await API.upload(client, token: link, API.seed)
            try await client.execute(uri: "/u/\(link)/files/\(result["id"] as! Int)/submit", method: .post, headers: API.jsonHeaders,
                                     body: API.jsonBody(["confirmErrors": true])) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/api/collections/\(id)", method: .get, headers: headers) { r in
                let units = (API.json(r.body)["units"] as? [[String: Any]]) ?? []
                #expect(units.first?["status"] as? String == "late")
                #expect(units.last?["status"] as? String == "missing")
            }
        }
    }

    @Test("a file of another period is refused with the reason and cannot be submitted")
    func otherPeriodRefused() async throws {
        // The seed with its period printed under the title, as units' files usually have it.
        var text = String(decoding: API.seed, as: UTF8.self)
        text = text.replacingOccurrences(of: "KẾT QUẢ THỰC HIỆN CÔNG TÁC,,,,",
                                         with: "KẾT QUẢ THỰC HIỆN CÔNG TÁC,,,,\r\nQuý I năm 2023,,,,")
        #expect(text.contains("Quý I năm 2023"))
        let file = Array(text.utf8)
        let h = try API.Harness()
        try await h.run { client in
            let token = try await API.login(client)
            var headers = API.jsonHeaders
            headers[.authorization] = "Bearer \(token)"
            let link = try await client.execute(
                uri: "/api/collections", method: .post, headers: headers,
                body: API.jsonBody(["form": "cchc-2023", "period": "6 tháng/2023", "deadline": "2099-04-15",
                                    "parentUnit": "UBND tỉnh Bắc Kạn", "units": ["UBND huyện Ngân Sơn"]])) { r in
                ((API.json(r.body)["units"] as? [[String: Any]])?.first?["token"] as? String) ?? ""
            }
            let (status, result) = try await API.upload(client, token: link, file)
            #expect(status == .created)
            #expect(result["outcome"] as? String == "refused")
            let reason = result["reason"] as? String ?? ""
            #expect(reason.contains("Quý I") && reason.contains("6 tháng"), "\(reason)")
            try await client.execute(uri: "/u/\(link)/files/\(result["id"] as! Int)/submit", method: .post, headers: API.jsonHeaders,
                                     body: API.jsonBody(["confirmErrors": true])) { r in #expect(r.status == .conflict) }
        }
    }

    @Test("text that looks like a formula reaches no formula: escaped in the findings CSV, a string in the annotated workbook",
          .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func noFormulaFromUserText() async throws {
        let evil = "=HYPERLINK(\"http://evil.example\";\"x\")"
        let text = String(decoding: API.seed, as: UTF8.self)
            .replacingOccurrences(of: "doanh nghiệp\",Có/không,0,", with: "doanh nghiệp\",Có/không,\"\(evil.replacingOccurrences(of: "\"", with: "\"\""))\",")
        #expect(text.contains("HYPERLINK"))
        let h = try API.Harness()
        try await h.run { client in
            let token = try await API.login(client)
            let (id, units) = try await API.createCollection(client, token: token, units: ["UBND huyện Ngân Sơn"])
            let link = units[0]["token"] as! String
            let (_, result) = try await API.upload(client, token: link, Array(text.utf8))
            let findings = (result["findings"] as? [[String: Any]]) ?? []
            #expect(findings.contains { ($0["found"] as? String ?? "").contains("HYPERLINK") }, "\(findings)")
            let uploadID = result["id"] as! Int
            try await client.execute(uri: "/u/\(link)/files/\(uploadID)/submit", method: .post, headers: API.jsonHeaders,
                                     body: API.jsonBody(["confirmErrors": true])) { r in #expect(r.status == .ok) }
            let csv = try await client.execute(uri: "/api/collections/\(id)/findings.csv", method: .get,
                                               headers: [.authorization: "Bearer \(token)"]) { String(buffer: $0.body) }
            #expect(csv.contains("HYPERLINK"))
            #expect(!csv.contains(",\"=HYPERLINK") && !csv.contains(",=HYPERLINK") && !csv.contains("\n=HYPERLINK"), "\(csv)")
            let annotated = try await client.execute(uri: "/u/\(link)/files/\(uploadID)/annotated.xlsx", method: .get) { r in
                #expect(r.status == .ok)
                return [UInt8](r.body.readableBytesView)
            }
            let file = TestPaths.temporaryFolder("portal-formula").appendingPathComponent("annotated.xlsx")
            try Data(annotated).write(to: file)
            let r = try Run.python("""
                import json, sys, openpyxl
                wb = openpyxl.load_workbook(sys.argv[1])
                cells = [(ws.title, c.coordinate, c.data_type) for ws in wb for row in ws.iter_rows() for c in row
                         if isinstance(c.value, str) and "HYPERLINK" in c.value]
                print(json.dumps(cells))
                """, [file.path])
            #expect(r.status == 0, "\(r.stderr)")
            let cells = (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String]]) ?? []
            #expect(!cells.isEmpty)
            #expect(cells.allSatisfy { $0[2] == "s" }, "\(cells)")
        }
    }
}
