import Logging
import SynthCommon

/// Sends each call's record to synth.llm-calls before the response goes back,
/// so a record is never lost to a crash after the caller saw the answer.
struct CallRecorder: Sendable {
    let publisher: EventPublisher
    let logger: Logger

    func record(_ call: LLMCallRecorded) async {
        do {
            try await publisher.publish(call)
        } catch {
            logger.error("llm_call_record_failed", metadata: ["call_id": "\(call.callID)", "error": "\(error)"])
        }
    }
}
