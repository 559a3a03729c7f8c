import Foundation
import Hummingbird
import HummingbirdTesting
import Portal
import Support
import Testing
import TestSupport

/// Issue #11, flow 4: "a merged workbook can be uploaded one level up like any unit's". A district's
/// collection is merged on the portal, its merged.xlsx downloaded and uploaded through the district's
/// own link into the province's collection, validated and merged again; the same file through a
/// commune's link is refused with the reason.
@Suite("Portal: a merged workbook uploaded one level up")
struct PortalLevelsTests {
    typealias API = PortalAPITests

    /// The seed appendix as `unit`'s file: its "1.1 Số văn bản chỉ đạo" and its "1.6 Tổ chức đối thoại"
    /// (Có/không) answers replaced, the report date moved into the period.
    static func unitFile(_ unit: String, documents: Int, dialogue: String) -> [UInt8] {
        var text = String(decoding: API.seed, as: UTF8.self)
        text = text.replacingOccurrences(of: "ngày /3/2022 của UBND huyện Ngân Sơn", with: "ngày /3/2023 của \(unit)")
        text = text.replacingOccurrences(of: ",Văn bản,13,", with: ",Văn bản,\(documents),")
        text = text.replacingOccurrences(of: "doanh nghiệp\",Có/không,0,", with: "doanh nghiệp\",Có/không,\(dialogue),")
        return Array(text.utf8)
    }

    static func bearer(_ token: String) -> HTTPFields {
        [.accept: "application/json", .authorization: "Bearer \(token)"]
    }

    static func submit(_ client: any TestClientProtocol, link: String, upload: Int) async throws {
        try await client.execute(uri: "/u/\(link)/files/\(upload)/submit", method: .post, headers: API.jsonHeaders,
                                 body: API.jsonBody(["confirmErrors": true])) { r in
            #expect(r.status == .ok, "\(String(buffer: r.body))")
        }
    }

    static func collection(_ client: any TestClientProtocol, token: String, parent: String, units: [String])
        async throws -> (Int, [String: String]) {
        try await client.execute(uri: "/api/collections", method: .post, headers: API.jsonHeaders.merging(bearer(token)),
                                 body: API.jsonBody(["form": "cchc-2023", "period": "Quý I/2023", "deadline": "2099-04-15",
                                                     "parentUnit": parent, "units": units])) { r in
            #expect(r.status == .created)
            let o = API.json(r.body)
            var links: [String: String] = [:]
            for u in (o["units"] as? [[String: Any]]) ?? [] { links[u["name"] as! String] = u["token"] as? String }
            return ((o["id"] as? Int) ?? 0, links)
        }
    }

