/// Splits Docker's multiplexed attach/exec stream (used when the container
/// has no TTY) into stdout and stderr.
///
/// Each frame is an 8-byte header — stream id (0 stdin, 1 stdout, 2 stderr),
/// three zero bytes, a big-endian UInt32 payload length — then the payload.
/// Frames may be split across network chunks arbitrarily, so partial
/// headers and payloads are carried over between `feed` calls.
struct DockerStreamDemultiplexer {
    enum Stream: UInt8 {
        case stdin = 0
        case stdout = 1
        case stderr = 2
    }

    private var header: [UInt8] = []
    private var currentStream: Stream?
    private var remainingPayload = 0

    /// Bytes of an unfinished frame still expected; 0 at a frame boundary.
    var isAtFrameBoundary: Bool { header.isEmpty && remainingPayload == 0 }

    /// Feeds raw bytes; calls `emit` for each payload piece in order.
    mutating func feed(_ bytes: [UInt8], emit: (Stream, ArraySlice<UInt8>) -> Void) {
        var index = 0
        while index < bytes.count {
            if remainingPayload > 0 {
                let take = min(remainingPayload, bytes.count - index)
                // Unknown stream ids are skipped rather than misattributed.
                if let stream = currentStream {
                    emit(stream, bytes[index..<(index + take)])
                }
                remainingPayload -= take
                index += take
                continue
            }
            let take = min(8 - header.count, bytes.count - index)
            header.append(contentsOf: bytes[index..<(index + take)])
            index += take
            if header.count == 8 {
                currentStream = Stream(rawValue: header[0])
                remainingPayload = Int(header[4]) << 24 | Int(header[5]) << 16 | Int(header[6]) << 8 | Int(header[7])
                header.removeAll(keepingCapacity: true)
            }
        }
    }
}
