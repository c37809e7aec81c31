/// How page bodies are compressed.
///
/// Each case is backed by a small `PageCompressor` type; adding a codec (ZSTD, SNAPPY) means
/// adding a case here, a compressor next to `UncompressedPageCompressor`, and a line in
/// `makeCompressor()`.
public enum ParquetCompression: Sendable, Hashable {
    case uncompressed

    func makeCompressor() -> any PageCompressor {
        switch self {
        case .uncompressed: UncompressedPageCompressor()
        }
    }
}
