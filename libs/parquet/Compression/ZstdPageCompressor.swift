import CZstd
import Foundation

/// Zstandard frames (with the content size in the header, as Arrow writes them). One
/// compression context is reused for every page of a file: creating a context per page costs
/// more than compressing a small page.
final class ZstdPageCompressor: PageCompressor, @unchecked Sendable {
    let level: Int32
    // The context is mutable C state; the lock makes a shared compressor safe even though a
    // ParquetWriter itself is used from one task at a time.
    private let context: OpaquePointer
    private let lock = NSLock()

    init(level: Int32) {
        self.level = level
        context = ZSTD_createCCtx()
    }

    deinit { ZSTD_freeCCtx(context) }

    var codec: CompressionCodec { .zstd }

    func compress(_ body: UnsafeRawBufferPointer, into output: PageBuffer<UInt8>) throws {
        let capacity = ZSTD_compressBound(body.count)
        lock.lock()
        defer { lock.unlock() }
        let result = ZSTD_compressCCtx(context, output.replaceAll(capacity: capacity), capacity, body.baseAddress, body.count, level)
        guard ZSTD_isError(result) == 0 else {
            output.truncate(to: 0)
            throw ParquetWriterError.compressionFailed(codec: "zstd", reason: String(cString: ZSTD_getErrorName(result)))
        }
        output.truncate(to: result)
    }
}
