#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thin wrapper over the C library's iconv: the only place bieumau calls it.
public final class IconvConverter {
    public enum Status: Sendable, Equatable {
        /// All input consumed.
        case complete
        /// A byte sequence that is not valid in the source encoding, at `consumed`.
        case invalidSequence
        /// The input ends inside a multi-byte character (more input may complete it).
        case incomplete
        /// The output buffer is full; call again with the rest.
        case outputFull
    }

    private let descriptor: iconv_t

    /// A converter `from` → `to` (iconv names: `WINDOWS-1258`, `UTF-16LE`, `UTF-8`); nil when the
    /// C library does not know the encoding.
    public init?(from: String, to: String = "UTF-8") {
        guard let cd = iconv_open(to, from), cd != iconv_t(bitPattern: -1) else { return nil }
        descriptor = cd
    }

    deinit { iconv_close(descriptor) }

    /// Converts as much of `input` as fits into `output`. With `flush`, also writes out what the
    /// converter holds back (Windows-1258 composes a base letter with the tone mark after it).
    public func convert(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>,
                        flush: Bool) -> (consumed: Int, produced: Int, status: Status) {
        var inLeft = input.count
        var outLeft = output.count
        var outPtr: UnsafeMutablePointer<CChar>? = output.baseAddress.map {
            UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
        var status = Status.complete
        if inLeft > 0, let base = input.baseAddress {
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: UnsafeRawPointer(base)
                .assumingMemoryBound(to: CChar.self))
            if iconv(descriptor, &inPtr, &inLeft, &outPtr, &outLeft) == -1 {
                switch errno {
                case EILSEQ: status = .invalidSequence
                case EINVAL: status = .incomplete
                case E2BIG: status = .outputFull
                default: status = .invalidSequence
                }
            }
        }
        if flush && (status == .complete || status == .incomplete) {
            _ = iconv(descriptor, nil, nil, &outPtr, &outLeft)
        }
        return (input.count - inLeft, output.count - outLeft, status)
    }
}
