import Foundation
import Support

/// A compiled copy of a form, so that a run does not parse the YAML again (YAML parsing and
/// checking was a third of a conversion's time). One file per YAML text:
/// `<cache folder>/form-<sha256 of the YAML bytes>.cache`, where the cache folder is
/// `$BIEUMAU_CACHE_DIR`, else `$XDG_CACHE_HOME/bieumau`, else `~/.cache/bieumau`
/// (`BIEUMAU_CACHE_DIR=off` turns the cache off).
///
/// Never trusted blindly: the file names and also holds the YAML's SHA-256, the format version and
/// the stamp of the executable that wrote it (`buildStamp`);
/// every read is bounds-checked; anything unexpected (missing, stale, truncated, corrupt) means
/// the YAML is parsed as usual and the cache rewritten. Only forms that loaded without error are
/// cached, so form errors always come from the YAML, with its line numbers.
enum FormCache {
    /// Bump whenever `FormDefinition`, `FormRow`, `CrossRule` or the loader's defaults change.
    static let formatVersion: UInt32 = 3

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
        folder + "/form-" + SHA256.hex(of: hash) + ".cache"
    }

    static func hash(_ yaml: Data) -> [UInt8] {
        var h = SHA256()
        h.update(yaml)
        return h.finalize()
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

    // MARK: Format: magic, version, hash, then the fields in a fixed order.

    static func encode(_ form: FormDefinition, hash: [UInt8], stamp: [UInt8] = buildStamp) -> [UInt8] {
        var w = Writer()
        w.bytes.append(contentsOf: magic)
        w.u32(formatVersion)
        w.bytes.append(contentsOf: hash)
        w.u32(UInt32(stamp.count))
        w.bytes.append(contentsOf: stamp)
        w.string(form.id); w.int(form.version); w.string(form.appendixLabel); w.string(form.title)
        w.string(form.description); w.string(form.sheetName)
        let h = form.headers
        for s in [h.code, h.label, h.result, h.unit, h.value, h.note] { w.string(s) }
        w.strings(form.statusTexts); w.strings(form.yesTexts); w.strings(form.noTexts); w.strings(form.keyRatios)
        w.u32(UInt32(form.rows.count))
        for r in form.rows {
            w.string(r.id); w.string(r.code); w.string(r.label); w.strings(r.variants); w.string(r.unit)
            w.string(r.kind.rawValue); w.optString(r.parent); w.optString(r.numerator); w.optString(r.denominator)
            w.strings(r.choices); w.string(r.merge.rawValue); w.bool(r.required)
            w.optDecimal(r.minimum); w.optDecimal(r.maximum); w.bool(r.integer)
            if let d = r.decimals { w.bool(true); w.int(d) } else { w.bool(false) }
            w.bool(r.cumulative); w.optString(r.marker); w.string(r.style.rawValue); w.int(r.line)
        }
        w.u32(UInt32(form.rules.count))
        for rule in form.rules {
            switch rule.kind {
            case .partNotAboveWhole(let part, let whole):
                w.u32(0); w.string(part); w.string(whole)
            case .sum(let total, let parts):
                w.u32(1); w.string(total); w.strings(parts)
            }
            w.string(rule.level.rawValue); w.int(rule.line)
        }
        w.optString(form.replaces)
        let map = form.rowMap.sorted { $0.key < $1.key }
        w.strings(map.map(\.key)); w.strings(map.map(\.value))
        w.bytes.append(contentsOf: magic) // end mark: a truncated file is refused
        return w.bytes
    }

    static func decode(_ data: Data, hash: [UInt8], file: String, stamp: [UInt8] = buildStamp) -> FormDefinition? {
        var r = Reader(bytes: [UInt8](data))
        do {
            guard try r.take(magic.count).elementsEqual(magic), try r.u32() == formatVersion, try r.take(32).elementsEqual(hash),
                  try r.take(r.count()).elementsEqual(stamp) else { return nil }
            let id = try r.string(), version = try r.int(), appendixLabel = try r.string(), title = try r.string()
            let description = try r.string(), sheetName = try r.string()
            let headers = TableHeaders(code: try r.string(), label: try r.string(), result: try r.string(),
                                       unit: try r.string(), value: try r.string(), note: try r.string())
            let statusTexts = try r.strings(), yesTexts = try r.strings(), noTexts = try r.strings(), keyRatios = try r.strings()
            let rowCount = try r.count()
            var rows: [FormRow] = []
            rows.reserveCapacity(rowCount)
            for _ in 0..<rowCount {
                let rid = try r.string(), code = try r.string(), label = try r.string(), variants = try r.strings()
                let unit = try r.string()
                guard let kind = RowKind(rawValue: try r.string()) else { return nil }
                var row = FormRow(id: rid, code: code, label: label, variants: variants, unit: unit, kind: kind)
                row.parent = try r.optString(); row.numerator = try r.optString(); row.denominator = try r.optString()
                row.choices = try r.strings()
                guard let merge = MergeRule(rawValue: try r.string()) else { return nil }
                row.merge = merge
                row.required = try r.bool()
                row.minimum = try r.optDecimal(); row.maximum = try r.optDecimal()
                row.integer = try r.bool()
                row.decimals = try r.bool() ? try r.int() : nil
                row.cumulative = try r.bool()
                row.marker = try r.optString()
                guard let style = RowStyle(rawValue: try r.string()) else { return nil }
                row.style = style
                row.line = try r.int()
                rows.append(row)
            }
            let ruleCount = try r.count()
            var rules: [CrossRule] = []
            for _ in 0..<ruleCount {
                let kind: CrossRule.Kind
                switch try r.u32() {
                case 0: kind = .partNotAboveWhole(part: try r.string(), whole: try r.string())
                case 1: kind = .sum(total: try r.string(), parts: try r.strings())
                default: return nil
                }
                guard let level = RuleLevel(rawValue: try r.string()) else { return nil }
                rules.append(CrossRule(kind, level: level, line: try r.int()))
            }
            let replaces = try r.optString()
            let mapKeys = try r.strings(), mapValues = try r.strings()
            guard mapKeys.count == mapValues.count else { return nil }
            guard try r.take(magic.count).elementsEqual(magic), r.atEnd else { return nil }
            return FormDefinition(id: id, version: version, appendixLabel: appendixLabel, title: title,
                                  description: description, sheetName: sheetName, headers: headers,
                                  statusTexts: statusTexts, yesTexts: yesTexts, noTexts: noTexts,
                                  keyRatios: keyRatios, rows: rows, rules: rules, replaces: replaces,
                                  rowMap: Dictionary(zip(mapKeys, mapValues), uniquingKeysWith: { a, _ in a }), file: file)
        } catch {
            return nil
        }
    }

    struct Writer {
        var bytes: [UInt8] = []
        mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        mutating func int(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { bytes.append(contentsOf: $0) } }
        mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
        mutating func string(_ s: String) {
            u32(UInt32(s.utf8.count))
            bytes.append(contentsOf: s.utf8)
        }
        mutating func strings(_ a: [String]) { u32(UInt32(a.count)); for s in a { string(s) } }
        mutating func optString(_ s: String?) { if let s { bool(true); string(s) } else { bool(false) } }
        mutating func optDecimal(_ d: ExactDecimal?) {
            guard let d else { bool(false); return }
            bool(true)
            withUnsafeBytes(of: d.significand.littleEndian) { bytes.append(contentsOf: $0) }
            int(d.scale)
        }
    }

    struct Corrupt: Error {}

    struct Reader {
        let bytes: [UInt8]
        var at = 0
        var atEnd: Bool { at == bytes.count }
        mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
            guard n >= 0, n <= bytes.count - at else { throw Corrupt() }
            defer { at += n }
            return bytes[at..<(at + n)]
        }
        mutating func u32() throws -> UInt32 {
            let s = try take(4)
            return s.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
        mutating func int() throws -> Int {
            let s = try take(8)
            return Int(Int64(bitPattern: s.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }))
        }
        /// A count of items, each at least one byte long (so a corrupt count cannot ask for much memory).
        mutating func count() throws -> Int {
            let n = Int(try u32())
            guard n <= bytes.count - at else { throw Corrupt() }
            return n
        }
        mutating func bool() throws -> Bool {
            switch try take(1).first! {
            case 0: return false
            case 1: return true
            default: throw Corrupt()
            }
        }
        mutating func string() throws -> String {
            let n = Int(try u32())
            let s = try take(n)
            guard let text = String(validating: s, as: UTF8.self) else { throw Corrupt() }
            return text
        }
        mutating func strings() throws -> [String] {
            let n = try count()
            var out: [String] = []
            out.reserveCapacity(n)
            for _ in 0..<n { out.append(try string()) }
            return out
        }
        mutating func optString() throws -> String? { try bool() ? try string() : nil }
        mutating func optDecimal() throws -> ExactDecimal? {
            guard try bool() else { return nil }
            let s = try take(16)
            var lo: UInt64 = 0, hi: UInt64 = 0
            for (i, b) in s.enumerated() {
                if i < 8 { lo |= UInt64(b) << (8 * UInt64(i)) } else { hi |= UInt64(b) << (8 * UInt64(i - 8)) }
            }
            let significand = Int128(bitPattern: UInt128(hi) << 64 | UInt128(lo))
            let scale = try int()
            guard scale >= 0 && scale <= ExactDecimal.maxScale else { throw Corrupt() }
            return ExactDecimal(significand: significand, scale: scale)
        }
    }
}
