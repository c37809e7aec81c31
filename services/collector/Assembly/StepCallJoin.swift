import SynthCommon

/// A model call as the collector keeps it (table llm_calls), enough to join it to a step.
struct RecordedCall: Sendable, Equatable {
    var callID: String
    var status: Int
    /// The ids of the tool calls the reply asked for, and its text.
    var toolCallIDs: [String]
    var content: String?
    var costDollars: Double
}

/// Joins each step of a trajectory with the model call that produced its assistant turn.
///
/// The executor does not know the router's call id, but each reply's tool-call ids are unique
/// and appear in the step's messages, so they identify the call exactly; a final answer (no tool
/// calls) is matched by its text. `info.llm_call_id`, when a scaffold sets it, wins. The join is
/// a pure function of the stored steps and calls, so it gives the same answer whatever order
/// the events arrived in.
enum StepCallJoin {
    static func join(steps: [Transition], calls: [RecordedCall]) -> [String?] {
        let successful = calls.filter { (200..<300).contains($0.status) }
        let byID = Dictionary(successful.map { ($0.callID, $0) }, uniquingKeysWith: { first, _ in first })
        var used = Set<String>()
        var joined: [String?] = []
        for step in steps {
            let assistant = step.messages.first { $0.role == "assistant" }
            let toolCallIDs = Set(assistant?.toolCalls?.map(\.id) ?? [])
            var match: String?
            if let explicit = step.info.llmCallID, byID[explicit] != nil {
                match = explicit
            } else if !toolCallIDs.isEmpty {
                match = successful.first { !toolCallIDs.isDisjoint(with: $0.toolCallIDs) }?.callID
            } else if let assistant {
                match = successful.first { !used.contains($0.callID) && $0.toolCallIDs.isEmpty && $0.content == assistant.content }?.callID
            }
            // One reply with several tool calls drives several steps; only the first carries the call.
            if let found = match, used.contains(found) { match = nil }
            if let found = match { used.insert(found) }
            joined.append(match)
        }
        return joined
    }
}
