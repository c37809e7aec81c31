import Foundation
import Testing
import SynthCommon
@testable import synth_api

/// The hand-written batch reply must be the bytes JSONEncoder (SynthJSON's
/// configuration) writes for the same reply, whatever its items hold.
@Suite struct BatchReplyWriterTests {
    typealias Item = TaskRoutes.BatchItemResult

    static func encoded(_ reply: TaskRoutes.BatchReply) throws -> String {
        String(decoding: try SynthJSON.encoder.encode(reply), as: UTF8.self)
    }

    static func written(_ reply: TaskRoutes.BatchReply) throws -> String {
        String(decoding: try BatchReplyWriter.bytes(reply), as: UTF8.self)
    }

    @Test func createdExistingAndRejectedItems() throws {
        let items = [
            Item(index: 0, status: "created", id: "task-0"),
            Item(index: 1, status: "rejected", id: nil,
                 error: .init(code: "invalid_task", field: "[1].difficulty", message: "[1].difficulty: must be one of easy, medium, hard, expert")),
            Item(index: 2, status: "existing", id: "a/b:c.d_e-f"),
            Item(index: 3, status: "rejected", id: nil, error: .init(code: "invalid_task", field: nil, message: "no field")),
            Item(index: 10_000, status: "created", id: "0"),
        ]
        let reply = TaskRoutes.BatchReply(accepted: 3, created: 2, rejected: 2, results: items)
        #expect(try Self.written(reply) == Self.encoded(reply))
    }

    /// Text JSONEncoder escapes, or might: quotes, backslashes, controls, DEL, non-ASCII, slashes.
    @Test func textThatNeedsEscaping() throws {
        let awkward = ["say \"hi\"", #"back\slash"#, "line\nbreak\ttab\r\u{8}\u{c}", "nul \u{0} and \u{1f}", "del \u{7f}",
                       "caf\u{e9} \u{2028} \u{1F600}", "a/b//c", "", " "]
        let items = awkward.enumerated().map { offset, text in
            Item(index: offset, status: offset.isMultiple(of: 2) ? "rejected" : text, id: offset.isMultiple(of: 2) ? nil : text,
                 error: offset.isMultiple(of: 2) ? .init(code: text, field: text, message: text) : nil)
        }
        let reply = TaskRoutes.BatchReply(accepted: 4, created: 0, rejected: 5, results: items)
        #expect(try Self.written(reply) == Self.encoded(reply))
    }

    @Test func emptyAndLargeReplies() throws {
        let empty = TaskRoutes.BatchReply(accepted: 0, created: 0, rejected: 0, results: [])
        #expect(try Self.written(empty) == Self.encoded(empty))
        let items = (0..<10_000).map { Item(index: $0, status: $0 % 7 == 0 ? "existing" : "created", id: "bench-\($0)-\(UUID().uuidString)") }
        let full = TaskRoutes.BatchReply(accepted: 10_000, created: 8_571, rejected: 0, results: items)
        #expect(try Self.written(full) == Self.encoded(full))
    }
}
