import Foundation

/// How a portal runs: where its data lives, where it listens, and its limits.
public struct PortalConfiguration: Sendable {
    /// The data folder: `portal.sqlite`, `files/`, `tmp/`, `secret`. Backing it up is backing up the portal.
    public var dataFolder: URL
    public var host: String
    public var port: Int
    /// The address units reach the portal at, for the links printed and sent (e.g. `https://nopbieu.example.gov.vn`).
    /// Default: `http://HOST:PORT`.
    public var publicURL: String?
    /// Largest request body accepted (an upload with its form fields). Default 20 MiB.
    public var maxBodyBytes: Int
    /// Uploads one link may make in a minute.
    public var uploadsPerLinkPerMinute: Int
    /// Failed sign-ins allowed per user name in `signInWindow` before sign-in is refused for a while.
    public var signInFailures: Int
    public var signInWindow: TimeInterval
    /// bcrypt cost for new passwords.
    public var bcryptCost: UInt8
    /// Set the `Secure` flag on cookies (the portal is reached over HTTPS through a reverse proxy).
    public var secureCookies: Bool
    /// Session lifetime.
    public var sessionLifetime: TimeInterval
    /// Extra folders of forms (`--forms-dir`).
    public var formsDirs: [String]

    public init(dataFolder: URL, host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil,
                maxBodyBytes: Int = 20 << 20, uploadsPerLinkPerMinute: Int = 30, signInFailures: Int = 5,
                signInWindow: TimeInterval = 300, bcryptCost: UInt8 = 12, secureCookies: Bool = false,
                sessionLifetime: TimeInterval = 12 * 3600, formsDirs: [String] = []) {
        self.dataFolder = dataFolder
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.maxBodyBytes = maxBodyBytes
        self.uploadsPerLinkPerMinute = uploadsPerLinkPerMinute
        self.signInFailures = signInFailures
        self.signInWindow = signInWindow
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
        self.formsDirs = formsDirs
    }

    /// The base of printed links, without a trailing slash.
    public var baseURL: String {
        if let publicURL, !publicURL.isEmpty {
            return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        }
        let h = host.contains(":") ? "[\(host)]" : host
        return "http://\(h):\(port)"
    }
}
