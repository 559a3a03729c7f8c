import CryptoWrapper
import AppendixModel
import Foundation
import Hummingbird
import Support

/// A unit's private link: its page, uploads, check results, submission. A wrong or revoked token is
/// a plain 404; a link sees only its own uploads.
extension Portal {
    func addUnitRoutes(_ router: Router<PortalContext>) {
        router.get("/u/:token") { request, context -> Response in
            let (unit, c) = try self.unit(context)
            if Portal.wantsJSON(request) { return try self.unitJSON(unit, c, lang: self.language(request)) }
            return try self.unitPage(request, unit: unit, collection: c)
        }
        router.get("/u/:token/template.xlsx") { _, context -> Response in
            let (unit, c) = try self.unit(context)
            let output = self.store.temporaryPath(".xlsx")
            defer { try? FileManager.default.removeItem(at: output) }
            let jobs = self.jobs
            try await Portal.offload { try jobs.template(collection: c, unit: unit.name, to: output) }
            return Portal.download(try [UInt8](Data(contentsOf: output)), type: Portal.xlsxType,
                                   filename: "bieu-mau-" + Portal.safeName(unit.name, position: unit.position + 1, ext: "xlsx"))
        }
        router.post("/u/:token/files") { request, context -> Response in
            let (unit, c) = try self.unit(context)
            let trace = UploadTrace()
            guard await self.uploadLimiter.take(unit.token) else { throw PortalError.tooManyUploads }
            let limit = self.configuration.maxBodyBytes
            let declared = request.headers[.contentLength].flatMap(Int.init)
            if let declared, declared > limit { throw PortalError.tooLarge(limit) }
            // However many links upload at once, only so many bodies are read into memory together
            // (`uploadMemoryBytes`); the others wait with their bytes in the network buffers.
            return try await self.uploadMemory.run(declared ?? limit) {
                trace.lap("wait-memory")
                let (fields, multipart) = try await self.form(request, trace: trace)
                // The page's form carries a CSRF field (checked); a program posts without one and gets JSON.
                let api = Portal.wantsJSON(request) || fields["csrf"] == nil
                if let csrf = fields["csrf"] { try self.checkUnitCSRF(unit, csrf) }
                guard let file = multipart?.file("file"), !file.body.isEmpty else {
                    throw PortalError.badRequest(Localized(vi: "Chưa chọn tệp để tải lên (trường «file» trống).",
                                                           en: "No file was uploaded (the field 'file' is empty)."))
                }
                let record = try await self.receive(file.body, filename: Display.filename(file.filename), unit: unit, collection: c,
                                                    trace: trace)
                defer { trace.lap("respond"); trace.emit() }
                if api { return try self.uploadJSON(record, unit: unit, collection: c, lang: self.language(request), status: .created) }
                return Portal.redirect("/u/\(unit.token)/files/\(record.id)")
            }
        }
        router.get("/u/:token/files/:id") { request, context -> Response in
            let (unit, c) = try self.unit(context)
            let upload = try self.upload(context, unit: unit)
            if Portal.wantsJSON(request) { return try self.uploadJSON(upload, unit: unit, collection: c, lang: self.language(request)) }
            return try self.uploadPage(request, upload: upload, unit: unit, collection: c, message: nil)
        }
        router.get("/u/:token/files/:id/original") { _, context -> Response in
            let (unit, _) = try self.unit(context)
            return try self.originalDownload(try self.upload(context, unit: unit))
        }
        router.get("/u/:token/files/:id/annotated.xlsx") { request, context -> Response in
            let (unit, c) = try self.unit(context)
            let upload = try self.upload(context, unit: unit)
            guard upload.outcome != .unreadable else { throw PortalError.notFound }
            let output = self.store.temporaryPath(".xlsx")
            defer { try? FileManager.default.removeItem(at: output) }
            let jobs = self.jobs, lang = self.language(request), file = self.store.filePath(sha256: upload.sha256)
            try await self.checks.run(1) {
                try await Portal.offload {
                    try jobs.annotate(file: file, filename: upload.filename, collection: c, unit: unit, to: output, language: lang)
                }
            }
            return Portal.download(try [UInt8](Data(contentsOf: output)), type: Portal.xlsxType,
                                   filename: "kiem-tra-\(upload.id).xlsx")
        }
        router.post("/u/:token/files/:id/submit") { request, context -> Response in
            let (unit, c) = try self.unit(context)
            let upload = try self.upload(context, unit: unit)
            let type = request.headers[.contentType] ?? ""
            var api = true
            var confirm = false
            if type.hasPrefix("application/x-www-form-urlencoded") || type.hasPrefix("multipart/form-data") {
                let (fields, _) = try await self.form(request)
                if let csrf = fields["csrf"] {
                    try self.checkUnitCSRF(unit, csrf)
                    api = Portal.wantsJSON(request)
                }
                confirm = fields["confirmErrors"] == "on" || fields["confirmErrors"] == "true"
            } else {
                let body = try await self.body(request)
                if !body.isEmpty {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                        throw PortalError.badRequest(Localized(vi: "Nội dung yêu cầu không phải một đối tượng JSON.",
                                                               en: "The request body is not a JSON object."))
                    }
                    confirm = (object["confirmErrors"] as? Bool) ?? false
                }
            }
            do {
                let submitted = try self.submit(upload, unit: unit, confirmErrors: confirm)
                if api { return try self.uploadJSON(submitted, unit: unit, collection: c, lang: self.language(request)) }
                return Portal.redirect("/u/\(unit.token)/files/\(submitted.id)")
            } catch PortalError.conflict(let why) where !api {
                return try self.uploadPage(request, upload: upload, unit: unit, collection: c, message: why.text(self.language(request)),
                                           status: .conflict)
            }
        }
    }

    func unit(_ context: PortalContext) throws -> (UnitRecord, CollectionRecord) {
        guard let token = context.parameters.get("token"), token.count <= 64,
              let found = try store.unit(token: token) else { throw PortalError.notFound }
        return found
    }

    func upload(_ context: PortalContext, unit: UnitRecord) throws -> UploadRecord {
        guard let id = context.parameters.get("id").flatMap(Int64.init), let u = try store.upload(id, unitID: unit.id) else {
            throw PortalError.notFound
        }
        return u
    }

    func checkUnitCSRF(_ unit: UnitRecord, _ field: String?) throws {
        guard let field, Secrets.equal(field, unitCSRF(unit.token)) else { throw PortalError.csrf }
    }

    /// Checks an upload and, at the same time, stores its bytes durably under their SHA-256; when
    /// both are done, commits its row. Only after this returns is the upload acknowledged.
    ///
    /// The check is CPU work: at most `concurrentChecks` run at once, on the shared thread pool.
    /// Storing is mostly waiting for the disk (two fsyncs): it runs on the portal's own I/O threads,
    /// overlapping the check, so neither holds a check slot while the disk works.
    func receive(_ bytes: [UInt8], filename: String, unit: UnitRecord, collection: CollectionRecord,
                 trace: UploadTrace = UploadTrace()) async throws -> UploadRecord {
        let jobs = self.jobs, store = self.store, io = self.io
        async let stored: String = io.runIfActive {
            let start = UploadTrace.now()
            let sha = SHA256.hex(of: bytes)
            trace.record("sha256", since: start)
            let written = UploadTrace.now()
            try store.storeFile(bytes, sha256: sha)
            trace.record("write-fsync", since: written)
            return sha
        }
        let queued = UploadTrace.now()
        let checked = try await checks.run(1) {
            try await Portal.offload {
                trace.record("wait-check", since: queued)
                let start = UploadTrace.now()
                defer { trace.record("check", since: start) }
                return jobs.check(bytes: bytes, filename: filename, collection: collection, unit: unit)
            }
        }
        let sha = try await stored
        trace.lap("check-and-store")
        return try await io.runIfActive {
            defer { trace.lap("commit") }
            return try store.addUpload(NewUpload(
                sha256: sha, size: bytes.count, filename: filename, outcome: checked.outcome,
                formFound: checked.formFound, unitFound: checked.unitFound, periodFound: checked.periodFound,
                errors: checked.errors, warnings: checked.warnings, reportVI: checked.reportVI, reportEN: checked.reportEN,
                groupsVI: checked.groupsVI, groupsEN: checked.groupsEN, reasonVI: checked.reasonVI, reasonEN: checked.reasonEN),
                unit: unit)
        }
    }

    /// Marks an upload as the unit's submission. Refused and unreadable files never are; a file with
    /// errors only with `confirmErrors`.
    func submit(_ upload: UploadRecord, unit: UnitRecord, confirmErrors: Bool) throws -> UploadRecord {
        switch upload.outcome {
        case .refused, .unreadable:
            throw PortalError.conflict(Localized(
                vi: "Tệp này không được nhận làm bài nộp: " + (upload.reasonVI ?? ""),
                en: "This file cannot be submitted: " + (upload.reasonEN ?? "")))
        case .checked:
            break
        }
        if upload.submittedAt != nil { return upload }
        if upload.errors > 0 && !confirmErrors {
            throw PortalError.conflict(Localized(
                vi: "Tệp còn \(upload.errors) lỗi: hãy xác nhận nộp tệp còn lỗi (confirmErrors), hoặc sửa tệp rồi tải lên lại.",
                en: "The file has \(upload.errors) error(s): confirm submitting it with its errors (confirmErrors), or fix it and upload again."))
        }
        guard let done = try store.markSubmitted(uploadID: upload.id, unitID: unit.id, confirmedErrors: upload.errors > 0) else {
            throw PortalError.notFound
        }
        return done
    }

    // MARK: - Pages

    func unitPage(_ request: Request, unit: UnitRecord, collection c: CollectionRecord) throws -> Response {
        let lang = language(request)
        let uploads = try store.uploads(unitID: unit.id)
        let current = uploads.filter { $0.submittedAt != nil }.max { $0.submittedAt! < $1.submittedAt! }
        let history = uploads.map { u -> [String: Any] in
            uploadRow(u, unit: unit, lang: lang, current: u.id == current?.id)
        }
        var context: [String: Any] = [
            "token": unit.token, "unit": unit.name, "title": c.title, "form": c.form,
            "period": periodText(c.period, lang), "deadline": Display.day(c.deadline),
            "late": Date() > c.deadline, "uploads": history, "hasUploads": !history.isEmpty,
            "unitCSRF": unitCSRF(unit.token), "maxMiB": configuration.maxBodyBytes >> 20,
        ]
        if let current { context["currentID"] = current.id }
        return page("unit", context, request: request, title: unit.name)
    }

    func uploadRow(_ u: UploadRecord, unit: UnitRecord, lang: Language, current: Bool) -> [String: Any] {
        var row: [String: Any] = [
            "id": u.id, "token": unit.token, "time": Display.time(u.uploadedAt), "filename": u.filename,
            "size": Display.size(u.size), "outcome": outcomeWord(u.outcome, lang), "outcomeClass": u.outcome.rawValue,
            "errors": u.errors, "warnings": u.warnings, "current": current,
            "checked": u.outcome == .checked,
        ]
        if let at = u.submittedAt { row["submittedAt"] = Display.time(at) }
        return row
    }

    func uploadPage(_ request: Request, upload u: UploadRecord, unit: UnitRecord, collection c: CollectionRecord,
                    message: String?, status: HTTPResponse.Status = .ok) throws -> Response {
        let lang = language(request)
        var context = uploadRow(u, unit: unit, lang: lang, current: false)
        context["unit"] = unit.name
        context["title"] = c.title
        context["period"] = periodText(c.period, lang)
        context["deadline"] = Display.day(c.deadline)
        context["unitCSRF"] = unitCSRF(unit.token)
        context["refused"] = u.outcome == .refused
        context["unreadable"] = u.outcome == .unreadable
        context["reason"] = u.reason(lang) ?? ""
        context["hasErrors"] = u.errors > 0
        context["canSubmit"] = u.outcome == .checked && u.submittedAt == nil
        context["summary"] = lang == .en ? "\(u.errors) error(s), \(u.warnings) warning(s)" : "\(u.errors) lỗi, \(u.warnings) cảnh báo"
        context["late"] = Date() > c.deadline
        if let text = u.groups(lang), let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] {
            let groups = (object["groups"] as? [[String: Any]]) ?? []
            context["groups"] = groups.map { g -> [String: Any] in
                var g = g
                g["findings"] = ((g["findings"] as? [[String: Any]]) ?? []).map { f -> [String: Any] in
                    var f = f
                    f["isError"] = (f["severity"] as? String) == "error"
                    return f
                }
                return g
            }
            context["noProblems"] = groups.isEmpty && u.outcome == .checked
            let notes = (object["notes"] as? [String]) ?? []
            context["notes"] = notes
            context["hasNotes"] = !notes.isEmpty
        }
        if let message { context["message"] = message }
        return page("upload", context, request: request, title: pages.word("checkResult", lang) + " — " + unit.name, status: status)
    }

    // MARK: - JSON

    /// `{id, outcome, form, unit, period, findings:[…as validate --format json…], summary, notes, reason, submittedAt, …}`.
    func uploadJSON(_ u: UploadRecord, unit: UnitRecord, collection c: CollectionRecord, lang: Language,
                    status: HTTPResponse.Status = .ok) throws -> Response {
        // Written with the project's JSON writer: the stored report (`validate --format json`, whose
        // "file" is this upload's file name) is spliced in as it is, after the upload's own members,
        // instead of being parsed and written again (that was a tenth of the server's time in a burst).
        let link = unitURL(unit.token) + "/files/\(u.id)"
        let members: [(String, JSONValue)] = [
            ("id", .number(String(u.id))), ("outcome", .string(u.outcome.rawValue)), ("sha256", .string(u.sha256)),
            ("size", .int(u.size)), ("uploadedAt", .string(Display.iso(u.uploadedAt))), ("reason", .optional(u.reason(lang))),
            ("submittedAt", .optional(u.submittedAt.map(Display.iso))), ("submittedWithErrors", .bool(u.confirmedErrors)),
            ("expected", .object([("form", .string(c.form)), ("unit", .string(unit.name)), ("period", .string(c.period))])),
            ("links", .object([("page", .string(link)), ("submit", .string(link + "/submit")),
                               ("original", .string(link + "/original")), ("annotated", .string(link + "/annotated.xlsx"))])),
        ]
        var text: String
        if let report = u.report(lang), report.hasPrefix("{\n"), report.contains("\"file\": ") {
            text = String(JSONValue.object(members).text.dropLast(2)) + ",\n" + report.dropFirst(2)
        } else {
            text = JSONValue.object(members + [
                ("file", .string(u.filename)), ("form", .null), ("unit", .null), ("period", .null), ("findings", .array([])),
                ("summary", .object([("errors", .int(0)), ("warnings", .int(0))])), ("notes", .array([])),
            ]).text
        }
        text += "\n"
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func unitJSON(_ unit: UnitRecord, _ c: CollectionRecord, lang: Language) throws -> Response {
        let uploads = try store.uploads(unitID: unit.id).map { u -> [String: Any] in
            ["id": u.id, "file": u.filename, "uploadedAt": Display.iso(u.uploadedAt), "outcome": u.outcome.rawValue,
             "errors": u.errors, "warnings": u.warnings, "submittedAt": u.submittedAt.map(Display.iso) ?? NSNull()]
        }
        return Portal.jsonResponse([
            "unit": unit.name, "collection": c.title, "form": c.form, "period": c.period,
            "deadline": Display.iso(c.deadline), "uploads": uploads,
        ])
    }
}
