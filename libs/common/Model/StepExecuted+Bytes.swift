import Foundation

/// StepExecuted read straight from an event's bytes, in one pass and without JSONDecoder: the
/// collector decodes one per step event, and JSONDecoder (generic containers, a key dictionary
/// per object) was about half of its CPU per event (docs/BENCHMARKS.md, "Collector ingest").
extension StepExecuted {
    /// The payload of a StepExecuted envelope, or nil when the bytes hold anything this reader
    /// does not take on itself: malformed JSON, a key written with escapes or given twice, an
    /// integer field not written as a plain integer, a missing field, a value of the wrong type.
    /// The caller then decodes with JSONDecoder, so errors and unusual inputs get exactly the
    /// Codable path's outcome; for the rest the result equals it (tests compare both).
    public init?(envelopeBytes bytes: [UInt8]) {
        guard let step = Self.envelope(bytes: bytes)?.step else { return nil }
        self = step
    }

    /// The header and payload of a StepExecuted envelope, read in the same one pass: the header
    /// equals `EventHeader(envelopeBytes:)`'s, which would scan the payload a second time
    /// (about a seventh of the collector's CPU per event, docs/BENCHMARKS.md). nil as above, and
    /// for an envelope whose type is not StepExecuted.
    public static func envelope(bytes: [UInt8]) -> (header: EventHeader, step: StepExecuted)? {
        let read = bytes.withUnsafeBufferPointer { buffer -> (EventHeader, StepExecuted)? in
            var reader = JSONValue.Reader(bytes: buffer)
            return try? reader.stepEnvelope()
        }
        guard let read, read.0.type == eventType else { return nil }
        return read
    }
}

typealias ParseError = JSONValue.ParseError

/// The typed reads. Depths are those of the whole envelope document (envelope 1, payload 2,
/// transition 3 ...), so a JSONValue field meets the same nesting limit as in JSONDecoder.
extension JSONValue.Reader {
    /// The header's members are read too: JSONDecoder refuses an envelope without them.
    mutating func stepEnvelope() throws(ParseError) -> (EventHeader, StepExecuted) {
        var step: StepExecuted?
        var header = HeaderMembers()
        var seen = Seen()
        try members { (reader, key) throws(ParseError) in
            if key.is("payload") { try seen.once(0, reader); step = try reader.stepExecuted() }
            else if try !header.read(key, &reader) { try reader.skip(depth: 1) }
        }
        skipWhitespace()
        guard position == bytes.count, let step, let read = header.header else { throw failure("not a StepExecuted envelope") }
        return (read, step)
    }

    mutating func stepExecuted() throws(ParseError) -> StepExecuted {
        var taskID: String?, trajectoryID: String?, transition: Transition?
        var seen = Seen()
        try members { (reader, key) throws(ParseError) in
            if key.is("task_id") { try seen.once(0, reader); taskID = try reader.text() }
            else if key.is("trajectory_id") { try seen.once(1, reader); trajectoryID = try reader.text() }
            else if key.is("transition") { try seen.once(2, reader); transition = try reader.transition() }
            else { try reader.skip(depth: 2) }
        }
        guard let taskID, let trajectoryID, let transition else { throw failure("StepExecuted field missing") }
        return StepExecuted(taskID: taskID, trajectoryID: trajectoryID, transition: transition)
    }

    mutating func transition() throws(ParseError) -> Transition {
        var timestamp: Date?, stepNumber: Int?, state: State?, action: Action?, observation: Observation?
        var reward: Double?, done: Bool?, info: TransitionInfo?, messages: [ChatMessage]?
        var seen = Seen()
        try members { (reader, key) throws(ParseError) in
            if key.is("timestamp") { try seen.once(0, reader); timestamp = try reader.date() }
            else if key.is("step_number") { try seen.once(1, reader); stepNumber = try reader.integer() }
            else if key.is("state") { try seen.once(2, reader); state = try reader.state() }
            else if key.is("action") { try seen.once(3, reader); action = try reader.action() }
            else if key.is("observation") { try seen.once(4, reader); observation = try reader.observation() }
            else if key.is("reward") { try seen.once(5, reader); reward = try reader.double() }
            else if key.is("done") { try seen.once(6, reader); done = try reader.boolean() }
            else if key.is("info") { try seen.once(7, reader); info = try reader.transitionInfo() }
            else if key.is("messages") {
                try seen.once(8, reader)
                var list: [ChatMessage] = []
                try reader.elements { (reader) throws(ParseError) in list.append(try reader.chatMessage()) }
                messages = list
            } else { try reader.skip(depth: 3) }
        }
        guard let timestamp, let stepNumber, let state, let action, let observation, let reward, let done, let info, let messages
        else { throw failure("Transition field missing") }
        return Transition(timestamp: timestamp, stepNumber: stepNumber, state: state, action: action, observation: observation,
                          reward: reward, done: done, info: info, messages: messages)
    }

