import AppendixModel
import FormSchema
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import NIOCore
import NIOPosix
import Support

/// The submission portal: one process serving the collector's pages, the units' upload pages and
/// the JSON API, over the store (SQLite + files by SHA-256) and the library's jobs.
///
/// ```swift
/// let portal = try Portal(configuration: .init(dataFolder: URL(fileURLWithPath: "data")))
/// try await portal.makeApplication().runService()
/// ```
public final class Portal: Sendable {
    public let configuration: PortalConfiguration
    public let store: Store
    let pages: Pages
    let jobs: Jobs
    let library: FormLibrary
    let secret: [UInt8]
    let signInFailures: RateLimiter
    let signInAddressFailures: RateLimiter
    let uploadLimiter: RateLimiter
    /// Bytes of upload bodies in memory, over all links (`uploadMemoryBytes`).
    let uploadMemory: Allowance
    /// Checks of uploads running at once (`concurrentChecks`).
    let checks: Allowance
    let trustedProxies: Set<String>
    /// Threads for blocking disk work of uploads (writing, fsync, the row's commit), apart from the
    /// shared pool where checks run, so that waiting for the disk never holds up a check.
    let io: NIOThreadPool
    /// Checked when the user name is unknown, so that it costs as much as a wrong password.
    let dummyHash: String

    public init(configuration: PortalConfiguration) throws {
        self.configuration = configuration
        store = try Store(folder: configuration.dataFolder)
        pages = try Pages()
        library = try FormLibrary.load(extraFolders: configuration.formsDirs)
        jobs = Jobs(library: library)
        secret = try Secrets.serverSecret(folder: configuration.dataFolder)
        signInFailures = RateLimiter(limit: configuration.signInFailures, window: configuration.signInWindow)
        signInAddressFailures = RateLimiter(limit: configuration.signInFailuresPerAddress, window: configuration.signInWindow)
        uploadLimiter = RateLimiter(limit: configuration.uploadsPerLinkPerMinute, window: 60)
        uploadMemory = Allowance(capacity: configuration.uploadMemoryBytes)
        checks = Allowance(capacity: configuration.concurrentChecks)
        trustedProxies = Set(configuration.trustedProxies.map(ClientAddress.normalise))
        io = NIOThreadPool(numberOfThreads: 8)
        io.start()
        dummyHash = Bcrypt.hash(Secrets.token(), cost: configuration.bcryptCost)
    }

    deinit {
        io.shutdownGracefully { _ in }
    }

    // MARK: - Accounts

    /// Creates the collector's account, or sets a new password for it.
    public func addUser(name: String, password: String) throws {
        let clean = TextNormalization.collapseWhitespace(TextNormalization.nfc(name))
        guard !clean.isEmpty, clean.count <= 100 else {
            throw BieuMauError(.usage, vi: "Tên đăng nhập không được để trống và dài tối đa 100 ký tự.",
                               en: "The user name must not be empty and may have at most 100 characters.")
        }
        guard password.count >= 8 else {
            throw BieuMauError(.usage, vi: "Mật khẩu cần ít nhất 8 ký tự.", en: "The password needs at least 8 characters.")
        }
        try store.addUser(name: clean, passwordHash: Bcrypt.hash(password, cost: configuration.bcryptCost))
    }

    // MARK: - Application

