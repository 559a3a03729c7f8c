import Foundation
import Hummingbird
import HummingbirdTesting
import Portal
import Support
import Testing
import TestSupport

/// Throttling and admission (issue #11, "Bad input and faults"): sign-in failures counted per user
/// name and per client address (X-Forwarded-For believed only from a configured proxy), and the
/// uploads of many links at once bounded in checks running and bytes held.
@Suite("Portal limits")
struct PortalLimitsTests {
    typealias API = PortalAPITests

    static func signIn(_ client: any TestClientProtocol, name: String, password: String, from address: String?)
        async throws -> HTTPResponse.Status {
        var headers = API.jsonHeaders
        if let address { headers[.init("X-Forwarded-For")!] = address }
        return try await client.execute(uri: "/api/login", method: .post, headers: headers,
                                        body: API.jsonBody(["name": name, "password": password])) { $0.status }
    }

    @Test("the client address: X-Forwarded-For only from a trusted proxy, read from the right")
    func clientAddressRule() {
        let proxy: Set<String> = ["10.0.0.2"]
        // No trusted proxy (the default): the header is ignored, whatever it says.
        #expect(ClientAddress.of(peer: "198.51.100.9", forwardedFor: ["203.0.113.7"], trusted: []) == "198.51.100.9")
        // From a peer that is not the proxy: ignored.
        #expect(ClientAddress.of(peer: "198.51.100.9", forwardedFor: ["203.0.113.7"], trusted: proxy) == "198.51.100.9")
        // Through the proxy: the address it appended, not what the client wrote to the left of it.
        #expect(ClientAddress.of(peer: "10.0.0.2", forwardedFor: ["1.1.1.1, 203.0.113.7"], trusted: proxy) == "203.0.113.7")
        #expect(ClientAddress.of(peer: "10.0.0.2", forwardedFor: ["1.1.1.1", "203.0.113.7"], trusted: proxy) == "203.0.113.7")
        // Two proxies in a row, both trusted: the first untrusted hop from the right.
        #expect(ClientAddress.of(peer: "10.0.0.2", forwardedFor: ["203.0.113.7, 10.0.0.3"], trusted: ["10.0.0.2", "10.0.0.3"])
                == "203.0.113.7")
        // Garbage in the header is not an address: the proxy itself counts.
        #expect(ClientAddress.of(peer: "10.0.0.2", forwardedFor: ["<script>"], trusted: proxy) == "10.0.0.2")
        #expect(ClientAddress.of(peer: "10.0.0.2", forwardedFor: ["[2001:DB8::1]"], trusted: proxy) == "2001:db8::1")
        #expect(ClientAddress.isAddress("127.0.0.1") && ClientAddress.isAddress("::1") && !ClientAddress.isAddress("proxy.local")
                && !ClientAddress.isAddress("300.1.1.1"))
    }

    @Test("sign-in failures are also counted per client address: many names from one address are throttled, another address is not")
    func signInThrottlePerAddress() async throws {
        let h = try API.Harness {
            $0.signInFailures = 100
            $0.signInFailuresPerAddress = 3
            $0.trustedProxies = ["127.0.0.1", "::1"]
        }
        try h.portal.addUser(name: "lan.tran", password: "mat-khau-khac")
        let app = Application(router: h.portal.makeRouter())
        try await app.test(.live) { (client: any TestClientProtocol) async throws -> Void in
            // One address guesses three different names.
            for name in ["admin", "root", "thu.nguyen"] {
                #expect(try await Self.signIn(client, name: name, password: "sai", from: "203.0.113.7") == .unauthorized)
            }
            // From there even the right password of a fourth name is refused for the window…
            #expect(try await Self.signIn(client, name: "lan.tran", password: "mat-khau-khac", from: "203.0.113.7") == .tooManyRequests)
            // …while another address behind the same proxy signs in.
            #expect(try await Self.signIn(client, name: "lan.tran", password: "mat-khau-khac", from: "203.0.113.8") == .ok)
        }
    }

    @Test("without a trusted proxy, X-Forwarded-For is ignored: a guesser cannot dodge the per-address limit by forging it")
    func forwardedForIgnoredByDefault() async throws {
        let h = try API.Harness {
            $0.signInFailures = 100
            $0.signInFailuresPerAddress = 3
        }
        #expect(h.portal.configuration.trustedProxies.isEmpty)
        let app = Application(router: h.portal.makeRouter())
        try await app.test(.live) { (client: any TestClientProtocol) async throws -> Void in
            for (i, name) in ["admin", "root", "thu.nguyen"].enumerated() {
                #expect(try await Self.signIn(client, name: name, password: "sai", from: "203.0.113.\(i + 1)") == .unauthorized)
            }
            #expect(try await Self.signIn(client, name: "thu.nguyen", password: "mat-khau-dai", from: "198.51.100.1") == .tooManyRequests)
        }
    }

    @Test("many links uploading at once: all stored, with at most concurrentChecks checks and uploadMemoryBytes of bodies at a time")
    func uploadsAdmittedInTurn() async throws {
        let h = try API.Harness {
            $0.concurrentChecks = 2
            $0.uploadMemoryBytes = 40_000          // about three bodies of the seed (10.6 KB each)
        }
        let units = (1...24).map { String(format: "UBND xã Số %02d", $0) }
        try await h.run { client in
            let token = try await API.login(client)
            let (_, created) = try await API.createCollection(client, token: token, units: units)
            let links = created.compactMap { $0["token"] as? String }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for (i, link) in links.enumerated() {
                    let file = PortalLevelsTests.unitFile(units[i], documents: i, dialogue: "Có")
                    group.addTask { try await API.upload(client, token: link, file).0 }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.count == 24 && statuses.allSatisfy { $0 == .created }, "\(statuses)")
            #expect(try h.portal.store.uploadCount() == 24)
            let peaks = await h.portal.admissionPeaks()
            #expect(peaks.checks >= 1 && peaks.checks <= 2, "\(peaks)")
            #expect(peaks.uploadBytes > 0 && peaks.uploadBytes <= 40_000, "\(peaks)")
        }
    }

    @Test("a body declared over the limit is refused at once, before it waits for a turn")
    func declaredTooLarge() async throws {
        let h = try API.Harness { $0.maxBodyBytes = 1 << 20 }
        try await h.run { client in
            let token = try await API.login(client)
            let (_, units) = try await API.createCollection(client, token: token, units: ["UBND xã A"])
            let link = units[0]["token"] as! String
            let (status, result) = try await API.upload(client, token: link, [UInt8](repeating: 0x41, count: (1 << 20) + 1))
            #expect(status == .contentTooLarge)
            #expect((result["error"] as? String)?.contains("1 MiB") == true)
            let peaks = await h.portal.admissionPeaks()
            #expect(peaks.uploadBytes == 0)
        }
    }

    /// Hostile workbooks made by python's zipfile: a zip bomb (256 MiB of blanks deflated to a few
    /// hundred KB), entity expansion (billion laughs), a cell beyond column XFD, a dimension claiming
    /// the whole sheet.
    static func hostileWorkbooks(_ folder: URL) throws -> [String: URL] {
        let r = try Run.python("""
            import os, sys, zipfile
            out = sys.argv[1]
            NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
            RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
            parts = {
              "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
              "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
              "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>' % (NS, RNS),
              "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
            }
            def write(name, sheet=None, bomb=False):
                with zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
                    for n, d in parts.items(): z.writestr(n, d)
                    if bomb:
                        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                            f.write(('<?xml version="1.0"?><worksheet xmlns="%s"><sheetData>' % NS).encode())
                            block = b" " * (1 << 20)
                            for _ in range(256): f.write(block)
                            f.write(b"</sheetData></worksheet>")
                    else:
                        z.writestr("xl/worksheets/sheet1.xml", sheet)
            write("bomb.xlsx", bomb=True)
            lol = "".join('<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1)) * 10) for i in range(1, 10))
            write("laughs.xlsx", '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">%s]><worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>' % (lol, NS))
            write("beyond.xlsx", '<?xml version="1.0"?><worksheet xmlns="%s"><sheetData><row r="1"><c r="ZZZZ1"><v>1</v></c></row></sheetData></worksheet>' % NS)
            write("dimension.xlsx", '<?xml version="1.0"?><worksheet xmlns="%s"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>' % NS)
            """, [folder.path])
        #expect(r.status == 0, "\(r.stderr)")
        var out: [String: URL] = [:]
        for name in ["bomb", "laughs", "beyond", "dimension"] { out[name] = folder.appendingPathComponent(name + ".xlsx") }
        return out
    }

    @Test("the readers' limits through an upload: a zip bomb, entity expansion, a cell beyond XFD, a whole-sheet dimension — each a message, the server unharmed",
          .enabled(if: Tools.python("zipfile", "zlib"), "needs python3 with zlib"))
    func hostileWorkbooksUploaded() async throws {
        let files = try Self.hostileWorkbooks(TestPaths.temporaryFolder("portal-hostile"))
        let h = try API.Harness()
        try await h.run { client in
            let token = try await API.login(client)
            let (_, units) = try await API.createCollection(client, token: token, units: ["UBND huyện Ngân Sơn"])
            let link = units[0]["token"] as! String
            for (name, words) in [("bomb", "zip bomb"), ("laughs", "DTD/ENTITY"), ("beyond", "beyond XFD1048576"),
                                  ("dimension", "table was not found")] {
                let bytes = [UInt8](try Data(contentsOf: files[name]!))
                #expect(bytes.count < 4 << 20)
                let (body, type) = API.multipart(file: bytes, filename: name + ".xlsx")
                let start = Date()
                try await client.execute(uri: "/u/\(link)/files?lang=en", method: .post,
                                         headers: [.contentType: type, .accept: "application/json"], body: body) { r in
                    #expect(r.status == .created)
                    let o = API.json(r.body)
                    #expect(o["outcome"] as? String == "unreadable", "\(name): \(o)")
                    let reason = o["reason"] as? String ?? ""
                    #expect(reason.contains(words), "\(name): \(reason)")
                    #expect(reason.contains(name + ".xlsx"), "the message names the uploaded file: \(reason)")
                }
                #expect(Date().timeIntervalSince(start) < 120, "a hang guard, not a speed target")
            }
            // The server still answers and takes a good file.
            let (status, result) = try await API.upload(client, token: link, API.seed)
            #expect(status == .created)
            #expect(result["outcome"] as? String == "checked")
            #expect(try h.portal.store.uploadCount() == 5)
        }
    }

    /// The .xls files that crashed or confused FreeXL (sheets' fixtures, Tests/XLSInputTests/Fixtures/README.md),
    /// uploaded: the Swift BIFF reader in the server refuses each with a message, and the server stays up.
    @Test("crafted and broken .xls uploads (FreeXL's crash fixtures, byte-flipped copies of the seed): each answered with the reader's message, the server stays up")
    func crashingXLSUploaded() async throws {
        let fixtures = TestPaths.packageRoot.appendingPathComponent("Tests/XLSInputTests/Fixtures")
        @Sendable func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name))) }
        let seed = try bytes("seed.xls")
        let h = try API.Harness { $0.uploadsPerLinkPerMinute = 1_000 }
        try await h.run { client in
            let token = try await API.login(client)
            let (_, units) = try await API.createCollection(client, token: token, units: ["UBND huyện Ngân Sơn"])
            let link = units[0]["token"] as! String
            for name in ["freexl-crash-sst.xls", "broken-records.xls", "truncated.xls", "xlrd-Formate.xls", "poi-password.xls"] {
                let (status, result) = try await API.upload(client, token: link, try bytes(name), filename: name)
                #expect(status == .created, "\(name)")
                #expect(result["outcome"] as? String == "unreadable", "\(name): \(result)")
                let reason = result["reason"] as? String ?? ""
                #expect(reason.contains(name), "\(name): the message names the file: \(reason)")
            }
            // 150 copies of the seed with bytes flipped (a fixed sequence): whatever the reader says, an answer each.
            var rng = SplitMix64(state: 11)
            var outcomes: [String: Int] = [:]
            for i in 0..<150 {
                var mutated = seed
                for _ in 0..<(1 + Int(rng.next() % 8)) {
                    mutated[Int(rng.next() % UInt64(mutated.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
                let (status, result) = try await API.upload(client, token: link, mutated, filename: "lat-\(i).xls")
                #expect(status == .created)
                outcomes[result["outcome"] as? String ?? "?", default: 0] += 1
            }
            #expect(outcomes.values.reduce(0, +) == 150 && outcomes["?"] == nil, "\(outcomes)")
            // Still up, and the seed itself is read and checked.
            let (status, result) = try await API.upload(client, token: link, seed, filename: "seed.xls")
            #expect(status == .created)
            #expect(result["outcome"] as? String == "checked", "\(result)")
            #expect(try h.portal.store.uploadCount() == 5 + 150 + 1)
        }
    }
}