    mutating func state() throws(ParseError) -> State {
        var files: [String: FileState]?, workingDirectory: String?, environment: [String: String]?, processState: ProcessState?
        var customState: JSONValue?, changedFiles: [String]?, diff: String?
        var seen = Seen()
        try members { (reader, key) throws(ParseError) in
            if key.is("files") {
                try seen.once(0, reader)
                var map: [String: FileState] = [:]
                try reader.dictionary { (reader, name) throws(ParseError) in
                    guard map.updateValue(try reader.fileState(), forKey: name) == nil else { throw reader.failure("repeated key") }
                }
                files = map
            } else if key.is("working_directory") { try seen.once(1, reader); workingDirectory = try reader.text() }
            else if key.is("environment_variables") {
                try seen.once(2, reader)
                var map: [String: String] = [:]
                try reader.dictionary { (reader, name) throws(ParseError) in
                    guard map.updateValue(try reader.text(), forKey: name) == nil else { throw reader.failure("repeated key") }
                }
                environment = map
            } else if key.is("process_state") {
                try seen.once(3, reader)
                var lastExitCode: Int?
                var inner = Seen()
                try reader.members { (reader, key) throws(ParseError) in
                    if key.is("last_exit_code") { try inner.once(0, reader); lastExitCode = try reader.optional { (r) throws(ParseError) in try r.integer() } }
                    else { try reader.skip(depth: 5) }
                }
                processState = ProcessState(lastExitCode: lastExitCode)
            } else if key.is("custom_state") {
                try seen.once(4, reader)
                customState = try reader.optional { (r) throws(ParseError) in try r.value(depth: 4) }
            } else if key.is("changed_files") {
                try seen.once(5, reader)
                changedFiles = try reader.optional { (r) throws(ParseError) in
                    var list: [String] = []
                    try r.elements { (r) throws(ParseError) in list.append(try r.text()) }
                    return list
                }
            } else if key.is("diff") { try seen.once(6, reader); diff = try reader.optionalText() }
            else { try reader.skip(depth: 4) }
        }
        guard let files, let workingDirectory, let environment, let processState else { throw failure("State field missing") }
        return State(files: files, workingDirectory: workingDirectory, environmentVariables: environment, processState: processState,
                     customState: customState, changedFiles: changedFiles, diff: diff)
    }

    mutating func fileState() throws(ParseError) -> FileState {
        var sha256: String?, size: Int?
        var seen = Seen()
        try members { (reader, key) throws(ParseError) in
            if key.is("sha256") { try seen.once(0, reader); sha256 = try reader.text() }
            else if key.is("size") { try seen.once(1, reader); size = try reader.integer() }
            else { try reader.skip(depth: 6) }
        }
        guard let sha256, let size else { throw failure("FileState field missing") }
        return FileState(sha256: sha256, size: size)
    }

    mutating func action() throws(ParseError) -> Action {
        var actionType: ActionType?, content: String?, toolName: String?, toolArgs: JSONValue?, reasoning: String?
        var seen = Seen()
        try members { (reader, key) throws(ParseError) in
            if key.is("action_type") {
                try seen.once(0, reader)
                guard let type = ActionType(rawValue: try reader.text()) else { throw reader.failure("unknown action type") }
                actionType = type
            } else if key.is("content") { try seen.once(1, reader); content = try reader.text() }
            else if key.is("tool_name") { try seen.once(2, reader); toolName = try reader.optionalText() }
            else if key.is("tool_args") { try seen.once(3, reader); toolArgs = try reader.optional { (r) throws(ParseError) in try r.value(depth: 4) } }
            else if key.is("reasoning") { try seen.once(4, reader); reasoning = try reader.optionalText() }
            else { try reader.skip(depth: 4) }
        }
        guard let actionType, let content else { throw failure("Action field missing") }
        return Action(actionType: actionType, content: content, toolName: toolName, toolArgs: toolArgs, reasoning: reasoning)
    }

    mutating func observation() throws(ParseError) -> Observation {
        var content: String?, exitCode: Int?, truncated: Bool?, error: String?
        var seen = Seen()
        try members { (reader, key) throws(ParseError) in
            if key.is("content") { try seen.once(0, reader); content = try reader.text() }
            else if key.is("exit_code") { try seen.once(1, reader); exitCode = try reader.optionalInteger() }
            else if key.is("truncated") { try seen.once(2, reader); truncated = try reader.boolean() }
            else if key.is("error") { try seen.once(3, reader); error = try reader.optionalText() }
            else { try reader.skip(depth: 4) }
        }
        guard let content, let truncated else { throw failure("Observation field missing") }
        return Observation(content: content, exitCode: exitCode, truncated: truncated, error: error)
    }

