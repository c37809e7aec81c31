/// Compresses a page body (levels and values; with data page v1 the whole body is compressed).
///
/// Class-bound so that a column writer holding one stays a loadable value (an opaque existential
/// made every copy of the writer go through value witnesses).
protocol PageCompressor: AnyObject, Sendable {
    /// The codec recorded in the column chunk metadata.
    var codec: CompressionCodec { get }

    func compress(_ body: UnsafeRawBufferPointer) throws -> [UInt8]
}
