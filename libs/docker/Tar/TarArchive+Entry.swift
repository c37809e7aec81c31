extension TarArchive {
    /// One member of an archive. Paths are relative ("dir/file.txt"); a
    /// leading "/" or "./" is tolerated and stripped when writing.
    public struct Entry: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case file
            case directory
            case symlink(target: String)
            case hardLink(target: String)
        }

        public var path: String
        public var kind: Kind
        /// File bytes; empty for everything but `.file`.
        public var content: [UInt8]
        /// Permission bits, e.g. 0o644.
        public var mode: UInt32
        /// Owner recorded in the archive. Docker applies it when extracting,
        /// so set it to the container user's ids if that user must write.
        public var userID: Int
        public var groupID: Int
        /// Seconds since the Unix epoch.
        public var modificationTime: Int

        public init(
            path: String,
            kind: Kind,
            content: [UInt8] = [],
            mode: UInt32 = 0o644,
            userID: Int = 0,
            groupID: Int = 0,
            modificationTime: Int = 0
        ) {
            self.path = path
            self.kind = kind
            self.content = content
            self.mode = mode
            self.userID = userID
            self.groupID = groupID
            self.modificationTime = modificationTime
        }

        /// `content` decoded as UTF-8, invalid sequences replaced.
        public var text: String { String(decoding: content, as: UTF8.self) }
    }
}
