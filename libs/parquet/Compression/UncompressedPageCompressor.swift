/// The identity codec: pages are stored as they are.
final class UncompressedPageCompressor: PageCompressor {
    var codec: CompressionCodec { .uncompressed }

    func compress(_ body: UnsafeRawBufferPointer) throws -> [UInt8] {
        // The one copy of an uncompressed page: the body buffer is reused for the next page.
        Array(body)
    }
}
