/// The identity codec: pages are stored as they are.
final class UncompressedPageCompressor: PageCompressor {
    var codec: CompressionCodec { .uncompressed }

    func compress(_ body: [UInt8]) throws -> [UInt8] {
        body
    }
}
