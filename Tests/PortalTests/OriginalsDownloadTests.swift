import Foundation
import Hummingbird
import HummingbirdTesting
import Portal
import Testing
import TestSupport

extension PortalAPITests {
    @Test("before any unit has submitted, originals.zip is a valid archive whose README.txt says so")
    func originalsBeforeAnySubmission() async throws {
        let h = try Harness()
        try await h.run { client in
            let token = try await Self.login(client)
            let (id, _) = try await Self.createCollection(client, token: token, units: ["UBND xã A", "UBND xã B"])
            let zip = TestPaths.temporaryFolder("originals").appendingPathComponent("originals.zip")
            try await client.execute(uri: "/api/collections/\(id)/originals.zip", method: .get,
                                     headers: [.authorization: "Bearer \(token)"]) { r in
                #expect(r.status == .ok)
                try Data(r.body.readableBytesView).write(to: zip)
            }
            // Read back by Python's zipfile, not by our own reader.
            let listing = try Run.python("import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1])\nfor n in z.namelist(): print(n, '|', z.read(n).decode().strip())",
                                         [zip.path]).stdout
            #expect(listing.trimmingCharacters(in: .whitespacesAndNewlines)
                    == "README.txt | Chưa đơn vị nào nộp. / No unit has submitted.")
        }
    }
}
