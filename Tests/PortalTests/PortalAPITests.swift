import CryptoWrapper
import Foundation
import Hummingbird
import HummingbirdTesting
import Portal
import Support
import Testing
import TestSupport

/// The portal in process (HummingbirdTesting, no sockets): the JSON API and the pages' rules.
@Suite("Portal API")
struct PortalAPITests {
    // MARK: - Fixtures

    /// The seed appendix (UBND huyện Ngân Sơn, Quý I/2023: 3 errors, 4 warnings per Examples/README.md).
    static var seed: [UInt8] {
        [UInt8](FileManager.default.contents(atPath: TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path)!)
    }

    struct Harness {
        let portal: Portal
        let folder: URL

        init(_ configure: (inout PortalConfiguration) -> Void = { _ in }) throws {
            folder = TestPaths.temporaryFolder("portal")
            var config = PortalConfiguration(dataFolder: folder, port: 18080, bcryptCost: 4)
            configure(&config)
            portal = try Portal(configuration: config)
            try portal.addUser(name: "thu.nguyen", password: "mat-khau-dai")
        }

        func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
            let app = Application(router: portal.makeRouter())
            try await app.test(.router, body)
        }
    }

    static func json(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any]) ?? [:]
    }

    static func jsonBody(_ object: [String: Any]) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    static func multipart(_ fields: [String: String] = [:], file: [UInt8]?, filename: String = "bao-cao.csv") -> (ByteBuffer, String) {
        let boundary = "----bieumau\(UUID().uuidString)"
        var body = [UInt8]()
        for (k, v) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        if let file {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += file
            body += Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return (ByteBuffer(bytes: body), "multipart/form-data; boundary=\(boundary)")
    }

    static let jsonHeaders: HTTPFields = [.contentType: "application/json", .accept: "application/json"]

    static func login(_ client: any TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/api/login", method: .post, headers: jsonHeaders,
                                 body: jsonBody(["name": "thu.nguyen", "password": "mat-khau-dai"])) { r in
            #expect(r.status == .ok)
            return json(r.body)["token"] as? String ?? ""
        }
    }

    static func createCollection(_ client: any TestClientProtocol, token: String, units: [String]) async throws -> (Int, [[String: Any]]) {
        var headers = jsonHeaders
        headers[.authorization] = "Bearer \(token)"
        return try await client.execute(uri: "/api/collections", method: .post, headers: headers,
                                        body: jsonBody(["form": "cchc-2023", "period": "Quý I/2023", "deadline": "2099-04-15",
                                                        "parentUnit": "UBND tỉnh Bắc Kạn", "units": units])) { r in
            #expect(r.status == .created)
            let o = json(r.body)
            return ((o["id"] as? Int) ?? 0, (o["units"] as? [[String: Any]]) ?? [])
        }
    }

    static func upload(_ client: any TestClientProtocol, token: String, _ bytes: [UInt8], filename: String = "bao-cao.csv")
        async throws -> (HTTPResponse.Status, [String: Any]) {
        let (body, type) = multipart(file: bytes, filename: filename)
        return try await client.execute(uri: "/u/\(token)/files", method: .post,
                                        headers: [.contentType: type, .accept: "application/json"], body: body) { r in
            (r.status, json(r.body))
        }
    }

    // MARK: - Sign-in

    @Test("sign-in: a wrong password is 401, the right one gives a token; collector routes need it")
    func signIn() async throws {
        let h = try Harness()
        try await h.run { client in
            try await client.execute(uri: "/api/login", method: .post, headers: Self.jsonHeaders,
                                     body: Self.jsonBody(["name": "thu.nguyen", "password": "sai"])) { r in
                #expect(r.status == .unauthorized)
            }
            try await client.execute(uri: "/api/collections", method: .get, headers: [.accept: "application/json"]) { r in
                #expect(r.status == .unauthorized)
            }
            try await client.execute(uri: "/collections", method: .get) { r in
                #expect(r.status == .seeOther)
                #expect(r.headers[.location] == "/login")
            }
            let token = try await Self.login(client)
            #expect(token.count >= 40)
            try await client.execute(uri: "/api/collections", method: .get,
                                     headers: [.accept: "application/json", .authorization: "Bearer \(token)"]) { r in
                #expect(r.status == .ok)
            }
        }
    }

    @Test("sign-in is throttled per user name after repeated failures, even with the right password")
    func signInThrottle() async throws {
        let h = try Harness { $0.signInFailures = 3 }
        try await h.run { client in
            for _ in 0..<3 {
                try await client.execute(uri: "/api/login", method: .post, headers: Self.jsonHeaders,
                                         body: Self.jsonBody(["name": "thu.nguyen", "password": "sai"])) { r in
                    #expect(r.status == .unauthorized)
                }
            }
            try await client.execute(uri: "/api/login", method: .post, headers: Self.jsonHeaders,
                                     body: Self.jsonBody(["name": "thu.nguyen", "password": "mat-khau-dai"])) { r in
                #expect(r.status == .tooManyRequests)
                #expect((Self.json(r.body)["error"] as? String)?.contains("quá nhiều") == true)
            }
        }
    }

    @Test("the session cookie is HttpOnly and SameSite; the sign-in form carries a CSRF token and is refused without it")
    func sessionCookieAndCSRF() async throws {
        let h = try Harness()
        try await h.run { client in
            let (csrf, cookie) = try await client.execute(uri: "/login", method: .get) { r -> (String, String) in
                let html = String(buffer: r.body)
                let token = html.components(separatedBy: "name=\"csrf\" value=\"").dropFirst().first?.prefix { $0 != "\"" } ?? ""
                let set = r.headers[.setCookie] ?? ""
                return (String(token), String(set.prefix { $0 != ";" }))
            }
            #expect(!csrf.isEmpty)
            let form = "name=thu.nguyen&password=mat-khau-dai"
            try await client.execute(uri: "/login", method: .post,
                                     headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                                     body: ByteBuffer(string: form)) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: "/login", method: .post,
                                     headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                                     body: ByteBuffer(string: form + "&csrf=\(csrf)")) { r in
                #expect(r.status == .seeOther)
                let set = r.headers[.setCookie] ?? ""
                #expect(set.hasPrefix("bm_session="))
                #expect(set.contains("HttpOnly"))
                #expect(set.contains("SameSite=Lax"))
                // A collector form posted with the session but without its CSRF token is refused.
                let session = String(set.prefix { $0 != ";" })
                let (body, type) = Self.multipart(["form": "cchc-2023", "period": "Quý I/2023", "deadline": "2099-01-01",
                                                   "parentUnit": "UBND tỉnh X", "units": "UBND xã A"], file: nil)
                try await client.execute(uri: "/collections", method: .post, headers: [.contentType: type, .cookie: session],
                                         body: body) { r2 in
                    #expect(r2.status == .forbidden)
                }
            }
        }
    }

    // MARK: - Collections, links, uploads

    @Test("a collection gives each unit an unguessable link; a wrong or revoked token is a plain 404")
    func linksAndRevocation() async throws {
        let h = try Harness()
        try await h.run { client in
            let token = try await Self.login(client)
            let (id, units) = try await Self.createCollection(client, token: token, units: ["UBND xã A", "UBND xã B"])
            #expect(units.count == 2)
            let tokens = units.compactMap { $0["token"] as? String }
            #expect(Set(tokens).count == 2)
            #expect(tokens.allSatisfy { $0.count >= 32 })
            #expect((units[0]["url"] as? String) == "http://127.0.0.1:18080/u/\(tokens[0])")
            try await client.execute(uri: "/u/\(tokens[0])", method: .get) { r in #expect(r.status == .ok) }
            // One character changed (to another letter: the token may well end in "x").
            let wrong = tokens[0].dropLast() + (tokens[0].hasSuffix("x") ? "y" : "x")
            try await client.execute(uri: "/u/\(wrong)", method: .get) { r in #expect(r.status == .notFound) }
            // Revoke through the store (the page's button does the same) and the link is gone.
            let unitID = try h.portal.store.units(collection: Int64(id))[0].id
            #expect(try h.portal.store.revoke(unitID: unitID, collectionID: Int64(id)))
            try await client.execute(uri: "/u/\(tokens[0])", method: .get) { r in #expect(r.status == .notFound) }
            let (status, _) = try await Self.upload(client, token: tokens[0], Self.seed)
            #expect(status == .notFound)
        }
    }

    @Test("a collection is refused with a reason: unknown form, unreadable period, duplicate units")
    func collectionRefusals() async throws {
        let h = try Harness()
        try await h.run { client in
            let token = try await Self.login(client)
            var headers = Self.jsonHeaders
            headers[.authorization] = "Bearer \(token)"
            for (body, words) in [
                (["form": "khong-co", "period": "Quý I/2023", "deadline": "2099-01-01", "units": ["UBND xã A"]] as [String: Any], "khong-co"),
                (["form": "cchc-2023", "period": "quý năm", "deadline": "2099-01-01", "units": ["UBND xã A"]], "kỳ báo cáo"),
                (["form": "cchc-2023", "period": "Quý I/2023", "deadline": "2099-01-01", "units": ["UBND xã Hòa Bình", "Xã Hoà Bình"]], "cùng một đơn vị"),
            ] {
                try await client.execute(uri: "/api/collections", method: .post, headers: headers, body: Self.jsonBody(body)) { r in
                    #expect(r.status == .badRequest)
                    #expect((Self.json(r.body)["error"] as? String)?.contains(words) == true, "\(Self.json(r.body))")
                }
            }
        }
    }

    @Test("upload → findings as validate reports them; errors need confirmation; the dashboard follows")
    func uploadValidateSubmit() async throws {
        let h = try Harness()
        try await h.run { client in
            let token = try await Self.login(client)
            let (id, units) = try await Self.createCollection(client, token: token,
                                                              units: ["UBND huyện Ngân Sơn", "UBND xã Bằng Vân"])
            let link = units[0]["token"] as! String
            let (status, result) = try await Self.upload(client, token: link, Self.seed, filename: "ngan-son.csv")
            #expect(status == .created)
            #expect(result["outcome"] as? String == "checked")
            #expect(result["form"] as? String == "cchc-2023")
            let summary = result["summary"] as? [String: Any]
            #expect(summary?["errors"] as? Int == 3)
            #expect(summary?["warnings"] as? Int == 4)
            let findings = (result["findings"] as? [[String: Any]]) ?? []
            let rules = Set(findings.compactMap { $0["rule"] as? String })
            #expect(rules.isSuperset(of: ["type-error", "sum-mismatch", "period-mismatch"]))
            // Each finding has the validate --format json keys.
            for key in ["severity", "rule", "code", "label", "cell", "found", "expected", "message"] {
                #expect(findings.first?.keys.contains(key) == true, "missing \(key)")
            }
            let uploadID = result["id"] as! Int

            // The stored file is the original bytes, under their SHA-256.
            let sha = result["sha256"] as! String
            #expect(sha == SHA256.hex(of: Self.seed))
            let stored = h.folder.appendingPathComponent("files/\(sha.prefix(2))/\(sha)")
            #expect(FileManager.default.contents(atPath: stored.path) == Data(Self.seed))

            // Submitting a file with errors needs the explicit confirmation.
            try await client.execute(uri: "/u/\(link)/files/\(uploadID)/submit", method: .post, headers: Self.jsonHeaders,
                                     body: Self.jsonBody(["confirmErrors": false])) { r in
                #expect(r.status == .conflict)
            }
            try await client.execute(uri: "/api/collections/\(id)", method: .get,
                                     headers: [.accept: "application/json", .authorization: "Bearer \(token)"]) { r in
                let units = (Self.json(r.body)["units"] as? [[String: Any]]) ?? []
                #expect(units.first?["status"] as? String == "missing")
                #expect(units.first?["versions"] as? Int == 1)
            }
            try await client.execute(uri: "/u/\(link)/files/\(uploadID)/submit", method: .post, headers: Self.jsonHeaders,
                                     body: Self.jsonBody(["confirmErrors": true])) { r in
                #expect(r.status == .ok)
                #expect(Self.json(r.body)["submittedAt"] is String)
                #expect(Self.json(r.body)["submittedWithErrors"] as? Bool == true)
            }
            try await client.execute(uri: "/api/collections/\(id)", method: .get,
                                     headers: [.accept: "application/json", .authorization: "Bearer \(token)"]) { r in
                let o = Self.json(r.body)
                #expect(o["submitted"] as? Int == 1)
                #expect(o["total"] as? Int == 2)
                #expect(o["missing"] as? [String] == ["UBND xã Bằng Vân"])
                let units = (o["units"] as? [[String: Any]]) ?? []
                #expect(units.first?["status"] as? String == "submitted-with-errors")
                #expect(units.first?["errors"] as? Int == 3)
                #expect(units.last?["status"] as? String == "missing")
            }
        }
    }

    @Test("a unit that uploads its Word report sees its text checked against its appendix (crosscheck)")
    func wordReportIsCrosschecked() async throws {
        let h = try Harness()
        let report = try [UInt8](Data(contentsOf: TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.docx")))
        try await h.run { client in
            let token = try await Self.login(client)
            let (_, units) = try await Self.createCollection(client, token: token, units: ["UBND huyện Ngân Sơn"])
            let link = units[0]["token"] as! String
            let (status, result) = try await Self.upload(client, token: link, report, filename: "bao-cao-ngan-son.docx")
            #expect(status == .created)
            #expect(result["outcome"] as? String == "checked")
            let findings = (result["findings"] as? [[String: Any]]) ?? []
            // The seed's narrative: 256 and 108 procedures where the appendix (3.1.4) has 265 and 110,
            // and "8,25%" where its own parts 2.304,717/28.000 make 8,23% (docs/crosscheck.md).
            let mismatches = findings.filter { $0["rule"] as? String == "text-mismatch" }
            let arithmetic = findings.filter { $0["rule"] as? String == "text-arithmetic" }
            #expect(mismatches.count == 2)
            #expect(arithmetic.count == 1)
            let found = Set(mismatches.compactMap { $0["found"] as? String })
            #expect(found.contains { $0.contains("256") } && found.contains { $0.contains("108") }, "\(found)")
            #expect(mismatches.allSatisfy { $0["severity"] as? String == "warning" })
            // The appendix's own findings are still there.
            #expect(findings.contains { $0["rule"] as? String == "type-error" })
        }
    }

    @Test("another unit's file is refused with the reason, kept, and cannot be submitted")
    func otherUnitRefused() async throws {
        let h = try Harness()
        try await h.run { client in
            let token = try await Self.login(client)
            let (id, units) = try await Self.createCollection(client, token: token, units: ["UBND xã Bằng Vân"])
            let link = units[0]["token"] as! String
            let (status, result) = try await Self.upload(client, token: link, Self.seed)
            #expect(status == .created)
            #expect(result["outcome"] as? String == "refused")
            #expect((result["reason"] as? String)?.contains("Ngân Sơn") == true)
            let uploadID = result["id"] as! Int
            try await client.execute(uri: "/u/\(link)/files/\(uploadID)/submit", method: .post, headers: Self.jsonHeaders,
                                     body: Self.jsonBody(["confirmErrors": true])) { r in
                #expect(r.status == .conflict)
            }
            try await client.execute(uri: "/api/collections/\(id)", method: .get,
                                     headers: [.accept: "application/json", .authorization: "Bearer \(token)"]) { r in
                let units = (Self.json(r.body)["units"] as? [[String: Any]]) ?? []
                #expect(units.first?["status"] as? String == "missing")
                #expect(units.first?["versions"] as? Int == 1)
            }
        }
    }

    @Test("a link sees only its own uploads")
    func linkIsolation() async throws {
        let h = try Harness()
        try await h.run { client in
            let token = try await Self.login(client)
            let (_, units) = try await Self.createCollection(client, token: token, units: ["UBND huyện Ngân Sơn", "UBND xã B"])
            let a = units[0]["token"] as! String, b = units[1]["token"] as! String
            let (_, result) = try await Self.upload(client, token: a, Self.seed)
            let uploadID = result["id"] as! Int
            for path in ["", "/original", "/annotated.xlsx"] {
                try await client.execute(uri: "/u/\(b)/files/\(uploadID)\(path)", method: .get) { r in
                    #expect(r.status == .notFound)
                }
            }
            try await client.execute(uri: "/u/\(a)/files/\(uploadID)/original", method: .get) { r in
                #expect(r.status == .ok)
                #expect(Array(r.body.readableBytesView) == Self.seed)
            }
        }
    }

    @Test("a corrupt workbook is answered with the reader's message and stored as unreadable")
    func unreadableUpload() async throws {
        let h = try Harness()
        try await h.run { client in
            let token = try await Self.login(client)
            let (_, units) = try await Self.createCollection(client, token: token, units: ["UBND xã A"])
            let link = units[0]["token"] as! String
            // A zip header and nothing else: not a workbook.
            let (status, result) = try await Self.upload(client, token: link, [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 100),
                                                         filename: "hong.xlsx")
            #expect(status == .created)
            #expect(result["outcome"] as? String == "unreadable")
            #expect((result["reason"] as? String)?.isEmpty == false)
            #expect(try h.portal.store.uploadCount() == 1)
        }
    }

    // MARK: - Limits and hostile input

    @Test("a body over the limit is 413 with a clear message, and the server keeps answering")
    func bodyLimit() async throws {
        let h = try Harness { $0.maxBodyBytes = 1 << 20 }
        try await h.run { client in
            let token = try await Self.login(client)
            let (_, units) = try await Self.createCollection(client, token: token, units: ["UBND xã A"])
            let link = units[0]["token"] as! String
            let (status, result) = try await Self.upload(client, token: link, [UInt8](repeating: 0x41, count: 2 << 20))
            #expect(status == .contentTooLarge)
            #expect((result["error"] as? String)?.contains("1 MiB") == true)
            #expect(try h.portal.store.uploadCount() == 0)
            try await client.execute(uri: "/u/\(link)", method: .get) { r in #expect(r.status == .ok) }
        }
    }

    @Test("uploads per link per minute are limited")
    func uploadRate() async throws {
        let h = try Harness { $0.uploadsPerLinkPerMinute = 2 }
        try await h.run { client in
            let token = try await Self.login(client)
            let (_, units) = try await Self.createCollection(client, token: token, units: ["UBND huyện Ngân Sơn", "UBND xã B"])
            let link = units[0]["token"] as! String
            #expect(try await Self.upload(client, token: link, Self.seed).0 == .created)
            #expect(try await Self.upload(client, token: link, Self.seed).0 == .created)
            let (status, result) = try await Self.upload(client, token: link, Self.seed)
            #expect(status == .tooManyRequests)
            #expect((result["error"] as? String)?.contains("một phút") == true)
            // Another link is not affected.
            #expect(try await Self.upload(client, token: units[1]["token"] as! String, Self.seed).0 == .created)
        }
    }

    @Test("user text is HTML-escaped, pages carry a Content-Security-Policy and no-referrer")
    func escapingAndHeaders() async throws {
        let h = try Harness()
        try await h.run { client in
            let token = try await Self.login(client)
            let evil = "<script>alert('x')</script> & \"xã\""
            let (_, units) = try await Self.createCollection(client, token: token, units: [evil])
            let link = units[0]["token"] as! String
            try await client.execute(uri: "/u/\(link)", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(!html.contains("<script>alert"))
                #expect(html.contains("&lt;script&gt;alert"))
                let csp = r.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("default-src 'none'"))
                #expect(csp.contains("script-src 'self'"))
                #expect(r.headers[.init("Referrer-Policy")!] == "no-referrer")
                #expect(r.headers[.xContentTypeOptions] == "nosniff")
            }
            // The file name a browser sends is shown escaped and never used as a path.
            let (_, result) = try await Self.upload(client, token: link, Self.seed, filename: "../../<i>x&y.csv")
            #expect(result["file"] as? String == "<i>x&y.csv")
            try await client.execute(uri: "/u/\(link)", method: .get) { r in
                #expect(String(buffer: r.body).contains("&lt;i&gt;x&amp;y.csv"))
            }
            let names = try FileManager.default.subpathsOfDirectory(atPath: h.folder.appendingPathComponent("files").path)
            #expect(names.allSatisfy { $0.allSatisfy { $0.isHexDigit || $0 == "/" } })
        }
    }

    @Test("pages are Vietnamese by default and English after the switch")
    func languageSwitch() async throws {
        let h = try Harness()
        try await h.run { client in
            try await client.execute(uri: "/login", method: .get) { r in
                #expect(String(buffer: r.body).contains("Đăng nhập"))
                #expect(String(buffer: r.body).contains("lang=\"vi\""))
            }
            try await client.execute(uri: "/lang/en?back=/login", method: .get) { r in
                #expect(r.status == .seeOther)
                #expect(r.headers[.location] == "/login")
                #expect((r.headers[.setCookie] ?? "").hasPrefix("bm_lang=en"))
            }
            try await client.execute(uri: "/login", method: .get, headers: [.cookie: "bm_lang=en"]) { r in
                #expect(String(buffer: r.body).contains("Sign in"))
            }
            // Only a local path is a way back (no open redirect).
            try await client.execute(uri: "/lang/en?back=//evil.example", method: .get) { r in
                #expect(r.headers[.location] == "/")
            }
        }
    }
}

@Suite("Portal demo")
struct PortalDemoTests {
    @Test("serve --demo: a collection of four units, UBND huyện Ngân Sơn already submitted from Examples/, links printed")
    func demo() throws {
        let folder = TestPaths.temporaryFolder("portal-demo")
        let portal = try Portal(configuration: PortalConfiguration(dataFolder: folder, port: 18093, bcryptCost: 4))
        let text = try portal.setUpDemo(exampleFile: TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path,
                                        language: .vi)
        #expect(text.contains("http://127.0.0.1:18093/login"))
        #expect(text.components(separatedBy: "http://127.0.0.1:18093/u/").count == 5)
        let collection = try #require(try portal.store.collections().first)
        let progress = try portal.store.progress(collection: collection)
        #expect(progress.units.count == 4)
        #expect(progress.submittedCount == 1)
        // The seed has its 3 errors: submitted after confirming them.
        #expect(progress.units[0].unit.name == "UBND huyện Ngân Sơn")
        #expect(progress.units[0].status == .withErrors)
        // Run again on the same folder: the same collection, links printed again.
        _ = try portal.setUpDemo(exampleFile: "Examples/ngan-son-q1-2023.csv", language: .vi)
        #expect(try portal.store.collections().count == 1)
    }
}
