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
    /// Failed sign-ins allowed per client address (any user names) in `signInWindow`.
    public var signInFailuresPerAddress: Int
    public var signInWindow: TimeInterval
    /// Addresses of reverse proxies whose `X-Forwarded-For` header names the client (for the
    /// per-address limits). Empty (the default): the header is ignored and the connected peer counts.
    public var trustedProxies: [String]
    /// Bytes of upload bodies held in memory at once, over all links; further uploads wait their
    /// turn (their bytes stay in the network buffers). Default 128 MiB.
    public var uploadMemoryBytes: Int
    /// Uploads checked (read, validated, stored) at the same time; the others wait. Default: the cores.
    public var concurrentChecks: Int
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
                signInFailuresPerAddress: Int = 20, signInWindow: TimeInterval = 300, trustedProxies: [String] = [],
                uploadMemoryBytes: Int = 128 << 20,
                concurrentChecks: Int = max(1, ProcessInfo.processInfo.activeProcessorCount),
                bcryptCost: UInt8 = 12, secureCookies: Bool = false,
                sessionLifetime: TimeInterval = 12 * 3600, formsDirs: [String] = []) {
        self.dataFolder = dataFolder
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.maxBodyBytes = maxBodyBytes
        self.uploadsPerLinkPerMinute = uploadsPerLinkPerMinute
        self.signInFailures = signInFailures
        self.signInFailuresPerAddress = signInFailuresPerAddress
        self.signInWindow = signInWindow
        self.trustedProxies = trustedProxies
        self.uploadMemoryBytes = uploadMemoryBytes
        self.concurrentChecks = concurrentChecks
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
