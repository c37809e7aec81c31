/// One server-sent event: its `event:` name (if any) and its `data:` lines joined.
struct SSEEvent: Sendable {
    var event: String?
    var data: String
}

/// Incremental parser of a `text/event-stream` body (WHATWG framing): events
/// end at a blank line, `\n`, `\r\n` and `\r` line ends, comments (`:`)
/// ignored. Fed arbitrary-sized chunks, it returns the events they complete.
struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var event: String?
    private var data: [String] = []
    private var sawCR = false

    mutating func feed(_ bytes: [UInt8]) -> [SSEEvent] {
        var out: [SSEEvent] = []
        for byte in bytes {
            if sawCR {
                sawCR = false
                if byte == 0x0A { continue }
            }
            if byte == 0x0A || byte == 0x0D {
                sawCR = byte == 0x0D
                if let complete = endLine() { out.append(complete) }
            } else {
                line.append(byte)
            }
        }
        return out
    }

    /// An event left unterminated when the body ended (some servers omit the final blank line).
    mutating func finish() -> SSEEvent? {
        if !line.isEmpty { _ = endLine() }
        return endLine()
    }

    private mutating func endLine() -> SSEEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            guard !data.isEmpty || event != nil else { return nil }
            let complete = SSEEvent(event: event, data: data.joined(separator: "\n"))
            event = nil
            data.removeAll()
            return complete
        }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        var field = Substring(text), value = Substring("")
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        }
        switch field {
        case "data": data.append(String(value))
        case "event": event = String(value)
        default: break
        }
        return nil
    }
}
