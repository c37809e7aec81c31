import Foundation
import HTTPTypes
import Hummingbird
import SynthCommon

/// `POST /v1/chat/completions` and `GET /v1/models`, OpenAI-compatible.
struct ChatRoutes: Sendable {
    let gateway: ChatGateway
    let config: RouterConfig

    static let taskID = HTTPField.Name("X-Synth-Task-ID")!
    static let trajectoryID = HTTPField.Name("X-Synth-Trajectory-ID")!
    static let experiment = HTTPField.Name("X-Synth-Experiment")!
    static let taskType = HTTPField.Name("X-Synth-Task-Type")!

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/chat/completions") { request, _ in
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: 32 * 1024 * 1024)
            } catch {
                let failure = OpenAIError(status: 413, message: "the request body is larger than 32 MiB", type: "invalid_request_error")
                return Self.response(.complete(status: failure.status, body: failure.body, headers: [:]))
            }
            var apiKey = request.headers[.authorization]
            if let value = apiKey, value.lowercased().hasPrefix("bearer ") { apiKey = String(value.dropFirst(7)) }
            let tags = ChatGateway.Tags(taskID: request.headers[Self.taskID], trajectoryID: request.headers[Self.trajectoryID],
                                        experiment: request.headers[Self.experiment], taskType: request.headers[Self.taskType],
                                        apiKey: apiKey)
            return Self.response(await gateway.complete(body: Array(body.readableBytesView), tags: tags))
        }
        router.get("/v1/models") { _, _ in
            let data: JSONValue = .object(["object": .string("list"), "data": .array(config.names.map { name in
                var entry: [String: JSONValue] = ["id": .string(name), "object": .string("model"), "created": .number(0),
                                                  "owned_by": .string(config.models[name]?.provider.rawValue ?? "synth")]
                if let model = config.models[name] {
                    if let window = model.contextWindow { entry["context_window"] = .number(Double(window)) }
                    entry["capabilities"] = .array(model.capabilities.map(JSONValue.string))
                }
                if let route = config.routes[name] { entry["routing_strategy"] = .string(route.strategy.rawValue) }
                return .object(entry)
            })])
            return HTTPResponses.raw(Data(data.jsonText.utf8))
        }
    }

    static func response(_ reply: ChatGateway.Reply) -> Response {
        switch reply {
        case .complete(let status, let body, let extra):
            var headers: HTTPFields = [.contentType: "application/json"]
            for (name, value) in extra { if let field = HTTPField.Name(name) { headers[field] = value } }
            return Response(status: HTTPResponse.Status(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        case .stream(let extra, let body):
            var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
            for (name, value) in extra { if let field = HTTPField.Name(name) { headers[field] = value } }
            return Response(status: .ok, headers: headers, body: body)
        }
    }
}