    public func makeApplication(onServerRunning: @escaping @Sendable () async -> Void = {}) -> some ApplicationProtocol {
        Application(router: makeRouter(),
                    configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                         serverName: nil),
                    onServerRunning: { _ in await onServerRunning() })
    }

    public func makeRouter() -> Router<PortalContext> {
        let router = Router(context: PortalContext.self)
        router.add(middleware: Guard(portal: self))
        addPageRoutes(router)
        addUnitRoutes(router)
        addAPIRoutes(router)
        return router
    }

    /// Runs until the process is stopped (SIGINT/SIGTERM end it gracefully).
    public func run(onServerRunning: @escaping @Sendable () async -> Void = {}) async throws {
        try await makeApplication(onServerRunning: onServerRunning).runService()
    }

    /// Runs from synchronous code (the command line), blocking until the server stops.
    public func runBlocking(onServerRunning: @escaping @Sendable () async -> Void = {}) throws {
        final class Outcome: @unchecked Sendable { var error: Error? }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await self.run(onServerRunning: onServerRunning) } catch { outcome.error = error }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw error }
    }

    // MARK: - Sessions

    struct Session: Sendable {
        var user: UserRecord
        var csrf: String
        /// Signed in by `Authorization: Bearer` (the API): no cookie, hence no CSRF check.
        var bearer: Bool
    }

    static let sessionCookie = "bm_session"
    static let loginCookie = "bm_login"
    static let langCookie = "bm_lang"

    func session(_ request: Request) throws -> Session? {
        if let auth = request.headers[.authorization], auth.lowercased().hasPrefix("bearer ") {
            let token = String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            guard let (user, csrf) = try store.session(tokenHash: Secrets.sha256(token)) else { return nil }
            return Session(user: user, csrf: csrf, bearer: true)
        }
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty,
              let (user, csrf) = try store.session(tokenHash: Secrets.sha256(token)) else { return nil }
        return Session(user: user, csrf: csrf, bearer: false)
    }

    /// The collector's session, or a redirect to the sign-in page (pages) / 401 (API).
    func requireSession(_ request: Request, api: Bool) throws -> Session {
        if let s = try session(request) { return s }
        if api { throw PortalError.unauthorized }
        throw PortalError.redirect("/login")
    }

    /// Unsafe methods with a cookie session need the session's CSRF token (form field `csrf` or header `X-CSRF-Token`).
    func checkCSRF(_ session: Session, request: Request, field: String?) throws {
        if session.bearer { return }
        let given = field ?? request.headers[Self.csrfHeader]
        guard let given, Secrets.equal(given, session.csrf) else { throw PortalError.csrf }
    }

    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    func sessionCookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(name: Self.sessionCookie, value: value, maxAge: maxAge, path: "/", secure: configuration.secureCookies,
               httpOnly: true, sameSite: .lax)
    }

    /// The CSRF token of a unit's forms: a keyed hash of its link token (no session needed).
    func unitCSRF(_ token: String) -> String { String(Secrets.hmac(key: secret, "unit-form:" + token).prefix(32)) }

    /// The most upload checks that have run at once, and the most bytes of upload bodies held at
    /// once, since the start (what `concurrentChecks` and `uploadMemoryBytes` bound).
    public func admissionPeaks() async -> (checks: Int, uploadBytes: Int) {
        (await checks.peakHolders, await uploadMemory.peakUsed)
    }

    /// The client's address for per-address limits (`X-Forwarded-For` only from a trusted proxy).
    func clientAddress(_ request: Request, _ context: PortalContext) -> String {
        ClientAddress.of(peer: context.remoteAddress?.ipAddress, forwardedFor: request.headers[values: ClientAddress.forwardedFor],
                         trusted: trustedProxies)
    }

    // MARK: - Language

    func language(_ request: Request) -> Language {
        if let q = request.uri.queryParameters.get("lang"), let l = Language(rawValue: q) { return l }
        if let c = request.cookies[Self.langCookie]?.value, let l = Language(rawValue: c) { return l }
        return .vi
    }

    // MARK: - Bodies

    /// The request body, bounded by the configured limit (413 beyond it).
    func body(_ request: Request) async throws -> [UInt8] {
        let limit = configuration.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw PortalError.tooLarge(limit)
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw PortalError.tooLarge(limit)
        }
    }

    /// Form fields of a urlencoded or multipart body (and the multipart form, for files).
    func form(_ request: Request, trace: UploadTrace? = nil) async throws -> (fields: [String: String], multipart: MultipartForm?) {
        let bytes = try await body(request)
        trace?.lap("body")
        let type = request.headers[.contentType] ?? ""
        if let boundary = MultipartForm.boundary(contentType: type) {
            guard let form = try? MultipartForm.parse(bytes, boundary: boundary) else { throw PortalError.badRequest(nil) }
            trace?.lap("multipart")
            var fields: [String: String] = [:]
            for p in form.parts where p.filename == nil && fields[p.name] == nil {
                fields[p.name] = String(decoding: p.body, as: UTF8.self)
            }
            return (fields, form)
        }
        return (URLEncodedForm.parse(bytes), nil)
    }

    func json(_ request: Request) async throws -> [String: Any] {
        let bytes = try await body(request)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw PortalError.badRequest(Localized(vi: "Nội dung yêu cầu không phải một đối tượng JSON.",
                                                   en: "The request body is not a JSON object."))
        }
        return object
    }

    /// The client asked for JSON (the API) rather than a page.
    static func wantsJSON(_ request: Request) -> Bool {
        let accept = request.headers[.accept] ?? ""
        return accept.contains("application/json") && !accept.contains("text/html")
    }

    // MARK: - Responses

    func page(_ template: String, _ context: [String: Any], request: Request, title: String, session: Session? = nil,
              status: HTTPResponse.Status = .ok) -> Response {
        let lang = language(request)
        let html = pages.render(template, context, lang: lang, path: request.uri.path, title: title,
                                signedIn: session?.user.name, csrf: session?.csrf)
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func jsonResponse(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// A download: the name is ASCII made by the portal (never the user's), with an RFC 5987 UTF-8 form.
    static func download(_ bytes: [UInt8], type: String, filename: String) -> Response {
        let ascii = String(filename.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_" })
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ascii
        return Response(status: .ok,
                        headers: [.contentType: type,
                                  .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// Runs CPU-bound or blocking work off the server's event loops.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }
}

/// What a handler can fail with; the guard middleware turns each into a page or a JSON error.
enum PortalError: Error {
    case notFound
    case redirect(String)
    case unauthorized
    case csrf
    case tooLarge(Int)
    case tooManyUploads
    case throttled
    case badRequest(Localized?)
    case conflict(Localized)
}

/// Security headers on every response; errors rendered for people (pages) or programs (JSON).
struct Guard: RouterMiddleware {
    typealias Context = PortalContext
    let portal: Portal

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as PortalError {
            response = render(error, request)
        } catch let error as HTTPError where error.status == .notFound {
            response = render(.notFound, request)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            response = render(.tooLarge(portal.configuration.maxBodyBytes), request)
        } catch {
            context.logger.error("request failed: \(error)")
            let lang = portal.language(request)
            let message = lang == .en ? "Internal error. The request was not completed; try again." : "Lỗi máy chủ. Yêu cầu chưa được thực hiện; hãy thử lại."
            response = Portal.wantsJSON(request) || request.uri.path.hasPrefix("/api/")
                ? Portal.jsonResponse(["error": message], status: .internalServerError)
                : portal.page("error", ["message": message], request: request, title: message, status: .internalServerError)
        }
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Portal.frameOptions] = "DENY"
        // Upload links carry their token in the path: never send it to another site.
        response.headers[Portal.referrerPolicy] = "no-referrer"
        if !request.uri.path.hasPrefix("/static/") { response.headers[.cacheControl] = "no-store" }
        return response
    }

    func render(_ error: PortalError, _ request: Request) -> Response {
        let lang = portal.language(request)
        let api = Portal.wantsJSON(request) || request.uri.path.hasPrefix("/api/")
        func word(_ key: String) -> String { portal.pages.word(key, lang) }
        let status: HTTPResponse.Status
        let message: String
        switch error {
        case .redirect(let to):
            return Portal.redirect(to)
        case .notFound:
            status = .notFound
            message = word("notFound")
        case .unauthorized:
            status = .unauthorized
            message = word("signInNeeded")
        case .csrf:
            status = .forbidden
            message = word("csrfFailed")
        case .tooLarge(let limit):
            status = .contentTooLarge
            let mib = String(format: "%g", Double(limit) / Double(1 << 20))
            message = lang == .en
                ? "The file is too large: the portal accepts at most \(mib) MiB per upload. Remove unneeded sheets or pictures and try again."
                : "Tệp quá lớn: cổng chỉ nhận tối đa \(mib) MiB mỗi lần tải lên. Hãy bỏ bớt các trang tính, hình ảnh không cần thiết rồi thử lại."
        case .tooManyUploads:
            status = .tooManyRequests
            message = word("tooMany")
        case .throttled:
            status = .tooManyRequests
            message = word("throttled")
        case .badRequest(let why):
            status = .badRequest
            message = why?.text(lang) ?? word("badRequest")
        case .conflict(let why):
            status = .conflict
            message = why.text(lang)
        }
        if api { return Portal.jsonResponse(["error": message], status: status) }
        return portal.page("error", ["message": message], request: request, title: word("errorTitle"), status: status)
    }
}
