/// Keeps the first `limit` bytes of an output stream and remembers whether
/// anything beyond that was discarded, so a runaway command cannot exhaust
/// the executor's memory while its output is still drained.
struct CappedOutputBuffer {
    let limit: Int
    private(set) var bytes: [UInt8] = []
    private(set) var truncated = false

    init(limit: Int) {
        self.limit = max(0, limit)
    }

    mutating func markTruncated() { truncated = true }

    mutating func append(_ piece: ArraySlice<UInt8>) {
        let room = limit - bytes.count
        if piece.count <= room {
            bytes.append(contentsOf: piece)
        } else {
            bytes.append(contentsOf: piece.prefix(room))
            truncated = true
        }
    }
}
