import CryptoWrapper
import Foundation
import Support

/// A compiled copy of a form, so that a run does not parse the YAML again (YAML parsing and
/// checking was a third of a conversion's time). One file per YAML text:
/// `<cache folder>/form-<sha256 of the YAML bytes>.cache`, where the cache folder is
/// `$BIEUMAU_CACHE_DIR`, else `$XDG_CACHE_HOME/bieumau`, else `~/.cache/bieumau`
/// (`BIEUMAU_CACHE_DIR=off` turns the cache off).
///
/// The form itself is stored as its types encode it (`Codable`, JSON).
/// Never trusted blindly: the file names and also holds the YAML's SHA-256, the format version and
/// the stamp of the executable that wrote it (`buildStamp`);
/// every read is bounds-checked; anything unexpected (missing, stale, truncated, corrupt) means
/// the YAML is parsed as usual and the cache rewritten. Only forms that loaded without error are
/// cached, so form errors always come from the YAML, with its line numbers.
enum FormCache {
    /// Bump whenever `FormDefinition`, `FormRow`, `CrossRule` or the loader's defaults change
    /// (4: the encoding is derived from the types).
    static let formatVersion: UInt32 = 4

    /// Which bieumau wrote the cache: size, modification time and inode of the running
    /// executable, so a rebuilt or upgraded bieumau (whose loader may read forms differently)
    /// never reads a cache an older one wrote. Empty when the executable cannot be found.
    static let buildStamp: [UInt8] = {
        var info = stat()
        for exe in ["/proc/self/exe", CommandLine.arguments.first ?? ""] where !exe.isEmpty && stat(exe, &info) == 0 {
            #if os(Linux)
            let mtime = info.st_mtim
            #else
            let mtime = info.st_mtimespec
            #endif
            return Array("\(info.st_size):\(mtime.tv_sec).\(mtime.tv_nsec):\(info.st_ino)".utf8)
        }
        return []
    }()
    static let magic: [UInt8] = Array("BMFORM\u{0}\u{0}".utf8)

    static func folder() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["BIEUMAU_CACHE_DIR"] {
            if dir.isEmpty || dir == "off" { return nil }
            return dir
        }
        if let xdg = env["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/bieumau" }
        if let home = env["HOME"], home.hasPrefix("/") { return home + "/.cache/bieumau" }
        return nil
    }

    static func path(for hash: [UInt8], in folder: String) -> String {
        folder + "/form-" + SHA256.hexString(hash) + ".cache"
    }

    static func hash(_ yaml: Data) -> [UInt8] {
        SHA256.digest(of: yaml)
    }

    /// The cached form for this YAML text, or nil.
    static func load(hash: [UInt8], file: String, folder: String? = folder()) -> FormDefinition? {
        guard let folder,
              let data = FileManager.default.contents(atPath: path(for: hash, in: folder)) else { return nil }
        return decode(data, hash: hash, file: file)
    }

    /// Writes the cache for a form just parsed; failures are ignored (a read-only home is fine).
    static func store(_ form: FormDefinition, hash: [UInt8], folder: String? = folder()) {
        guard let folder else { return }
        let bytes = encode(form, hash: hash)
        let target = path(for: hash, in: folder)
        let tmp = target + ".\(ProcessInfo.processInfo.processIdentifier).\(UInt64.random(in: 0...UInt64.max)).tmp"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: tmp, contents: Data(bytes)) else { return }
            if rename(tmp, target) != 0 { try? FileManager.default.removeItem(atPath: tmp) }
        } catch {
            try? FileManager.default.removeItem(atPath: tmp)
        }
    }

    // MARK: Format: magic, version, hash, stamp, then the form as the row types encode it

    /// The form's own encoding (`Codable`, JSON: measured on cchc-2023 in a debug build, decoding
    /// takes 3.5 ms against 15.4 ms for parsing the YAML, 3.8 ms for the former hand-written
    /// binary format and 7.8 ms for a binary property list): a field added to `FormRow`,
    /// `FormDefinition` or `CrossRule` is cached with no change here (bump `formatVersion`).
    static func encode(_ form: FormDefinition, hash: [UInt8], stamp: [UInt8] = buildStamp) -> [UInt8] {
        guard let payload = try? JSONEncoder().encode(form) else { return [] }
        var bytes = magic
        appendU32(formatVersion, to: &bytes)
        bytes += hash
        appendU32(UInt32(stamp.count), to: &bytes)
        bytes += stamp
        appendU32(UInt32(payload.count), to: &bytes)
        bytes += payload
        bytes += magic // end mark: a truncated file is refused
        return bytes
    }

    static func decode(_ data: Data, hash: [UInt8], file: String, stamp: [UInt8] = buildStamp) -> FormDefinition? {
        let bytes = [UInt8](data)
        var at = 0
        func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, n <= bytes.count - at else { return nil }
            defer { at += n }
            return bytes[at..<(at + n)]
        }
        func u32() -> Int? { take(4).map { Int($0.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }) } }
        guard take(magic.count)?.elementsEqual(magic) == true, u32() == Int(formatVersion),
              take(32)?.elementsEqual(hash) == true, let stampLength = u32(),
              take(stampLength)?.elementsEqual(stamp) == true,
              let payloadLength = u32(), let payload = take(payloadLength),
              take(magic.count)?.elementsEqual(magic) == true, at == bytes.count,
              var form = try? JSONDecoder().decode(FormDefinition.self, from: Data(payload)) else { return nil }
        form.file = file
        return form
    }

    static func appendU32(_ v: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
