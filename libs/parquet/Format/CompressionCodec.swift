/// Parquet's `CompressionCodec` enum; the codecs a `PageCompressor` can announce in metadata.
enum CompressionCodec: Int32, ThriftEnum {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case brotli = 4
    case zstd = 6
    case lz4Raw = 7
}