    mutating func transitionInfo() throws(ParseError) -> TransitionInfo {
        var info = TransitionInfo(durationMS: 0)
        var hasDuration = false
        var seen = Seen()
        try members { (reader, key) throws(ParseError) in
            if key.is("duration_ms") { try seen.once(0, reader); info.durationMS = try reader.integer(); hasDuration = true }
            else if key.is("llm_latency_ms") { try seen.once(1, reader); info.llmLatencyMS = try reader.optionalInteger() }
            else if key.is("llm_call_id") { try seen.once(2, reader); info.llmCallID = try reader.optionalText() }
            else if key.is("prompt_tokens") { try seen.once(3, reader); info.promptTokens = try reader.optionalInteger() }
            else if key.is("completion_tokens") { try seen.once(4, reader); info.completionTokens = try reader.optionalInteger() }
            else if key.is("tool_duration_ms") { try seen.once(5, reader); info.toolDurationMS = try reader.optionalInteger() }
            else if key.is("exit_code") { try seen.once(6, reader); info.exitCode = try reader.optionalInteger() }
            else { try reader.skip(depth: 4) }
        }
        guard hasDuration else { throw failure("TransitionInfo field missing") }
        return info
    }

    mutating func chatMessage() throws(ParseError) -> ChatMessage {
        var role: String?, content: String?, toolCalls: [ToolCall]?, toolCallID: String?, name: String?
        var seen = Seen()
        try members { (reader, key) throws(ParseError) in
            if key.is("role") { try seen.once(0, reader); role = try reader.text() }
            else if key.is("content") { try seen.once(1, reader); content = try reader.optionalText() }
            else if key.is("tool_calls") {
                try seen.once(2, reader)
                toolCalls = try reader.optional { (r) throws(ParseError) in
                    var list: [ToolCall] = []
                    try r.elements { (r) throws(ParseError) in list.append(try r.toolCall()) }
                    return list
                }
            } else if key.is("tool_call_id") { try seen.once(3, reader); toolCallID = try reader.optionalText() }
            else if key.is("name") { try seen.once(4, reader); name = try reader.optionalText() }
            else { try reader.skip(depth: 5) }
        }
        guard let role else { throw failure("ChatMessage field missing") }
        return ChatMessage(role: role, content: content, toolCalls: toolCalls, toolCallID: toolCallID, name: name)
    }

    mutating func toolCall() throws(ParseError) -> ToolCall {
        var id: String?, type: String?, function: ToolCall.FunctionCall?
        var seen = Seen()
        try members { (reader, key) throws(ParseError) in
            if key.is("id") { try seen.once(0, reader); id = try reader.text() }
            else if key.is("type") { try seen.once(1, reader); type = try reader.text() }
            else if key.is("function") {
                try seen.once(2, reader)
                var name: String?, arguments: String?
                var inner = Seen()
                try reader.members { (reader, key) throws(ParseError) in
                    if key.is("name") { try inner.once(0, reader); name = try reader.text() }
                    else if key.is("arguments") { try inner.once(1, reader); arguments = try reader.text() }
                    else { try reader.skip(depth: 8) }
                }
                guard let name, let arguments else { throw reader.failure("FunctionCall field missing") }
                function = ToolCall.FunctionCall(name: name, arguments: arguments)
            } else { try reader.skip(depth: 7) }
        }
        guard let id, let type, let function else { throw failure("ToolCall field missing") }
        var call = ToolCall(id: id, name: function.name, arguments: function.arguments)
        call.type = type
        return call
    }
}

