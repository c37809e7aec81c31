import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SynthCommon
import SynthHTTPClient

/// An external agent's only way out of its container (which keeps network
/// `none`): a unix socket this executor serves for one episode, bind-mounted
/// into the container, passing `POST /v1/chat/completions` on to the
/// llm-router. The task and trajectory headers and the model are set here,
/// so the agent can neither spoof them nor pick a model the task did not ask
/// for. Every exchange goes through `trajectory`, which turns the proxied
/// calls into the episode's transitions.
struct RouterRelay: Sendable {
    /// Where the socket's directory appears inside the container.
    static let containerDirectory = "/run/synth"
    static let socketName = "router.sock"

    let socketPath: String
    let routerURL: String
    let task: TaskDefinition
    let trajectoryID: String
    let http: HTTPClient
    let trajectory: ExternalTrajectory
    let logger: Logger

    /// Serves until the calling task is cancelled; `ready` runs once the
    /// socket accepts connections.
    func run(ready: @escaping @Sendable () -> Void) async throws {
        let router = Router()
        router.post("/v1/chat/completions") { request, _ in try await relay(request) }
        router.post("/chat/completions") { request, _ in try await relay(request) }
        let app = Application(router: router, configuration: .init(address: .unixDomainSocket(path: socketPath)),
                              onServerRunning: { _ in
                                  // The agent runs as whatever user the image says.
                                  _ = chmod(socketPath, 0o777)
                                  ready()
                              }, logger: logger)
        try await app.runService(gracefulShutdownSignals: [])
    }

    private func relay(_ request: Request) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 32 * 1024 * 1024)
        guard case .object(var body)? = try? SynthJSON.decode(JSONValue.self, from: Array(bytes.readableBytesView)) else {
            return Self.error(400, "the request body is not a JSON object")
        }
        body["model"] = .string(task.llmModel)
        let messages = (try? SynthJSON.decode([ChatMessage].self, from: SynthJSON.encode(body["messages"] ?? .array([])))) ?? []
        if let refusal = try await trajectory.requestArrived(messages: messages) {
            return Self.error(429, refusal)
        }
        let started = ContinuousClock.now
        let response = try await http.execute(HTTPClientRequest(
            method: .post, url: routerURL + "/chat/completions",
            headers: ["Content-Type": "application/json", "X-Synth-Task-ID": task.id, "X-Synth-Trajectory-ID": trajectoryID],
            body: try SynthJSON.encode(JSONValue.object(body)), timeout: .seconds(600)))
        let contentType = response.headers["Content-Type"] ?? "application/json"
        await trajectory.responded(status: response.status, body: response.body, streamed: contentType.hasPrefix("text/event-stream"),
                                   latency: ContinuousClock.now - started, callID: response.headers["X-Synth-Call-ID"])
        var headers: HTTPFields = [.contentType: contentType]
        if let callID = response.headers["X-Synth-Call-ID"], let name = HTTPField.Name("X-Synth-Call-ID") { headers[name] = callID }
        return Response(status: HTTPResponse.Status(code: response.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: response.body)))
    }

    /// An error in OpenAI's shape, so the agent's client reports it plainly.
    static func error(_ status: Int, _ message: String) -> Response {
        let body = JSONValue.object(["error": .object(["message": .string(message), "type": .string("synth_relay_error")])])
        return Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: body.jsonText)))
    }
}
