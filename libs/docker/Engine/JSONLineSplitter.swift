/// Reassembles newline-delimited JSON messages (Docker's progress streams
/// for pull/import) from arbitrarily split network chunks.
struct JSONLineSplitter {
    private var pending: [UInt8] = []

    /// Complete, non-blank lines contained in the data seen so far.
    mutating func feed(_ chunk: [UInt8]) -> [[UInt8]] {
        pending.append(contentsOf: chunk)
        var lines: [[UInt8]] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            let line = Array(pending[..<newline])
            pending.removeSubrange(...newline)
            if let trimmed = Self.trimmed(line) { lines.append(trimmed) }
        }
        return lines
    }

    /// A last line without a trailing newline, if any.
    mutating func finish() -> [UInt8]? {
        defer { pending.removeAll() }
        return Self.trimmed(pending)
    }

    private static func trimmed(_ line: [UInt8]) -> [UInt8]? {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }
        guard let first = line.firstIndex(where: { !isSpace($0) }),
              let last = line.lastIndex(where: { !isSpace($0) }) else { return nil }
        return Array(line[first...last])
    }
}
