import Foundation
import SynthCommon
import SynthHTTPClient

/// OpenAI, OpenRouter and local OpenAI-compatible servers (vLLM, llama.cpp,
/// Ollama): the request passes through with the deployment's model name, and
/// streams are forwarded chunk for chunk.
struct OpenAIAdapter: ProviderAdapter {
    func makeRequest(_ request: [String: JSONValue], deployment: ModelDeployment, stream: Bool, timeout: Duration) throws -> HTTPClientRequest {
        var body = request
        body["model"] = .string(deployment.wireModel)
        for (key, value) in deployment.extraBody ?? [:] where body[key] == nil { body[key] = value.value }
        if stream {
            // Always ask for usage so the call is priced; the usage chunk is
            // dropped again for clients that did not ask for it.
            var options = body["stream_options"]?.objectValue ?? [:]
            options["include_usage"] = .bool(true)
            body["stream_options"] = .object(options)
        }
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if stream { headers.add(name: "Accept", value: "text/event-stream") }
        if let key = deployment.apiKey { headers.add(name: "Authorization", value: "Bearer \(key)") }
        return HTTPClientRequest(method: .post, url: Adapters.join(deployment.baseURL, "/chat/completions"), headers: headers,
                                 body: JSONValue.object(body).serializedBytes, timeout: timeout)
    }

    func translateResponse(_ body: JSONValue, deployment: ModelDeployment) throws -> JSONValue {
        guard case .object = body, body["choices"]?.arrayValue != nil else {
            throw AdapterError.unreadable("the reply has no 'choices' array")
        }
        return body
    }

    func makeStreamTranslator(deployment: ModelDeployment, includeUsage: Bool) -> any StreamTranslator {
        PassThrough(includeUsage: includeUsage)
    }

    func errorMessage(_ body: JSONValue) -> String? {
        body["error"]?["message"]?.stringValue ?? body["error"]?.stringValue ?? body["message"]?.stringValue
    }

    struct PassThrough: StreamTranslator {
        let includeUsage: Bool
        var isComplete = false
        var heldUsage: StreamChunk?

        mutating func translate(_ event: SSEEvent) throws -> [StreamChunk] {
            if event.data == "[DONE]" {
                isComplete = true
                return []
            }
            guard let json = try? JSONValue(parsing: Array(event.data.utf8)), case .object = json else {
                throw AdapterError.unreadable("a stream event is not JSON: \(event.data.prefix(200))")
            }
            if let error = json["error"], !error.isNull {
                throw AdapterError.upstreamStreamError(error["message"]?.stringValue ?? error.jsonText)
            }
            let chunk = StreamChunk(text: event.data, json: json)
            // The usage-only chunk comes last; keep it for the record, and send it only if asked.
            if let usage = json["usage"], !usage.isNull, json["choices"]?.arrayValue?.isEmpty ?? true {
                heldUsage = chunk
                return []
            }
            return [chunk]
        }

        mutating func finish() -> [StreamChunk] {
            guard let heldUsage else { return [] }
            return [heldUsage]
        }
    }
}