    /// Row values of a workbook's "Tổng hợp" sheet (STT → column D) and its custom properties, read by openpyxl.
    static func readMerged(_ bytes: [UInt8]) throws -> (values: [String: String], properties: [String: String]) {
        let file = TestPaths.temporaryFolder("portal-levels-read").appendingPathComponent("merged.xlsx")
        try Data(bytes).write(to: file)
        let r = try Run.python("""
            import json, sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb["Tổng hợp"]
            values = {}
            for row in ws.iter_rows(values_only=True):
                if row and row[0] is not None and len(row) > 3:
                    values[str(row[0]).strip()] = "" if row[3] is None else str(row[3])
            props = {p.name: str(p.value) for p in wb.custom_doc_props}
            print(json.dumps({"values": values, "properties": props}))
            """, [file.path])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: [String: String]])
        return (o["values"] ?? [:], o["properties"] ?? [:])
    }

    @Test("a district's merged.xlsx, uploaded by the district's link into the province's collection, is its submission and is merged again with the right counts; a commune's link refuses it",
          .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func mergedWorkbookOneLevelUp() async throws {
        let h = try API.Harness()
        try await h.run { client in
            let token = try await API.login(client)

            // The district collects its two communes.
            let (district, dLinks) = try await Self.collection(client, token: token, parent: "UBND huyện Ngân Sơn",
                                                               units: ["UBND xã Bằng Vân", "UBND xã Vân Tùng"])
            for (unit, documents, dialogue) in [("UBND xã Bằng Vân", 4, "Có"), ("UBND xã Vân Tùng", 6, "Không")] {
                let (status, result) = try await API.upload(client, token: dLinks[unit]!,
                                                            Self.unitFile(unit, documents: documents, dialogue: dialogue))
                #expect(status == .created)
                #expect(result["outcome"] as? String == "checked", "\(result)")
                try await Self.submit(client, link: dLinks[unit]!, upload: result["id"] as! Int)
            }
            let districtMerged = try await client.execute(uri: "/api/collections/\(district)/merged.xlsx", method: .get,
                                                          headers: Self.bearer(token)) { r in
                #expect(r.status == .ok)
                return [UInt8](r.body.readableBytesView)
            }
            let d = try Self.readMerged(districtMerged)
            #expect(d.values["1.1"] == "10")                    // 4 + 6
            #expect(d.properties["bieumau.units"] == "2")

            // A commune of that district uploading the district's merged workbook is refused, with the reason.
            let (refusedStatus, refused) = try await API.upload(client, token: dLinks["UBND xã Bằng Vân"]!, districtMerged,
                                                                filename: "tong-hop-huyen.xlsx")
            #expect(refusedStatus == .created)
            #expect(refused["outcome"] as? String == "refused")
            let reason = refused["reason"] as? String ?? ""
            #expect(reason.contains("bảng tổng hợp") && reason.contains("UBND huyện Ngân Sơn") && reason.contains("2 đơn vị"),
                    "\(reason)")

            // The province collects districts (and, since the two-tier reform, communes directly).
            let (province, pLinks) = try await Self.collection(client, token: token, parent: "UBND tỉnh Bắc Kạn",
                                                               units: ["UBND huyện Ngân Sơn", "UBND huyện Ba Bể", "UBND xã Thượng Quan"])
            // The merged workbook through a commune's link of the province: refused, nothing submitted.
            let (_, wrongLink) = try await API.upload(client, token: pLinks["UBND xã Thượng Quan"]!, districtMerged,
                                                      filename: "tong-hop-huyen.xlsx")
            #expect(wrongLink["outcome"] as? String == "refused")
            #expect((wrongLink["reason"] as? String ?? "").contains("UBND xã Thượng Quan"))
            try await client.execute(uri: "/u/\(pLinks["UBND xã Thượng Quan"]!)/files/\(wrongLink["id"] as! Int)/submit",
                                     method: .post, headers: API.jsonHeaders, body: API.jsonBody(["confirmErrors": true])) { r in
                #expect(r.status == .conflict)
            }

            // Through the district's own link: accepted as its submission and validated as a merge
            // (a count of 1 on the Có/không row 1.6 is the number of communes answering Có, not an error).
            let (status, accepted) = try await API.upload(client, token: pLinks["UBND huyện Ngân Sơn"]!, districtMerged,
                                                          filename: "tong-hop-huyen.xlsx")
            #expect(status == .created)
            #expect(accepted["outcome"] as? String == "checked", "\(accepted)")
            #expect(accepted["unit"] as? String == "UBND huyện Ngân Sơn")
            let findings = (accepted["findings"] as? [[String: Any]]) ?? []
            #expect(!findings.contains { $0["code"] as? String == "1.6" && $0["severity"] as? String == "error" }, "\(findings)")
            try await Self.submit(client, link: pLinks["UBND huyện Ngân Sơn"]!, upload: accepted["id"] as! Int)

            let (baBeStatus, baBe) = try await API.upload(client, token: pLinks["UBND huyện Ba Bể"]!,
                                                          Self.unitFile("UBND huyện Ba Bể", documents: 5, dialogue: "Có"))
            #expect(baBeStatus == .created)
            try await Self.submit(client, link: pLinks["UBND huyện Ba Bể"]!, upload: baBe["id"] as! Int)

            try await client.execute(uri: "/api/collections/\(province)", method: .get, headers: Self.bearer(token)) { r in
                let o = API.json(r.body)
                #expect(o["submitted"] as? Int == 2)
                #expect(o["missing"] as? [String] == ["UBND xã Thượng Quan"])
            }
            let provinceMerged = try await client.execute(uri: "/api/collections/\(province)/merged.xlsx", method: .get,
                                                          headers: Self.bearer(token)) { r in
                #expect(r.status == .ok)
                return [UInt8](r.body.readableBytesView)
            }
            let p = try Self.readMerged(provinceMerged)
            #expect(p.values["1.1"] == "15")                    // 4 + 6 from the district, 5 from Ba Bể
            #expect(p.values["1.6"] == "2")                     // Bằng Vân and Ba Bể answered Có; Vân Tùng Không
            #expect(p.properties["bieumau.units"] == "3")       // two communes through the district, and Ba Bể
        }
    }

    @Test("a commune's file that forges the properties of a merged workbook is validated as one unit's appendix, with the reason",
          .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func forgedMergedClaim() async throws {
        // A commune writes 1000 on the Có/không row 1.6 and claims to be a merge of 1000 units.
        let folder = TestPaths.temporaryFolder("portal-forged")
        let csv = folder.appendingPathComponent("xa.csv"), forged = folder.appendingPathComponent("xa.xlsx")
        try Data(Self.unitFile("UBND xã Bằng Vân", documents: 4, dialogue: "1000")).write(to: csv)
        let convert = try Run.bieumau(["convert", csv.path, "-o", forged.path])
        #expect(convert.status == 0 || convert.status == 1, "\(convert.stderr)")
        let py = try Run.forgeMergedProperties(forged.path, units: 1000)
        #expect(py.status == 0, "\(py.stderr)")
        let h = try API.Harness()
        try await h.run { client in
            let token = try await API.login(client)
            let (_, links) = try await Self.collection(client, token: token, parent: "UBND huyện Ngân Sơn", units: ["UBND xã Bằng Vân"])
            let (status, result) = try await API.upload(client, token: links["UBND xã Bằng Vân"]!,
                                                        [UInt8](try Data(contentsOf: forged)), filename: "xa.xlsx")
            #expect(status == .created)
            #expect(result["outcome"] as? String == "checked")
            let findings = (result["findings"] as? [[String: Any]]) ?? []
            #expect(findings.contains { $0["code"] as? String == "1.6" && $0["severity"] as? String == "error" }, "\(findings)")
            let notes = (result["notes"] as? [String]) ?? []
            #expect(notes.contains { $0.contains("1000") && $0.contains("Nguồn") }, "\(notes)")
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var out = self
        for field in other { out[field.name] = field.value }
        return out
    }
}
