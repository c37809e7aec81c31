public enum TarArchiveError: Error, Sendable, Equatable {
    /// Empty, absolute-escaping ("..") or NUL-containing path.
    case invalidPath(String)
    /// The archive ends inside a header or an entry's data.
    case truncated(offset: Int)
    /// A header's checksum does not match: not a tar, or corrupted.
    case badChecksum(offset: Int)
    /// A numeric header field could not be parsed.
    case invalidField(name: String, offset: Int)
}