/// The structural reads the typed ones are made of. Anything outside the plain forms throws,
/// which sends the event to JSONDecoder.
extension JSONValue.Reader {
    /// Each member of an object, key as its raw bytes (`member` reads the value). A key with an
    /// escape, a control character or a non-ASCII byte, or a trailing comma, is left to JSONDecoder.
    mutating func members(_ member: (inout Self, Key) throws(ParseError) -> Void) throws(ParseError) {
        try open(UInt8(ascii: "{"))
        if next() == UInt8(ascii: "}") { position += 1; return }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let start = position + 1
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                // Escapes, control characters and non-ASCII (to be checked as UTF-8) go to JSONDecoder.
                guard bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20, bytes[end] < 0x80 else { throw failure("a key to leave to JSONDecoder") }
                end += 1
            }
            guard end < bytes.count else { throw failure("unexpected end of data in a key") }
            position = end + 1
            try open(UInt8(ascii: ":"))
            skipWhitespace()
            try member(&self, Key(bytes: UnsafeBufferPointer(rebasing: bytes[start..<end])))
            guard let byte = next() else { throw failure("unexpected end of data in an object") }
            position += 1
            if byte == UInt8(ascii: "}") { return }
            guard byte == UInt8(ascii: ",") else { throw failure("expected ',' or '}'") }
        }
    }

    /// Each member of an object read as a Swift dictionary, the key decoded (paths, variable names).
    mutating func dictionary(_ member: (inout Self, String) throws(ParseError) -> Void) throws(ParseError) {
        try open(UInt8(ascii: "{"))
        if next() == UInt8(ascii: "}") { position += 1; return }
        while true {
            guard next() == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let key = try string()
            try open(UInt8(ascii: ":"))
            skipWhitespace()
            try member(&self, key)
            guard let byte = next() else { throw failure("unexpected end of data in an object") }
            position += 1
            if byte == UInt8(ascii: "}") { return }
            guard byte == UInt8(ascii: ",") else { throw failure("expected ',' or '}'") }
        }
    }

    mutating func elements(_ element: (inout Self) throws(ParseError) -> Void) throws(ParseError) {
        try open(UInt8(ascii: "["))
        if next() == UInt8(ascii: "]") { position += 1; return }
        while true {
            skipWhitespace()
            try element(&self)
            guard let byte = next() else { throw failure("unexpected end of data in an array") }
            position += 1
            if byte == UInt8(ascii: "]") { return }
            guard byte == UInt8(ascii: ",") else { throw failure("expected ',' or ']'") }
        }
    }

    /// The next byte after whitespace, not consumed.
    mutating func next() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    mutating func open(_ byte: UInt8) throws(ParseError) {
        guard next() == byte else { throw failure("expected '\(Unicode.Scalar(byte))'") }
        position += 1
    }

    /// Past a member nobody reads: validated as `value(depth:)` would, without building it.
    mutating func skip(depth: Int) throws(ParseError) {
        try check(depth: depth)
    }

    mutating func text() throws(ParseError) -> String {
        guard next() == UInt8(ascii: "\"") else { throw failure("expected a string") }
        return try string()
    }

    mutating func date() throws(ParseError) -> Date {
        // The same parse as SynthJSON.decoder's date strategy.
        guard let date = SynthJSON.parseTimestamp(try text()) else { throw failure("expected an ISO-8601 timestamp") }
        return date
    }

    /// A plain integer of at most 18 digits (no fraction or exponent, which JSONDecoder has its own rules for).
    mutating func integer() throws(ParseError) -> Int {
        skipWhitespace()
        var index = position
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let first = index
        var value = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        let count = index - first
        guard count > 0, count <= 18, count == 1 || bytes[first] != UInt8(ascii: "0") else { throw failure("expected a plain integer") }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            throw failure("expected a plain integer")
        }
        position = index
        return negative ? -value : value
    }

    mutating func double() throws(ParseError) -> Double {
        guard let byte = next(), byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
            throw failure("expected a number")
        }
        return try number()
    }

    mutating func boolean() throws(ParseError) -> Bool {
        switch next() {
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        default: throw failure("expected a boolean")
        }
    }

    /// nil for a JSON null, as `decodeIfPresent` reads it, else `read`.
    mutating func optional<T>(_ read: (inout Self) throws(ParseError) -> T) throws(ParseError) -> T? {
        if next() == UInt8(ascii: "n") {
            try literal("null")
            return nil
        }
        return try read(&self)
    }

    mutating func optionalText() throws(ParseError) -> String? {
        try optional { (reader) throws(ParseError) in try reader.text() }
    }

    mutating func optionalInteger() throws(ParseError) -> Int? {
        try optional { (reader) throws(ParseError) in try reader.integer() }
    }

    /// An object key's raw bytes, compared with the names the types declare.
    struct Key {
        let bytes: UnsafeBufferPointer<UInt8>

        @inline(__always) func `is`(_ name: StaticString) -> Bool {
            bytes.count == name.utf8CodeUnitCount && memcmp(bytes.baseAddress!, name.utf8Start, bytes.count) == 0
        }
    }

    /// The fields of one object already read: a repeated key is left to JSONDecoder.
    struct Seen {
        private var mask: UInt32 = 0

        mutating func once(_ field: UInt32, _ reader: JSONValue.Reader) throws(ParseError) {
            guard mask & (1 << field) == 0 else { throw reader.failure("repeated key") }
            mask |= 1 << field
        }

        var count: Int { mask.nonzeroBitCount }
    }
}
