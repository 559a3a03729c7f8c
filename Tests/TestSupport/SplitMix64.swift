/// A fixed pseudo-random sequence (SplitMix64, Steele, Lea & Flood 2014): tests that draw random
/// cases (mutated files, generated appendices) start from a seed, so a failure can be rebuilt.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0 ..< n (n > 0), by remainder: the same draws on every platform.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    public mutating func pick<T>(_ list: [T]) -> T { list[below(list.count)] }
    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}
