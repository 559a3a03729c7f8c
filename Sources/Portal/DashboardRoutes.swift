import AppendixModel
import BieuMau
import FormSchema
import Foundation
import Hummingbird
import Support
import ZipWrapper

/// The dashboard, the printable list of links and the collector's downloads.
extension Portal {
    func dashboardPage(_ request: Request, session: Session, collection c: CollectionRecord) throws -> Response {
        let lang = language(request)
        let p = try store.progress(collection: c)
        let rows = p.units.enumerated().map { i, u -> [String: Any] in
            var row: [String: Any] = [
                "no": i + 1, "name": u.unit.name, "status": pages.word(u.status.wordKey, lang),
                "statusClass": u.status.rawValue, "versions": u.uploads.count,
                "revoked": u.unit.revokedAt != nil,
            ]
            if let cur = u.current {
                row["last"] = cur.submittedAt.map(Display.time) ?? ""
                row["errors"] = cur.errors
                row["warnings"] = cur.warnings
                row["currentID"] = cur.id
                row["current"] = true
            }
            row["history"] = u.uploads.map { up -> [String: Any] in
                ["uploadID": up.id, "time": Display.time(up.uploadedAt), "submitted": up.submittedAt != nil,
                 "outcome": outcomeWord(up.outcome, lang), "errors": up.errors, "warnings": up.warnings]
            }
            row["hasHistory"] = !u.uploads.isEmpty
            return row
        }
        let missing = p.units.filter { $0.status == .missing }.map(\.unit.name)
        let total = p.units.count, done = p.submittedCount
        let context: [String: Any] = [
            "id": c.id, "title": c.title, "form": c.form, "period": periodText(c.period, lang),
            "deadline": Display.day(c.deadline), "parentUnit": c.parentUnit,
            "units": rows, "submitted": done, "total": total,
            "percent": total == 0 ? 0 : done * 100 / total,
            "missingText": missing.joined(separator: "; "), "hasMissing": !missing.isEmpty,
            "progressText": lang == .en ? "submitted \(done)/\(total)" : "đã nộp \(done)/\(total)",
        ]
        return page("dashboard", context, request: request, title: c.title, session: session)
    }

    func outcomeWord(_ o: UploadOutcome, _ lang: Language) -> String {
        switch o {
        case .checked: return pages.word("outcomeChecked", lang)
        case .refused: return pages.word("outcomeRefused", lang)
        case .unreadable: return pages.word("outcomeUnreadable", lang)
        }
    }

    func linksPage(_ request: Request, session: Session, collection c: CollectionRecord) throws -> Response {
        let lang = language(request)
        let units = try store.units(collection: c.id).enumerated().map { i, u -> [String: Any] in
            ["no": i + 1, "id": u.id, "name": u.name, "url": unitURL(u.token), "revoked": u.revokedAt != nil]
        }
        let context: [String: Any] = [
            "collectionID": c.id, "title": c.title, "form": c.form, "period": periodText(c.period, lang),
            "deadline": Display.day(c.deadline), "units": units,
        ]
        return page("links", context, request: request, title: c.title, session: session)
    }

    // MARK: - Downloads

    func originalDownload(_ u: UploadRecord) throws -> Response {
        let bytes = try [UInt8](Data(contentsOf: store.filePath(sha256: u.sha256)))
        return Portal.download(bytes, type: "application/octet-stream", filename: u.filename)
    }

    /// The latest submission of each unit that has one, with the file it is stored in.
    func latestSubmissions(_ c: CollectionRecord) throws -> (CollectionProgress, [(unit: UnitRecord, upload: UploadRecord)]) {
        let p = try store.progress(collection: c)
        return (p, p.units.compactMap { u in u.current.map { (u.unit, $0) } })
    }

    /// A name for a unit's file inside the zip or the download: its number and an ASCII form of its name.
    static func safeName(_ unit: String, position: Int, ext: String) -> String {
        // "UBND xã Bằng Vân" → "ubnd-xa-bang-van": tone and vowel marks dropped, đ → d, the rest a dash.
        let plain = unit.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        let folded = plain.unicodeScalars.map { s -> Character in
            (s.isASCII && CharacterSet.alphanumerics.contains(s)) ? Character(s) : "-"
        }
        var name = String(folded).split(separator: "-").joined(separator: "-")
        if name.count > 60 { name = String(name.prefix(60)) }
        return String(format: "%03d", position) + (name.isEmpty ? "" : "-" + name) + "." + ext
    }

