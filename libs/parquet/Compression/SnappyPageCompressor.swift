import CSnappy

/// Snappy raw format (not the framed format), as the Parquet spec requires for SNAPPY.
final class SnappyPageCompressor: PageCompressor {
    var codec: CompressionCodec { .snappy }

    func compress(_ body: [UInt8]) throws -> [UInt8] {
        let capacity = snappy_max_compressed_length(body.count)
        var status = SNAPPY_OK
        var zero: UInt8 = 0  // an empty array has no base address; snappy still needs a pointer
        let output = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            var length = capacity
            status = body.withUnsafeBytes { input in
                let source = UnsafeRawPointer(input.baseAddress) ?? UnsafeRawPointer(&zero)
                return snappy_compress(source.assumingMemoryBound(to: CChar.self), input.count,
                                       UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self), &length)
            }
            count = status == SNAPPY_OK ? length : 0
        }
        guard status == SNAPPY_OK else {
            throw ParquetWriterError.compressionFailed(codec: "snappy", reason: "snappy_compress returned \(status.rawValue)")
        }
        return output
    }
}
