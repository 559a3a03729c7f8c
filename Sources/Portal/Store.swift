import CryptoWrapper
import Foundation
import GRDB
import Support

/// The portal's memory: one SQLite database (WAL) and a folder of files named by their SHA-256.
///
/// Data folder layout:
/// ```
/// DATA/portal.sqlite      users, sessions, collections, units (links), uploads
/// DATA/files/ab/abcd…     every uploaded file, original bytes, named by its SHA-256
/// DATA/tmp/               files being written (a crash leaves at most a stray file here)
/// ```
/// An upload is stored in this order: bytes to `tmp/`, fsync, rename into `files/`, fsync the
/// folder, and only then the row is committed. A row therefore never names a missing file; a
/// file without a row (after a crash) is harmless and reused by the next identical upload.
public final class Store: Sendable {
    public let folder: URL
    let pool: DatabasePool

    public init(folder: URL) throws {
        self.folder = folder
        let fm = FileManager.default
        for sub in ["", "files", "tmp"] {
            try fm.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: folder.appendingPathComponent("portal.sqlite").path, configuration: config)
        try Self.migrator.migrate(pool)
        // Stray temporaries of an earlier run (killed mid-write) are never referenced: remove them.
        if let names = try? fm.contentsOfDirectory(atPath: folder.appendingPathComponent("tmp").path) {
            for n in names { try? fm.removeItem(at: folder.appendingPathComponent("tmp").appendingPathComponent(n)) }
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
                  created_at REAL NOT NULL);
                CREATE TABLE sessions (
                  token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                  csrf TEXT NOT NULL, created_at REAL NOT NULL, expires_at REAL NOT NULL);
                CREATE TABLE collections (
                  id INTEGER PRIMARY KEY, title TEXT NOT NULL, form TEXT NOT NULL, period TEXT NOT NULL,
                  deadline REAL NOT NULL, parent_unit TEXT NOT NULL, created_at REAL NOT NULL,
                  created_by INTEGER REFERENCES users(id));
                CREATE TABLE units (
                  id INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL REFERENCES collections(id),
                  position INTEGER NOT NULL, name TEXT NOT NULL, token TEXT NOT NULL UNIQUE,
                  revoked_at REAL);
                CREATE INDEX units_collection ON units(collection_id, position);
                CREATE TABLE uploads (
                  id INTEGER PRIMARY KEY, unit_id INTEGER NOT NULL REFERENCES units(id),
                  collection_id INTEGER NOT NULL REFERENCES collections(id),
                  sha256 TEXT NOT NULL, size INTEGER NOT NULL, filename TEXT NOT NULL,
                  uploaded_at REAL NOT NULL,
                  outcome TEXT NOT NULL,          -- checked | refused | unreadable
                  form_found TEXT, unit_found TEXT, period_found TEXT,
                  errors INTEGER NOT NULL DEFAULT 0, warnings INTEGER NOT NULL DEFAULT 0,
                  report_vi TEXT, report_en TEXT,  -- the validation report, JSON as `validate --format json`
                  groups_vi TEXT, groups_en TEXT,  -- the findings grouped by section, for the page
                  reason_vi TEXT, reason_en TEXT,  -- why it was refused or could not be read
                  submitted_at REAL, confirmed_errors INTEGER NOT NULL DEFAULT 0);
                CREATE INDEX uploads_unit ON uploads(unit_id, id);
                CREATE INDEX uploads_collection ON uploads(collection_id, submitted_at);
                """)
        }
        return m
    }

    // MARK: - Files

    /// Where the bytes with this SHA-256 live (the name is the hash only: user text never reaches a path).
    public func filePath(sha256: String) -> URL {
        precondition(sha256.count == 64 && sha256.allSatisfy(\.isHexDigit), "not a SHA-256")
        return folder.appendingPathComponent("files").appendingPathComponent(String(sha256.prefix(2)))
            .appendingPathComponent(sha256)
    }

    /// Writes `bytes` under their SHA-256, durably (fsync of the file and of its folder), and returns the hash.
    public func storeFile(_ bytes: [UInt8]) throws -> String {
        let sha = SHA256.hex(of: bytes)
        try storeFile(bytes, sha256: sha)
        return sha
    }

    /// Writes `bytes`, whose SHA-256 the caller has computed, durably under it.
    func storeFile(_ bytes: [UInt8], sha256 sha: String) throws {
        let target = filePath(sha256: sha)
        let fm = FileManager.default
        if fm.fileExists(atPath: target.path) { return }
        let dir = target.deletingLastPathComponent()
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        let tmp = folder.appendingPathComponent("tmp").appendingPathComponent(UUID().uuidString)
        let fd = open(tmp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw StoreError.io("open \(tmp.lastPathComponent): errno \(errno)") }
        var ok = false
        defer {
            if !ok { unlink(tmp.path) }
        }
        do {
            defer { close(fd) }
            var offset = 0
            try bytes.withUnsafeBytes { raw in
                while offset < raw.count {
                    let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw StoreError.io("write: errno \(errno)")
                    }
                    offset += n
                }
            }
            guard fsync(fd) == 0 else { throw StoreError.io("fsync: errno \(errno)") }
        }
        guard rename(tmp.path, target.path) == 0 else { throw StoreError.io("rename: errno \(errno)") }
        ok = true
        Self.syncFolder(dir)
    }

    static func syncFolder(_ dir: URL) {
        let fd = open(dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// A fresh path under `tmp/` for an output being produced (merged workbook, zip, annotated copy).
    public func temporaryPath(_ suffix: String) -> URL {
        folder.appendingPathComponent("tmp").appendingPathComponent(UUID().uuidString + suffix)
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case io(String)
    public var description: String {
        switch self { case .io(let s): return "storage: \(s)" }
    }
}

// MARK: - Records

public struct UserRecord: Sendable, Hashable {
    public var id: Int64
    public var name: String
}

public struct CollectionRecord: Sendable, Hashable {
    public var id: Int64
    public var title: String
    public var form: String
    /// Stored form `quy-1/2023` (`WorkbookProperty.encode`).
    public var period: String
    public var deadline: Date
    public var parentUnit: String
    public var createdAt: Date

    init(row: Row) {
        id = row["id"]
        title = row["title"]
        form = row["form"]
        period = row["period"]
        deadline = Date(timeIntervalSince1970: row["deadline"])
        parentUnit = row["parent_unit"]
        createdAt = Date(timeIntervalSince1970: row["created_at"])
    }
}

public struct UnitRecord: Sendable, Hashable {
    public var id: Int64
    public var collectionID: Int64
    public var position: Int
    public var name: String
    public var token: String
    public var revokedAt: Date?

    init(row: Row) {
        id = row["id"]
        collectionID = row["collection_id"]
        position = row["position"]
        name = row["name"]
        token = row["token"]
        revokedAt = (row["revoked_at"] as Double?).map { Date(timeIntervalSince1970: $0) }
    }
}

public enum UploadOutcome: String, Sendable {
    /// Read and validated: may be submitted (with confirmation when it has errors).
    case checked
    /// Another unit's, period's or form's file: kept, never a submission.
    case refused
    /// Not readable as an appendix (corrupt, wrong kind of file, over a limit).
    case unreadable
}

/// A stored upload: what was found in the file (`NewUpload`) plus what the store adds (ids, times,
/// submission). The found fields are read through `content` or directly (`upload.filename`).
@dynamicMemberLookup
public struct UploadRecord: Sendable, Hashable {
    public var id: Int64
    public var unitID: Int64
    public var collectionID: Int64
    public var uploadedAt: Date
    public var submittedAt: Date?
    public var confirmedErrors: Bool
    /// What the upload's file held, as it was inserted.
    public var content: NewUpload

    public subscript<T>(dynamicMember path: WritableKeyPath<NewUpload, T>) -> T {
        get { content[keyPath: path] }
        set { content[keyPath: path] = newValue }
    }

    init(row: Row) {
        id = row["id"]
        unitID = row["unit_id"]
        collectionID = row["collection_id"]
        uploadedAt = Date(timeIntervalSince1970: row["uploaded_at"])
        submittedAt = (row["submitted_at"] as Double?).map { Date(timeIntervalSince1970: $0) }
        confirmedErrors = (row["confirmed_errors"] as Int?) == 1
        content = NewUpload(row: row)
    }

    public func report(_ lang: Language) -> String? { content.report(lang) }
    public func groups(_ lang: Language) -> String? { content.groups(lang) }
    public func reason(_ lang: Language) -> String? { content.reason(lang) }
}

/// What a new upload row holds (the id and time are given by the store).
public struct NewUpload: Sendable, Hashable {
    public var sha256: String
    public var size: Int
    public var filename: String
    public var outcome: UploadOutcome
    public var formFound: String?
    public var unitFound: String?
    public var periodFound: String?
    public var errors: Int
    public var warnings: Int
    public var reportVI: String?
    public var reportEN: String?
    public var groupsVI: String?
    public var groupsEN: String?
    public var reasonVI: String?
    public var reasonEN: String?

    public func report(_ lang: Language) -> String? { lang == .en ? reportEN : reportVI }
    public func groups(_ lang: Language) -> String? { lang == .en ? groupsEN : groupsVI }
    public func reason(_ lang: Language) -> String? { lang == .en ? reasonEN : reasonVI }
}

extension NewUpload {
    init(row: Row) {
        self.init(sha256: row["sha256"], size: row["size"], filename: row["filename"],
                  outcome: UploadOutcome(rawValue: row["outcome"]) ?? .unreadable,
                  formFound: row["form_found"], unitFound: row["unit_found"], periodFound: row["period_found"],
                  errors: row["errors"], warnings: row["warnings"],
                  reportVI: row["report_vi"], reportEN: row["report_en"],
                  groupsVI: row["groups_vi"], groupsEN: row["groups_en"],
                  reasonVI: row["reason_vi"], reasonEN: row["reason_en"])
    }
}

// MARK: - Queries

extension Store {
    // Users

    public func addUser(name: String, passwordHash: String) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO users(name, password_hash, created_at) VALUES (?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash
                """,
                           arguments: [name, passwordHash, Date().timeIntervalSince1970])
        }
    }

    public func user(named name: String) throws -> (UserRecord, String)? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, name, password_hash FROM users WHERE name = ?",
                                             arguments: [name]) else { return nil }
            return (UserRecord(id: row["id"], name: row["name"]), row["password_hash"])
        }
    }

    public func userCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") ?? 0 }
    }

    // Sessions: only the SHA-256 of the cookie's token is kept.

    public func createSession(userID: Int64, tokenHash: String, csrf: String, lifetime: TimeInterval) throws {
        let now = Date().timeIntervalSince1970
        try pool.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at < ?", arguments: [now])
            try db.execute(sql: "INSERT INTO sessions(token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [tokenHash, userID, csrf, now, now + lifetime])
        }
    }

    public func session(tokenHash: String) throws -> (UserRecord, csrf: String)? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT u.id, u.name, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.token_hash = ? AND s.expires_at > ?
                """, arguments: [tokenHash, Date().timeIntervalSince1970]) else { return nil }
            return (UserRecord(id: row["id"], name: row["name"]), row["csrf"])
        }
    }

    public func deleteSession(tokenHash: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash]) }
    }

    // Collections and their units

    public func createCollection(title: String, form: String, period: String, deadline: Date, parentUnit: String,
                                 units: [String], createdBy: Int64?, token: () -> String) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO collections(title, form, period, deadline, parent_unit, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [title, form, period, deadline.timeIntervalSince1970, parentUnit,
                                 Date().timeIntervalSince1970, createdBy])
            let id = db.lastInsertedRowID
            for (i, name) in units.enumerated() {
                try db.execute(sql: "INSERT INTO units(collection_id, position, name, token) VALUES (?, ?, ?, ?)",
                               arguments: [id, i, name, token()])
            }
            return id
        }
    }

    public func collections() throws -> [CollectionRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM collections ORDER BY id DESC").map(CollectionRecord.init(row:))
        }
    }

    public func collection(_ id: Int64) throws -> CollectionRecord? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM collections WHERE id = ?", arguments: [id]).map(CollectionRecord.init(row:))
        }
    }

    public func units(collection id: Int64) throws -> [UnitRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM units WHERE collection_id = ? ORDER BY position", arguments: [id])
                .map(UnitRecord.init(row:))
        }
    }

    /// The unit behind a link; nil for an unknown or revoked token.
    public func unit(token: String) throws -> (UnitRecord, CollectionRecord)? {
        try pool.read { db in
            guard let u = try Row.fetchOne(db, sql: "SELECT * FROM units WHERE token = ? AND revoked_at IS NULL",
                                           arguments: [token]).map(UnitRecord.init(row:)),
                  let c = try Row.fetchOne(db, sql: "SELECT * FROM collections WHERE id = ?", arguments: [u.collectionID])
                    .map(CollectionRecord.init(row:)) else { return nil }
            return (u, c)
        }
    }

    /// Revokes a unit's link and gives it a new one; returns the new token.
    public func renewToken(unitID: Int64, collectionID: Int64, token: String) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "UPDATE units SET token = ?, revoked_at = NULL WHERE id = ? AND collection_id = ?",
                           arguments: [token, unitID, collectionID])
            return db.changesCount == 1
        }
    }

    /// Revokes a unit's link without a replacement.
    public func revoke(unitID: Int64, collectionID: Int64) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "UPDATE units SET revoked_at = ? WHERE id = ? AND collection_id = ? AND revoked_at IS NULL",
                           arguments: [Date().timeIntervalSince1970, unitID, collectionID])
            return db.changesCount == 1
        }
    }

    // Uploads

    /// Commits the row of an upload whose file is already stored durably.
    public func addUpload(_ u: NewUpload, unit: UnitRecord, at time: Date = Date()) throws -> UploadRecord {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO uploads(unit_id, collection_id, sha256, size, filename, uploaded_at, outcome, form_found,
                  unit_found, period_found, errors, warnings, report_vi, report_en, groups_vi, groups_en,
                  reason_vi, reason_en)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [unit.id, unit.collectionID, u.sha256, u.size, u.filename, time.timeIntervalSince1970,
                                 u.outcome.rawValue, u.formFound, u.unitFound, u.periodFound, u.errors, u.warnings,
                                 u.reportVI, u.reportEN, u.groupsVI, u.groupsEN, u.reasonVI, u.reasonEN])
            let id = db.lastInsertedRowID
            return try Row.fetchOne(db, sql: "SELECT * FROM uploads WHERE id = ?", arguments: [id]).map(UploadRecord.init(row:))!
        }
    }

    /// A unit's uploads, newest first.
    public func uploads(unitID: Int64) throws -> [UploadRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM uploads WHERE unit_id = ? ORDER BY id DESC", arguments: [unitID])
                .map(UploadRecord.init(row:))
        }
    }

    /// One upload, only if it belongs to `unitID` (a link sees only its own files).
    public func upload(_ id: Int64, unitID: Int64) throws -> UploadRecord? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM uploads WHERE id = ? AND unit_id = ?", arguments: [id, unitID])
                .map(UploadRecord.init(row:))
        }
    }

    /// One upload of a collection (for the collector).
    public func upload(_ id: Int64, collectionID: Int64) throws -> UploadRecord? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM uploads WHERE id = ? AND collection_id = ?", arguments: [id, collectionID])
                .map(UploadRecord.init(row:))
        }
    }

    public func uploads(collectionID: Int64) throws -> [UploadRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM uploads WHERE collection_id = ? ORDER BY id", arguments: [collectionID])
                .map(UploadRecord.init(row:))
        }
    }

    public func markSubmitted(uploadID: Int64, unitID: Int64, confirmedErrors: Bool, at time: Date = Date()) throws -> UploadRecord? {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE uploads SET submitted_at = ?, confirmed_errors = ?
                WHERE id = ? AND unit_id = ? AND outcome = 'checked' AND submitted_at IS NULL
                """, arguments: [time.timeIntervalSince1970, confirmedErrors ? 1 : 0, uploadID, unitID])
            return try Row.fetchOne(db, sql: "SELECT * FROM uploads WHERE id = ? AND unit_id = ?", arguments: [uploadID, unitID])
                .map(UploadRecord.init(row:))
        }
    }

    /// Number of uploads, for tests and the benchmark.
    public func uploadCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM uploads") ?? 0 }
    }

    public func allUploads() throws -> [UploadRecord] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM uploads ORDER BY id").map(UploadRecord.init(row:)) }
    }
}