    func mergedDownload(_ c: CollectionRecord) async throws -> Response {
        let (p, latest) = try latestSubmissions(c)
        guard !latest.isEmpty else {
            throw PortalError.conflict(Localized(vi: "Chưa có đơn vị nào nộp: chưa có gì để tổng hợp.",
                                                 en: "No unit has submitted yet: there is nothing to merge."))
        }
        let output = store.temporaryPath(".xlsx")
        defer { try? FileManager.default.removeItem(at: output) }
        let files = latest.map { (path: store.filePath(sha256: $0.upload.sha256).path, unit: $0.unit.name) }
        let expected = p.units.map(\.unit.name)
        let jobs = self.jobs
        try await Portal.offload {
            try jobs.merge(files: files, collection: c, expectedUnits: expected, to: output)
        }
        let bytes = try [UInt8](Data(contentsOf: output))
        let name = "tong-hop-" + (WorkbookProperty.decodePeriod(c.period).map { WorkbookProperty.encode($0) } ?? "ky")
            .replacingOccurrences(of: "/", with: "-") + ".xlsx"
        return Portal.download(bytes, type: Portal.xlsxType, filename: name)
    }

    func originalsDownload(_ c: CollectionRecord) async throws -> Response {
        let (_, latest) = try latestSubmissions(c)
        let output = store.temporaryPath(".zip")
        defer { try? FileManager.default.removeItem(at: output) }
        let entries = latest.map { item -> (String, String) in
            let path = store.filePath(sha256: item.upload.sha256).path
            let ext = (try? InputFormat.sniff(path: path))?.fileExtension ?? "bin"
            return (path, Portal.safeName(item.unit.name, position: item.unit.position + 1, ext: ext))
        }
        try await Portal.offload {
            let zip = try ZipWriter(path: output.path)
            for (path, name) in entries { try zip.addFile(path, as: name) }
            if entries.isEmpty {
                // An empty archive is not written by libzip: say why inside instead.
                let note = output.path + ".txt"
                try Data("Chưa đơn vị nào nộp. / No unit has submitted.\n".utf8).write(to: URL(fileURLWithPath: note))
                defer { try? FileManager.default.removeItem(atPath: note) }
                try zip.addFile(note, as: "README.txt")
                try zip.close()
            } else {
                try zip.close()
            }
        }
        let bytes = try [UInt8](Data(contentsOf: output))
        return Portal.download(bytes, type: "application/zip", filename: "ban-goc-\(c.id).zip")
    }

    /// The findings of every latest submission, one row each (CSV through the library's writer).
    func findingsDownload(_ c: CollectionRecord, lang: Language) throws -> Response {
        let (_, latest) = try latestSubmissions(c)
        let en = lang == .en
        let header = [
            en ? "Unit" : "Đơn vị", en ? "Upload" : "Lần tải", "SHA-256", en ? "Submitted at" : "Thời gian nộp",
            en ? "Severity" : "Mức độ", en ? "Rule" : "Quy tắc", en ? "Code" : "Mã", en ? "Item" : "Chỉ tiêu",
            en ? "Cell" : "Ô", en ? "Found" : "Giá trị", en ? "Expected" : "Cần", en ? "Message" : "Nội dung",
        ]
        var rows: [[String]] = []
        for (unit, upload) in latest {
            guard let text = upload.report(lang), let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                  let findings = object["findings"] as? [[String: Any]] else { continue }
            for f in findings {
                func s(_ k: String) -> String { (f[k] as? String) ?? "" }
                rows.append([unit.name, String(upload.id), upload.sha256, upload.submittedAt.map(Display.time) ?? "",
                             s("severity"), s("rule"), s("code"), s("label"), s("cell"), s("found"), s("expected"), s("message")])
            }
        }
        let csv = CSVText.table(header: header, records: rows)
        return Portal.download(Array(csv.utf8), type: "text/csv; charset=utf-8", filename: "kiem-tra-\(c.id).csv")
    }
}
