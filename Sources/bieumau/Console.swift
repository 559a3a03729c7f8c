import AppendixModel
import BieuMau
import FormSchema
import Foundation
import SheetGrid
import Support

/// Printing for the CLI: results to stdout, messages to stderr, in the user's language.
enum Console {
    nonisolated(unsafe) static var language: Language = {
        ProcessInfo.processInfo.environment["BIEUMAU_LANG"].flatMap(Language.init(rawValue:)) ?? .vi
    }()

    // Everything printed passes through SafeText.terminal: cell text and unit names in a
    // message cannot clear the screen (ESC[2J) or write the clipboard (OSC 52). JSON output is
    // unchanged by it (its writer escapes control characters already; DEL/C1 become the same
    // \u escapes JSON uses).

    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((SafeText.terminal(text) + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("bieumau: " + SafeText.terminal(text) + "\n").utf8))
    }

    static func warn(_ message: Localized) {
        FileHandle.standardError.write(Data(((language == .en ? "warning: " : "cảnh báo: ") + SafeText.terminal(message.text(language)) + "\n").utf8))
    }

    static func text(_ vi: String, _ en: String) -> String { language == .en ? en : vi }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    /// Removes temporary outputs when the user presses Ctrl-C or the process is terminated.
    static func installInterruptHandlers() {
        // A parent may start us with these signals blocked (children spawned from libdispatch
        // worker threads inherit their mask): unblock them, or an interrupt would wait until the
        // output is complete instead of removing the temporary file.
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, sig) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { s in
                TemporaryFiles.shared.removeAll()
                signal(s, SIG_DFL)
                raise(s)
            }
        }
    }
}

extension Console {
    /// Information for the user (not a problem), on stderr.
    static func note(_ message: Localized) {
        FileHandle.standardError.write(Data(((language == .en ? "note: " : "lưu ý: ") + message.text(language) + "\n").utf8))
    }
}

extension Console {
    /// What readers noticed, as information.
    static func notes(_ notices: [ReadingNotice]) {
        for notice in notices { note(Localized(vi: notice.vi, en: notice.en)) }
    }
}

/// Reads an appendix through the library's one entry point and prints what the reader noticed.
func readAppendix(path: String, library: FormLibrary, formID: String?, sheet: String?) throws -> Appendix {
    let loaded = try AppendixReader(library: library).read(path: path, formID: formID, sheet: sheet)
    Console.notes(loaded.notices)
    return loaded.appendix
}
