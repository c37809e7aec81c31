import CSnappy

/// Snappy raw format (not the framed format), as the Parquet spec requires for SNAPPY.
final class SnappyPageCompressor: PageCompressor {
    var codec: CompressionCodec { .snappy }

    func compress(_ body: UnsafeRawBufferPointer, into output: PageBuffer<UInt8>) throws {
        let capacity = snappy_max_compressed_length(body.count)
        var zero: UInt8 = 0  // an empty body has no base address; snappy still needs a pointer
        var length = capacity
        let target = output.replaceAll(capacity: capacity).assumingMemoryBound(to: CChar.self)
        let status = withUnsafePointer(to: &zero) { fallback in
            let source = body.baseAddress ?? UnsafeRawPointer(fallback)
            return snappy_compress(source.assumingMemoryBound(to: CChar.self), body.count, target, &length)
        }
        guard status == SNAPPY_OK else {
            throw ParquetWriterError.compressionFailed(codec: "snappy", reason: "snappy_compress returned \(status.rawValue)")
        }
        output.truncate(to: length)
    }
}
