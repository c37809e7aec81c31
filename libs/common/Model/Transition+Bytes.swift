/// A transition's JSON written by hand: the collector writes one per step event into the batch
/// it sends to Postgres, and JSONEncoder was about a third of its CPU per event. Same JSON as
/// `SynthJSON.encode(transition)`: keys sorted, nil fields left out, dates as SynthJSON writes
/// them, numbers as JSONEncoder prints them (tests compare the two).
extension Transition {
    /// nil when a number is not finite (JSONEncoder throws there): the caller encodes with
    /// JSONEncoder to get its error.
    public func writeJSON(to out: inout [UInt8]) -> Bool {
        guard reward.isFinite, action.toolArgs?.isFinite ?? true, state.customState?.isFinite ?? true else { return false }
        out.append(contentsOf: #"{"action":{"action_type":"#.utf8)
        JSONBytesWriter.string(action.actionType.rawValue, to: &out)
        out.append(contentsOf: #","content":"#.utf8)
        JSONBytesWriter.string(action.content, to: &out)
        out.put("reasoning", action.reasoning)
        if let toolArgs = action.toolArgs {
            out.append(contentsOf: #","tool_args":"#.utf8)
            _ = JSONBytesWriter.value(toolArgs, to: &out)
        }
        out.put("tool_name", action.toolName)
        out.append(contentsOf: #"},"done":"#.utf8)
        out.append(contentsOf: (done ? "true" : "false").utf8)
        out.append(contentsOf: #","info":{"#.utf8)
        out.put("completion_tokens", info.completionTokens, first: true)
        out.put("duration_ms", info.durationMS, first: info.completionTokens == nil)
        out.put("exit_code", info.exitCode)
        out.put("llm_call_id", info.llmCallID)
        out.put("llm_latency_ms", info.llmLatencyMS)
        out.put("prompt_tokens", info.promptTokens)
        out.put("tool_duration_ms", info.toolDurationMS)
        out.append(contentsOf: #"},"messages":["#.utf8)
        for (index, message) in messages.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            message.writeJSON(to: &out)
        }
        out.append(contentsOf: #"],"observation":{"content":"#.utf8)
        JSONBytesWriter.string(observation.content, to: &out)
        out.put("error", observation.error)
        out.put("exit_code", observation.exitCode)
        out.append(contentsOf: #","truncated":"#.utf8)
        out.append(contentsOf: (observation.truncated ? "true" : "false").utf8)
        out.append(contentsOf: #"},"reward":"#.utf8)
        JSONBytesWriter.number(reward, to: &out)
        out.append(contentsOf: #","state":{"#.utf8)
        state.writeMembers(to: &out)
        out.append(contentsOf: #"},"step_number":"#.utf8)
        out.append(contentsOf: String(stepNumber).utf8)
        out.append(contentsOf: #","timestamp":"#.utf8)
        JSONBytesWriter.string(SynthJSON.formatTimestamp(timestamp), to: &out)
        out.append(UInt8(ascii: "}"))
        return true
    }
}

extension State {
    fileprivate func writeMembers(to out: inout [UInt8]) {
        var first = true
        if let changedFiles {
            out.append(contentsOf: #""changed_files":["#.utf8)
            for (index, file) in changedFiles.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONBytesWriter.string(file, to: &out)
            }
            out.append(UInt8(ascii: "]"))
            first = false
        }
        if let customState {
            out.append(contentsOf: (first ? #""custom_state":"# : #","custom_state":"#).utf8)
            _ = JSONBytesWriter.value(customState, to: &out)
            first = false
        }
        out.put("diff", diff, first: first)
        out.append(contentsOf: (first && diff == nil ? #""environment_variables":{"# : #","environment_variables":{"#).utf8)
        for (index, name) in JSONBytesWriter.sortedKeys(environmentVariables).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONBytesWriter.string(name, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONBytesWriter.string(environmentVariables[name]!, to: &out)
        }
        out.append(contentsOf: #"},"files":{"#.utf8)
        for (index, path) in JSONBytesWriter.sortedKeys(files).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            let file = files[path]!
            JSONBytesWriter.string(path, to: &out)
            out.append(contentsOf: #":{"sha256":"#.utf8)
            JSONBytesWriter.string(file.sha256, to: &out)
            out.append(contentsOf: #","size":"#.utf8)
            out.append(contentsOf: String(file.size).utf8)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"},"process_state":{"#.utf8)
        out.put("last_exit_code", processState.lastExitCode, first: true)
        out.append(contentsOf: #"},"working_directory":"#.utf8)
        JSONBytesWriter.string(workingDirectory, to: &out)
    }
}

extension ChatMessage {
    fileprivate func writeJSON(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        out.put("content", content, first: true)
        out.put("name", name, first: content == nil)
        out.append(contentsOf: (content == nil && name == nil ? #""role":"# : #","role":"#).utf8)
        JSONBytesWriter.string(role, to: &out)
        out.put("tool_call_id", toolCallID)
        if let toolCalls {
            out.append(contentsOf: #","tool_calls":["#.utf8)
            for (index, call) in toolCalls.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: #"{"function":{"arguments":"#.utf8)
                JSONBytesWriter.string(call.function.arguments, to: &out)
                out.append(contentsOf: #","name":"#.utf8)
                JSONBytesWriter.string(call.function.name, to: &out)
                out.append(contentsOf: #"},"id":"#.utf8)
                JSONBytesWriter.string(call.id, to: &out)
                out.append(contentsOf: #","type":"#.utf8)
                JSONBytesWriter.string(call.type, to: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
    }
}

extension JSONValue {
    /// Whether every number in the value is finite (JSONEncoder refuses the others).
    var isFinite: Bool {
        switch self {
        case .number(let number): return number.isFinite
        case .array(let items): return items.allSatisfy(\.isFinite)
        case .object(let members): return members.values.allSatisfy(\.isFinite)
        case .null, .bool, .string: return true
        }
    }
}

extension [UInt8] {
    /// `,"key":"value"` (no comma when `first`), nothing for nil: JSONEncoder leaves nil optionals out.
    fileprivate mutating func put(_ key: StaticString, _ value: String?, first: Bool = false) {
        guard let value else { return }
        putKey(key, first: first)
        JSONBytesWriter.string(value, to: &self)
    }

    fileprivate mutating func put(_ key: StaticString, _ value: Int?, first: Bool = false) {
        guard let value else { return }
        putKey(key, first: first)
        append(contentsOf: String(value).utf8)
    }

    private mutating func putKey(_ key: StaticString, first: Bool) {
        if !first { append(UInt8(ascii: ",")) }
        append(UInt8(ascii: "\""))
        append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        append(contentsOf: #"":"#.utf8)
    }
}

extension JSONValue {
    /// A JSON string as JSONEncoder (SynthJSON) escapes it, for writers outside this module.
    public static func writeJSONString(_ text: String, to out: inout [UInt8]) {
        JSONBytesWriter.string(text, to: &out)
    }
}
