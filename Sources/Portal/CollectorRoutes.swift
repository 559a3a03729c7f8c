import AppendixMerge
import AppendixModel
import BieuMau
import Foundation
import Hummingbird
import HummingbirdBcrypt
import Support

/// The collector's pages: sign-in, collections, dashboard, links, downloads.
extension Portal {
    func addPageRoutes(_ router: Router<PortalContext>) {
        router.get("/") { request, _ -> Response in
            try self.session(request) == nil ? Portal.redirect("/login") : Portal.redirect("/collections")
        }
        router.get("/static/:name") { _, context -> Response in
            guard let name = context.parameters.get("name"), let file = self.pages.staticFiles[name] else { throw PortalError.notFound }
            return Response(status: .ok, headers: [.contentType: file.type, .cacheControl: "max-age=3600"],
                            body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }
        // The language switch: a link, no script; only a local path is a valid way back.
        router.get("/lang/:lang") { request, context -> Response in
            let lang = Language(rawValue: context.parameters.get("lang") ?? "") ?? .vi
            var back = request.uri.queryParameters.get("back") ?? "/"
            if !back.hasPrefix("/") || back.hasPrefix("//") || back.contains("\\") { back = "/" }
            var response = Portal.redirect(back)
            response.setCookie(Cookie(name: Portal.langCookie, value: lang.rawValue, maxAge: 365 * 86400, path: "/",
                                      secure: self.configuration.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }

        router.get("/login") { request, _ -> Response in
            self.loginPage(request, message: nil, status: .ok)
        }
        router.post("/login") { request, context -> Response in
            let (fields, _) = try await self.form(request)
            guard let cookie = request.cookies[Portal.loginCookie]?.value, let field = fields["csrf"],
                  Secrets.equal(cookie, field) else { throw PortalError.csrf }
            let name = TextNormalization.collapseWhitespace(TextNormalization.nfc(fields["name"] ?? ""))
            do {
                let token = try await self.signIn(name: name, password: fields["password"] ?? "",
                                                  client: self.clientAddress(request, context))
                var response = Portal.redirect("/collections")
                response.setCookie(self.sessionCookie(token, maxAge: Int(self.configuration.sessionLifetime)))
                return response
            } catch PortalError.unauthorized {
                // A page, not an HTTP authentication challenge: 200 with the message (the API answers 401).
                return self.loginPage(request, message: self.pages.word("badLogin", self.language(request)), status: .ok)
            } catch PortalError.throttled {
                return self.loginPage(request, message: self.pages.word("throttled", self.language(request)), status: .tooManyRequests)
            }
        }
        router.post("/logout") { request, _ -> Response in
            let (fields, _) = try await self.form(request)
            if let s = try self.session(request) {
                try self.checkCSRF(s, request: request, field: fields["csrf"])
                if let token = request.cookies[Portal.sessionCookie]?.value { try self.store.deleteSession(tokenHash: Secrets.sha256(token)) }
            }
            var response = Portal.redirect("/login")
            response.setCookie(self.sessionCookie("", maxAge: 0))
            return response
        }

        router.get("/collections") { request, _ -> Response in
            let s = try self.requireSession(request, api: false)
            return try self.collectionsPage(request, session: s, message: nil, values: [:], status: .ok)
        }
        router.post("/collections") { request, _ -> Response in
            let s = try self.requireSession(request, api: false)
            let (fields, multipart) = try await self.form(request)
            try self.checkCSRF(s, request: request, field: fields["csrf"])
            var unitsText = fields["units"] ?? ""
            if let file = multipart?.file("unitsFile"), !file.body.isEmpty {
                guard let text = String(validating: file.body, as: UTF8.self) else {
                    return try self.collectionsPage(request, session: s, message: Localized(
                        vi: "Tệp danh sách đơn vị không phải văn bản UTF-8. Hãy lưu lại dưới dạng UTF-8.",
                        en: "The list of units is not UTF-8 text. Save it as UTF-8."), values: fields, status: .badRequest)
                }
                unitsText += "\n" + text
            }
            do {
                let id = try self.createCollection(title: fields["title"] ?? "", form: fields["form"] ?? "",
                                                   period: fields["period"] ?? "", deadline: fields["deadline"] ?? "",
                                                   parentUnit: fields["parentUnit"] ?? "",
                                                   units: ExpectedUnits.parse(unitsText), by: s.user)
                return Portal.redirect("/collections/\(id)")
            } catch PortalError.badRequest(let why?) {
                return try self.collectionsPage(request, session: s, message: why, values: fields, status: .badRequest)
            }
        }

        router.get("/collections/:id") { request, context -> Response in
            let s = try self.requireSession(request, api: false)
            let c = try self.collection(context)
            return try self.dashboardPage(request, session: s, collection: c)
        }
        router.get("/collections/:id/links") { request, context -> Response in
            let s = try self.requireSession(request, api: false)
            let c = try self.collection(context)
            return try self.linksPage(request, session: s, collection: c)
        }
        for action in ["renew", "revoke"] {
            router.post("/collections/:id/units/:unit/\(action)") { request, context -> Response in
                let s = try self.requireSession(request, api: false)
                let (fields, _) = try await self.form(request)
                try self.checkCSRF(s, request: request, field: fields["csrf"])
                let c = try self.collection(context)
                guard let unitID = context.parameters.get("unit").flatMap(Int64.init) else { throw PortalError.notFound }
                let changed = action == "renew"
                    ? try self.store.renewToken(unitID: unitID, collectionID: c.id, token: Secrets.token())
                    : try self.store.revoke(unitID: unitID, collectionID: c.id)
                guard changed else { throw PortalError.notFound }
                return Portal.redirect("/collections/\(c.id)/links")
            }
        }
        router.get("/collections/:id/merged.xlsx") { request, context -> Response in
            _ = try self.requireSession(request, api: false)
            return try await self.mergedDownload(try self.collection(context))
        }
        router.get("/collections/:id/originals.zip") { request, context -> Response in
            _ = try self.requireSession(request, api: false)
            return try await self.originalsDownload(try self.collection(context))
        }
        router.get("/collections/:id/findings.csv") { request, context -> Response in
            _ = try self.requireSession(request, api: false)
            return try self.findingsDownload(try self.collection(context), lang: self.language(request))
        }
        router.get("/collections/:id/uploads/:upload/original") { request, context -> Response in
            _ = try self.requireSession(request, api: false)
            let c = try self.collection(context)
            guard let id = context.parameters.get("upload").flatMap(Int64.init),
                  let u = try self.store.upload(id, collectionID: c.id) else { throw PortalError.notFound }
            return try self.originalDownload(u)
        }
    }

    // MARK: - Sign-in

    /// Checks the password (bcrypt, off the event loop) and opens a session; returns the session token.
    /// Failures are counted per user name and per client address: past either limit, sign-in is
    /// refused for the window (a guesser trying many names from one address, or one name from many).
    func signIn(name: String, password: String, client: String) async throws -> String {
        let key = "user:" + name.lowercased(), address = "addr:" + client
        guard await signInFailures.allows(key), await signInAddressFailures.allows(address) else { throw PortalError.throttled }
        let found = try store.user(named: name)
        let ok = try await Portal.offload { () -> Bool in
            // An unknown name costs the same time as a wrong password.
            let hash = found?.1 ?? self.dummyHash
            return Bcrypt.verify(password, hash: hash)
        }
        guard ok, let user = found?.0 else {
            await signInFailures.record(key)
            await signInAddressFailures.record(address)
            throw PortalError.unauthorized
        }
        await signInFailures.reset(key)
        let token = Secrets.token(bytes: 32)
        try store.createSession(userID: user.id, tokenHash: Secrets.sha256(token), csrf: Secrets.token(),
                                lifetime: configuration.sessionLifetime)
        return token
    }

    func loginPage(_ request: Request, message: String?, status: HTTPResponse.Status) -> Response {
        let csrf = Secrets.token()
        var context: [String: Any] = ["loginCSRF": csrf]
        if let message { context["message"] = message }
        let lang = language(request)
        var response = page("login", context, request: request, title: pages.word("signIn", lang), status: status)
        response.setCookie(Cookie(name: Portal.loginCookie, value: csrf, maxAge: 3600, path: "/login",
                                  secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    // MARK: - Collections

    func collection(_ context: PortalContext) throws -> CollectionRecord {
        guard let id = context.parameters.get("id").flatMap(Int64.init), let c = try store.collection(id) else {
            throw PortalError.notFound
        }
        return c
    }

    static let maxUnits = 2_000

    /// Checks a new collection's fields and stores it with a fresh link per unit.
    func createCollection(title: String, form: String, period: String, deadline: String, parentUnit: String,
                          units: [String], by user: UserRecord?) throws -> Int64 {
        func bad(_ vi: String, _ en: String) -> PortalError { .badRequest(Localized(vi: vi, en: en)) }
        let clean = { (s: String) in TextNormalization.collapseWhitespace(TextNormalization.nfc(s)) }
        guard let definition = library.form(form.trimmingCharacters(in: .whitespaces)) else {
            throw bad("Không có biểu mẫu «\(form)». Các biểu mẫu có: \(library.forms.map(\.id).joined(separator: ", ")).",
                      "There is no form '\(form)'. Known forms: \(library.forms.map(\.id).joined(separator: ", ")).")
        }
        let periodValue: Period
        do { periodValue = try Period.option(period) } catch let e as BieuMauError {
            throw PortalError.badRequest(e.message)
        }
        guard let due = Display.deadline(deadline) else {
            throw bad("Hạn nộp «\(deadline)» không phải một ngày (yyyy-mm-dd).", "The deadline '\(deadline)' is not a date (yyyy-mm-dd).")
        }
        let names = units.map(clean).filter { !$0.isEmpty }
        guard !names.isEmpty else {
            throw bad("Hãy nêu ít nhất một đơn vị phải nộp (mỗi dòng một đơn vị).", "Name at least one unit that must submit (one per line).")
        }
        guard names.count <= Self.maxUnits else {
            throw bad("Một đợt có tối đa \(Self.maxUnits) đơn vị (đang có \(names.count)).",
                      "A collection has at most \(Self.maxUnits) units (\(names.count) given).")
        }
        if let long = names.first(where: { $0.count > 200 }) {
            throw bad("Tên đơn vị quá dài (tối đa 200 ký tự): «\(long.prefix(60))…».", "A unit name is too long (at most 200 characters): '\(long.prefix(60))…'.")
        }
        var seen: [String: String] = [:]
        for n in names {
            let key = UnitIdentity.key(n)
            if let other = seen[key] {
                throw bad("«\(n)» và «\(other)» là cùng một đơn vị. Mỗi đơn vị chỉ ghi một lần.",
                          "'\(n)' and '\(other)' are the same unit. List each unit once.")
            }
            seen[key] = n
        }
        let parent = clean(parentUnit)
        guard !parent.isEmpty, parent.count <= 200 else {
            throw bad("Hãy ghi đơn vị tổng hợp (vd. UBND tỉnh Bắc Kạn).", "Name the collecting unit (e.g. UBND tỉnh Bắc Kạn).")
        }
        var name = clean(title)
        if name.isEmpty { name = "\(definition.id) — \(periodValue.vietnamese)" }
        if name.count > 200 { name = String(name.prefix(200)) }
        return try store.createCollection(title: name, form: definition.id, period: WorkbookProperty.encode(periodValue),
                                          deadline: due, parentUnit: parent, units: names, createdBy: user?.id,
                                          token: { Secrets.token() })
    }

    func periodText(_ stored: String, _ lang: Language) -> String {
        guard let p = WorkbookProperty.decodePeriod(stored) else { return stored }
        return lang == .en ? p.english : p.vietnamese
    }

    func collectionsPage(_ request: Request, session: Session, message: Localized?, values: [String: String],
                         status: HTTPResponse.Status) throws -> Response {
        let lang = language(request)
        let items = try store.collections().map { c -> [String: Any] in
            let p = try store.progress(collection: c)
            return ["id": c.id, "title": c.title, "form": c.form, "period": periodText(c.period, lang),
                    "deadline": Display.day(c.deadline), "submitted": p.submittedCount, "total": p.units.count]
        }
        let forms = library.forms.map { f -> [String: Any] in
            ["id": f.id, "title": f.title, "selected": f.id == (values["form"] ?? library.defaultForm?.id)]
        }
        var context: [String: Any] = ["collections": items, "hasCollections": !items.isEmpty, "forms": forms,
                                      "values": values]
        if let message { context["message"] = message.text(lang) }
        return page("collections", context, request: request, title: pages.word("collections", lang), session: session,
                    status: status)
    }

    func unitURL(_ token: String) -> String { configuration.baseURL + "/u/" + token }
}
