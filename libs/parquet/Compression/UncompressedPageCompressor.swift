/// The identity codec: pages are stored as they are.
final class UncompressedPageCompressor: PageCompressor {
    var codec: CompressionCodec { .uncompressed }

    func compress(_ body: UnsafeRawBufferPointer, into output: PageBuffer<UInt8>) throws {
        // Column writers store uncompressed bodies without calling this; it is here for completeness.
        output.removeAll()
        output.append(bytes: body)
    }
}
