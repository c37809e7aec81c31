import Foundation
import Testing
import SynthCommon
@testable import synth_api

/// A batch is decoded in one JSONDecoder pass unless it may hold NUL; then
/// each element goes through JSONSerialization first. Both must accept the
/// same tasks and reject the same items with the same field and message.
@Suite struct BatchBodyTests {
    static let valid = #"""
        {"id": "t-1", "created_at": "2026-11-28T10:00:00.000Z", "instruction": "Fix it", "category": "bugfix", "difficulty": "easy",
         "docker_image": "synth-python:bookworm", "tags": ["a"], "initial_files": {"src/app.py": "x = 1\n"},
         "verification_tests": [{"name": "t", "command": "pytest"}], "reference_solution": [{"tool": "read", "arguments": {"path": "a"}}],
         "unknown_field": {"nested": [1, 2.5, null]}}
        """#

    /// One element per way an item can fail, between valid ones.
    static let elements = [
        valid,
        #"{"category": "x"}"#,
        valid.replacingOccurrences(of: #""difficulty": "easy""#, with: #""difficulty": "impossible""#),
        valid.replacingOccurrences(of: #""instruction": "Fix it""#, with: #""instruction": 5"#),
        valid.replacingOccurrences(of: #"{"name": "t", "command": "pytest"}"#, with: #"{"name": "t"}"#),
        valid.replacingOccurrences(of: #""tags": ["a"]"#, with: #""tags": ["a", 7]"#),
        valid.replacingOccurrences(of: #""tags": ["a"]"#, with: #""resource_limits": {"memory_mb": "lots"}"#),
        valid.replacingOccurrences(of: #""tags": ["a"]"#, with: #""timeout_seconds": 1.5"#),
        valid.replacingOccurrences(of: #""tags": ["a"]"#, with: #""timeout_seconds": 0, "max_steps": 0"#),
        valid.replacingOccurrences(of: #""instruction": "Fix it""#, with: #""instruction": null"#),
        valid.replacingOccurrences(of: #"2026-11-28T10:00:00.000Z"#, with: "yesterday"),
        valid.replacingOccurrences(of: #""src/app.py""#, with: #""../escape.py""#),
        valid.replacingOccurrences(of: #""t-1""#, with: #""bad id!""#),
        "1", #""text""#, "null", "[]", "{}", "true",
        valid.replacingOccurrences(of: #""t-1""#, with: #""t-2""#),
    ]

    static func outcomes(_ body: BatchBody) -> [String] {
        (0..<body.count).map { index in
            do {
                let task = try body.task(at: index)
                return "task \(task.id) \(String(decoding: try! SynthJSON.encode(task), as: UTF8.self))"
            } catch let error as APIError {
                return "\(error.code) \(error.field ?? "-") \(error.message) \(error.details ?? [])"
            } catch {
                return "unexpected \(error)"
            }
        }
    }

    @Test func jsonArrayDecodedInPlaceAgreesWithTheGuardedPath() throws {
        let data = Data(("[" + Self.elements.joined(separator: ",\n") + "]").utf8)
        let decoded = Self.outcomes(try BatchBody.decoded(data, jsonLines: false))
        let guarded = Self.outcomes(try BatchBody.guarded(data, jsonLines: false))
        #expect(decoded.count == Self.elements.count)
        for (index, pair) in zip(decoded, guarded).enumerated() {
            #expect(pair.0 == pair.1, "item \(index)")
        }
        #expect(decoded[0].hasPrefix("task t-1 ") && decoded.last!.hasPrefix("task t-2 "))
        #expect(decoded[1].hasPrefix("invalid_task [1].instruction "))
        #expect(decoded[13].hasPrefix("invalid_task [13] [13]: must be a JSON object"))
    }

    /// Items the direct byte reader takes on whole (no unknown member), some
    /// of which only the api's checks reject: the direct path must give what
    /// the guarded path gives, item by item.
    @Test func directlyReadArrayAgreesWithTheGuardedPath() throws {
        let known = Self.valid.replacingOccurrences(of: #",\s*"unknown_field": \{"nested": \[1, 2.5, null\]\}"#, with: "",
                                                   options: .regularExpression)
        let items = [
            known,
            known.replacingOccurrences(of: #""tags": ["a"]"#, with: #""timeout_seconds": 0, "max_steps": 0"#),
            known.replacingOccurrences(of: #""src/app.py""#, with: #""../escape.py""#),
            known.replacingOccurrences(of: #""t-1""#, with: #""bad id!""#),
            known.replacingOccurrences(of: #""Fix it""#, with: #""Fix \"it\" \u00e9 \ud83d\ude00""#),
            known.replacingOccurrences(of: #""t-1""#, with: #""t-2""#),
        ]
        let data = Data(("[" + items.joined(separator: ",\n") + "]").utf8)
        #expect(data.withUnsafeBytes { TaskDefinition.directArray(json: $0) }?.count == items.count, "the direct reader took every item")
        let decoded = Self.outcomes(try BatchBody.decoded(data, jsonLines: false))
        let guarded = Self.outcomes(try BatchBody.guarded(data, jsonLines: false))
        #expect(decoded == guarded)
        #expect(decoded[0].hasPrefix("task t-1 ") && decoded[5].hasPrefix("task t-2 "))
        #expect(decoded[1].hasPrefix("invalid_task [1]."))
        let lines = Data(items.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n").utf8)
        #expect(Self.outcomes(try BatchBody.decoded(lines, jsonLines: true)) == Self.outcomes(try BatchBody.guarded(lines, jsonLines: true)))
    }

    @Test func jsonLinesDecodedInPlaceAgreesWithTheGuardedPath() throws {
        let lines = Self.elements.map { $0.replacingOccurrences(of: "\n", with: " ") } + ["{not json", "  \t"]
        let data = Data(lines.joined(separator: "\n").utf8)
        let decoded = Self.outcomes(try BatchBody.decoded(data, jsonLines: true))
        let guarded = Self.outcomes(try BatchBody.guarded(data, jsonLines: true))
        #expect(decoded.count == Self.elements.count + 1)
        #expect(decoded == guarded)
    }

    @Test func bodiesThatAreNotABatchAreRejectedWhole() {
        for body in [#"{"not": "an array"}"#, "[1, 2", "", "[{\"instruction\": \"a\"} {}]"] {
            #expect(throws: APIError.self) { try BatchBody.decoded(Data(body.utf8), jsonLines: false) }
            #expect(throws: APIError.self) { try BatchBody.guarded(Data(body.utf8), jsonLines: false) }
        }
    }

    @Test func nulGoesTheGuardedWayAndIsNamed() throws {
        #expect(BatchElement.mayHoldNUL(Data(#"[{"a": "x\u0000"}]"#.utf8)))
        #expect(BatchElement.mayHoldNUL(Data([0x5B, 0x00, 0x5D])))
        #expect(!BatchElement.mayHoldNUL(Data(Self.valid.utf8)))
        let withNUL = Data(("[" + Self.valid + "," + Self.valid.replacingOccurrences(of: "Fix it", with: #"Fix\u0000it"#) + "]").utf8)
        let outcomes = Self.outcomes(try BatchBody(withNUL, jsonLines: false))
        #expect(outcomes[0].hasPrefix("task t-1 "))
        #expect(outcomes[1].hasPrefix("invalid_body [1].instruction [1].instruction: must not contain the NUL character"))
    }
}
