/// A finished column chunk: its pages, ready to be written contiguously, and what the footer
/// needs to describe them.
struct EncodedColumnChunk {
    /// Header and body of the dictionary page, which must precede the data pages.
    var dictionaryPage: [UInt8]?
    /// Headers and bodies of all data pages, in order, each its own buffer.
    var dataPages: [[UInt8]]
    /// Where the chunk's first data page was already written, when pages were streamed to the
    /// file (then there is no dictionary page and `dataPages` follow the streamed ones).
    var streamedOffset: Int64?
    var dataPageCount: Int
    /// Level entries (values and nulls) across all data pages.
    var valueCount: Int64
    var totalUncompressedSize: Int64
    var totalCompressedSize: Int64
    var encodings: [Encoding]
    var encodingStats: [PageEncodingStats]
    var statistics: Statistics?
}
