import CSnappy

/// Snappy raw format (not the framed format), as the Parquet spec requires for SNAPPY.
final class SnappyPageCompressor: PageCompressor {
    var codec: CompressionCodec { .snappy }

    func compress(_ body: UnsafeRawBufferPointer) throws -> [UInt8] {
        let capacity = snappy_max_compressed_length(body.count)
        var status = SNAPPY_OK
        var zero: UInt8 = 0  // an empty body has no base address; snappy still needs a pointer
        let output = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            var length = capacity
            let target = UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            status = withUnsafePointer(to: &zero) { fallback in
                let source = body.baseAddress ?? UnsafeRawPointer(fallback)
                return snappy_compress(source.assumingMemoryBound(to: CChar.self), body.count, target, &length)
            }
            count = status == SNAPPY_OK ? length : 0
        }
        guard status == SNAPPY_OK else {
            throw ParquetWriterError.compressionFailed(codec: "snappy", reason: "snappy_compress returned \(status.rawValue)")
        }
        return output
    }
}
