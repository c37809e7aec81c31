/// Compresses a page body (levels and values; with data page v1 the whole body is compressed).
protocol PageCompressor: Sendable {
    /// The codec recorded in the column chunk metadata.
    var codec: CompressionCodec { get }

    func compress(_ body: [UInt8]) throws -> [UInt8]
}
