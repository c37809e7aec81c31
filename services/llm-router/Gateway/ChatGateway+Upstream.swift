import Foundation
import SynthCommon
import SynthHTTPClient

/// A whole answer: the OpenAI `chat.completion` and the exact bytes sent to the client.
struct UpstreamAnswer: Sendable {
    var completion: JSONValue
    var body: [UInt8]
}

/// A stream whose first output is in hand: from here on the client gets a 200.
struct OpenedStream: Sendable {
    var source: StreamSource
    var first: [StreamChunk]
}

/// The upstream body of one stream, read in order by one task at a time
/// (first by the gateway up to the first output, then by the response
/// writer), hence unchecked.
final class StreamSource: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
    private var parser = SSEParser()
    private(set) var translator: any StreamTranslator
    private var ended = false
    /// An upstream error that came in the same read as chunks before it: those go out first.
    private var deferredError: (any Error)?

    init(body: AsyncThrowingStream<[UInt8], any Error>, translator: any StreamTranslator) {
        iterator = body.makeAsyncIterator()
        self.translator = translator
    }

    var isComplete: Bool { translator.isComplete }

    /// The next chunks to send (possibly none), or nil at the end of the body.
    func next() async throws -> [StreamChunk]? {
        if let error = deferredError {
            deferredError = nil
            ended = true
            throw error
        }
        guard !ended else { return nil }
        if let bytes = try await iterator.next() {
            var out: [StreamChunk] = []
            for event in parser.feed(bytes) {
                do {
                    out += try translator.translate(event)
                } catch {
                    // Whether output and a later error share one read depends on
                    // timing; the client must get the output either way, then the error.
                    if out.isEmpty { throw error }
                    deferredError = error
                    return out
                }
            }
            return out
        }
        ended = true
        try Task.checkCancellation()
        if let event = parser.finish() { return try translator.translate(event) }
        return nil
    }

    func finish() -> [StreamChunk] { translator.finish() }
}

extension ChatGateway {
    func timeout(_ deployment: ModelDeployment) -> (Duration, Double) {
        let seconds = deployment.timeoutSeconds ?? config.resilience.timeoutSeconds
        return (.milliseconds(Int64(seconds * 1000)), seconds)
    }

    func call(_ request: [String: JSONValue], deployment: ModelDeployment, trace: inout CallTrace) async -> Result<UpstreamAnswer, AttemptFailure> {
        let adapter = Adapters.adapter(for: deployment.provider)
        let (limit, seconds) = timeout(deployment)
        let started = ContinuousClock.now
        let response: HTTPClientResponse
        do {
            response = try await http.execute(adapter.makeRequest(request, deployment: deployment, stream: false, timeout: limit))
        } catch {
            let elapsed = ContinuousClock.now - started
            trace.upstreamTime += elapsed
            let failure = AttemptFailure.transport(error, model: deployment.name, timeout: seconds)
            trace.addAttempt(deployment, status: nil, error: failure.message, elapsed: elapsed)
            return .failure(failure)
        }
        let elapsed = ContinuousClock.now - started
        trace.upstreamTime += elapsed
        let parsed = try? JSONValue(parsing: response.body)
        guard response.isSuccess else {
            let message = parsed.flatMap(adapter.errorMessage) ?? String(decoding: response.body.prefix(300), as: UTF8.self)
            let failure = AttemptFailure.fromStatus(response.status, headers: response.headers, message: message, model: deployment.name)
            trace.addAttempt(deployment, status: response.status, error: message, elapsed: elapsed)
            return .failure(failure)
        }
        guard let parsed else {
            let message = "the upstream for '\(deployment.name)' returned a body that is not JSON (status \(response.status))"
            trace.addAttempt(deployment, status: response.status, error: message, elapsed: elapsed)
            return .failure(AttemptFailure(status: 502, message: message, retryable: false, failover: true))
        }
        do {
            let completion = try adapter.translateResponse(parsed, deployment: deployment)
            trace.addAttempt(deployment, status: response.status, error: nil, elapsed: elapsed)
            // OpenAI-format upstreams are passed on byte for byte.
            let body = deployment.provider.speaksOpenAI ? response.body : completion.serializedBytes
            return .success(UpstreamAnswer(completion: completion, body: body))
        } catch {
            let message = "the upstream for '\(deployment.name)' returned an unreadable reply: \(error)"
            trace.addAttempt(deployment, status: response.status, error: message, elapsed: elapsed)
            return .failure(AttemptFailure(status: 502, message: message, retryable: false, failover: true))
        }
    }

    /// Opens the upstream stream and reads it up to its first output. Any
    /// failure until then is an ordinary failed attempt (retry, fail over):
    /// the client has not seen a byte yet.
    func openStream(_ request: [String: JSONValue], deployment: ModelDeployment, trace: inout CallTrace) async -> Result<OpenedStream, AttemptFailure> {
        let adapter = Adapters.adapter(for: deployment.provider)
        let (limit, seconds) = timeout(deployment)
        let started = ContinuousClock.now
        func failed(_ failure: AttemptFailure, status: Int?, trace: inout CallTrace) -> Result<OpenedStream, AttemptFailure> {
            let elapsed = ContinuousClock.now - started
            trace.upstreamTime += elapsed
            trace.addAttempt(deployment, status: status, error: failure.message, elapsed: elapsed)
            return .failure(failure)
        }
        let response: HTTPClientStreamingResponse
        do {
            response = try await http.stream(adapter.makeRequest(request, deployment: deployment, stream: true, timeout: limit))
        } catch {
            return failed(.transport(error, model: deployment.name, timeout: seconds), status: nil, trace: &trace)
        }
        guard response.isSuccess else {
            let body = (try? await response.collectBody()) ?? []
            let message = (try? JSONValue(parsing: body)).flatMap(adapter.errorMessage)
                ?? String(decoding: body.prefix(300), as: UTF8.self)
            return failed(.fromStatus(response.status, headers: response.headers, message: message, model: deployment.name),
                          status: response.status, trace: &trace)
        }
        let source = StreamSource(body: response.body, translator: adapter.makeStreamTranslator(deployment: deployment, includeUsage: true))
        do {
            while true {
                guard let chunks = try await source.next() else {
                    return failed(AttemptFailure(status: 502, message: "the upstream stream of '\(deployment.name)' ended before its first byte",
                                                 retryable: true, failover: true), status: response.status, trace: &trace)
                }
                if !chunks.isEmpty || source.isComplete {
                    let elapsed = ContinuousClock.now - started
                    trace.upstreamTime += elapsed
                    trace.firstTokenMS = trace.elapsed.milliseconds
                    trace.addAttempt(deployment, status: response.status, error: nil, elapsed: elapsed)
                    return .success(OpenedStream(source: source, first: chunks))
                }
            }
        } catch let error as AdapterError {
            return failed(AttemptFailure(status: 502, message: "the upstream stream of '\(deployment.name)' failed before its first byte: \(error)",
                                         retryable: true, failover: true), status: response.status, trace: &trace)
        } catch {
            return failed(.transport(error, model: deployment.name, timeout: seconds), status: response.status, trace: &trace)
        }
    }
}
