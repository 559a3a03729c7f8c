import Foundation

/// Paths and helpers shared by the test targets.
public enum TestPaths {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    public static var templates: URL { packageRoot.appendingPathComponent("Templates") }
    public static var examples: URL { packageRoot.appendingPathComponent("Examples") }

    /// The interoperability corpus: `$BIEUMAU_CORPUS`, else `../shared/corpus` beside the checkout.
    public static var corpus: URL? {
        if let env = ProcessInfo.processInfo.environment["BIEUMAU_CORPUS"], !env.isEmpty {
            return FileManager.default.fileExists(atPath: env) ? URL(fileURLWithPath: env) : nil
        }
        let candidate = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
        return FileManager.default.fileExists(atPath: candidate.appendingPathComponent("MANIFEST.tsv").path) ? candidate : nil
    }

    /// A fresh temporary folder for one test.
    public static func temporaryFolder(_ name: String = "test") -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("bieumau-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Runs programs (the `bieumau` binary, python3 readers, soffice) and captures their output.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum Run {
    /// Runs `executable` with `arguments`; `stdin` is fed if given.
    @discardableResult
    public static func process(_ executable: String, _ arguments: [String], stdin: Data? = nil,
                               environment: [String: String]? = nil, currentDirectory: URL? = nil) throws -> ProcessResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let environment {
            var env = ProcessInfo.processInfo.environment
            for (k, v) in environment { env[k] = v }
            p.environment = env
        }
        if let currentDirectory { p.currentDirectoryURL = currentDirectory }
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        p.standardOutput = outPipe
        p.standardError = errPipe
        p.standardInput = inPipe
        try p.run()
        if let stdin { inPipe.fileHandleForWriting.write(stdin) }
        try? inPipe.fileHandleForWriting.close()
        // Read both pipes concurrently so neither fills up.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = errPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return ProcessResult(status: p.terminationStatus,
                             stdout: String(decoding: out, as: UTF8.self),
                             stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    /// The built `bieumau` binary: `$BIEUMAU_BIN`, else beside the test bundle.
    public static var bieumauPath: String {
        if let env = ProcessInfo.processInfo.environment["BIEUMAU_BIN"], !env.isEmpty { return env }
        var dir = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("bieumau").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        let fallback = TestPaths.packageRoot.appendingPathComponent(".build/debug/bieumau").path
        return fallback
    }

    /// Runs `bieumau` with arguments.
    @discardableResult
    public static func bieumau(_ arguments: [String], stdin: Data? = nil, currentDirectory: URL? = nil) throws -> ProcessResult {
        try process(bieumauPath, arguments, stdin: stdin, currentDirectory: currentDirectory)
    }

    /// Runs a python3 snippet; arguments are passed as sys.argv[1...].
    @discardableResult
    public static func python(_ code: String, _ arguments: [String] = []) throws -> ProcessResult {
        try process("/usr/bin/env", ["python3", "-c", code] + arguments)
    }

    /// Forges, with openpyxl, the custom properties a merged workbook carries (`bieumau.kind` =
    /// merged, `bieumau.units` = `units`) on the workbook at `path`, replacing any it had: what a
    /// unit would do to make its one file count as many.
    @discardableResult
    public static func forgeMergedProperties(_ path: String, units: Int) throws -> ProcessResult {
        try python("""
            import sys, openpyxl
            from openpyxl.packaging.custom import StringProperty
            wb = openpyxl.load_workbook(sys.argv[1])
            props = wb.custom_doc_props
            props.props = [p for p in props.props if p.name not in ("bieumau.kind", "bieumau.units")]
            for k, v in [("bieumau.kind", "merged"), ("bieumau.units", sys.argv[2])]:
                props.append(StringProperty(name=k, value=v))
            wb.save(sys.argv[1])
            """, [path, String(units)])
    }

    /// True when python3 can import every module named.
    public static func pythonHas(_ modules: String...) -> Bool {
        guard let r = try? python("import " + modules.joined(separator: ", ")) else { return false }
        return r.status == 0
    }

    /// The path of `name` on PATH, if any.
    public static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }
}

/// Tests that need an outside tool (python3 readers, LibreOffice, chromium): one rule for all.
///
/// Locally a missing tool disables the test with a visible reason (`.enabled(if:)`); in CI
/// (`CI=true`) the test is enabled whatever is installed, so a missing tool fails it instead of
/// skipping it silently. Use as
/// `@Test(.enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))`.
public enum Tools {
    /// True when running in CI (`CI=true`), where no test may be skipped for a missing tool.
    public static var inCI: Bool {
        let value = ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? ""
        return value == "true" || value == "1"
    }

    /// True when every program named is on PATH, or in CI.
    public static func programs(_ names: String...) -> Bool {
        inCI || names.allSatisfy { Run.which($0) != nil }
    }

    /// True when python3 can import every module named, or in CI.
    public static func python(_ modules: String...) -> Bool {
        guard !inCI else { return true }
        guard let r = try? Run.python("import " + modules.joined(separator: ", ")) else { return false }
        return r.status == 0
    }

    /// The path of a program a test needs; throws (failing the test) when it is missing.
    public static func require(_ name: String) throws -> String {
        guard let path = Run.which(name) else { throw MissingTool(name: name) }
        return path
    }

    public struct MissingTool: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "\(name) is not installed (scripts/install-deps --tests installs it)" }
    }
}
