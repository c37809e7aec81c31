/// How page bodies are compressed.
///
/// Each case is backed by a small `PageCompressor` type. `.zstd()` uses level 1 by default, the
/// level pyarrow (Arrow C++) uses, so files from both writers are comparable in size and speed.
public enum ParquetCompression: Sendable, Hashable {
    case uncompressed
    case snappy
    /// Zstandard at `level` (1 to 22; negative levels trade size for speed).
    case zstd(level: Int32 = 1)

    func makeCompressor() -> any PageCompressor {
        switch self {
        case .uncompressed: UncompressedPageCompressor()
        case .snappy: SnappyPageCompressor()
        case .zstd(let level): ZstdPageCompressor(level: level)
        }
    }

    /// Parses the names used in configuration: `none`/`uncompressed`, `snappy`, `zstd`, `zstd:<level>`.
    public init?(name: String) {
        let lowered = name.lowercased()
        switch lowered {
        case "none", "uncompressed": self = .uncompressed
        case "snappy": self = .snappy
        case "zstd": self = .zstd()
        default:
            guard lowered.hasPrefix("zstd:"), let level = Int32(lowered.dropFirst(5)) else { return nil }
            self = .zstd(level: level)
        }
    }
}
