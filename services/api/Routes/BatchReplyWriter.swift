import SynthCommon

/// Writes `TaskRoutes.BatchReply` as the bytes `SynthJSON.encoder` gives for
/// it (sorted keys, no escaped slashes, absent optionals left out). A reply of
/// 10,000 items through JSONEncoder was a large share of a batch's CPU; this
/// is a few appends per item. BatchReplyWriterTests compares the two.
enum BatchReplyWriter {
    static func bytes(_ reply: TaskRoutes.BatchReply) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + reply.results.count * 72)
        out += #"{"accepted":"#.utf8
        appendInt(reply.accepted, to: &out)
        out += #","created":"#.utf8
        appendInt(reply.created, to: &out)
        out += #","rejected":"#.utf8
        appendInt(reply.rejected, to: &out)
        out += #","results":["#.utf8
        for (position, item) in reply.results.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            if let error = item.error {
                out += #""error":{"code":"#.utf8
                try appendString(error.code, to: &out)
                if let field = error.field {
                    out += #","field":"#.utf8
                    try appendString(field, to: &out)
                }
                out += #","message":"#.utf8
                try appendString(error.message, to: &out)
                out += "},".utf8
            }
            if let id = item.id {
                out += #""id":"#.utf8
                try appendString(id, to: &out)
                out.append(UInt8(ascii: ","))
            }
            out += #""index":"#.utf8
            appendInt(item.index, to: &out)
            out += #","status":"#.utf8
            try appendString(item.status, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out += "]}".utf8
        return out
    }

    static func appendInt(_ value: Int, to out: inout [UInt8]) {
        out += String(value).utf8
    }

    /// A JSON string. Plain printable ASCII (ids, statuses, codes) is written
    /// as is; anything JSONEncoder might escape (controls, quotes, backslash,
    /// DEL, non-ASCII) is left to it, so the escapes are exactly its own.
    static func appendString(_ text: String, to out: inout [UInt8]) throws {
        if text.utf8.contains(where: { $0 < 0x20 || $0 >= 0x7F || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += try SynthJSON.encode(text)
            return
        }
        out.append(UInt8(ascii: "\""))
        out += text.utf8
        out.append(UInt8(ascii: "\""))
    }
}
