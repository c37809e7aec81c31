/// Compresses a page body (levels and values; with data page v1 the whole body is compressed).
///
/// Class-bound so that a column writer holding one stays a loadable value (an opaque existential
/// made every copy of the writer go through value witnesses).
protocol PageCompressor: AnyObject, Sendable {
    /// The codec recorded in the column chunk metadata.
    var codec: CompressionCodec { get }

    /// Replaces `output`'s contents with the compressed `body`. The caller keeps `output` from
    /// page to page: a fresh array per page cost a page fault per 4 KiB of every page.
    func compress(_ body: UnsafeRawBufferPointer, into output: PageBuffer<UInt8>) throws
}
