/// What a HEAD request tells about a stored object.
public struct ObjectInfo: Sendable, Equatable {
    public var size: Int
    public var contentType: String?

    public init(size: Int, contentType: String?) {
        self.size = size
        self.contentType = contentType
    }
}
