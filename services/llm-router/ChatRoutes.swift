import Foundation
import HTTPTypes
import Hummingbird
import SynthCommon

/// `POST /v1/chat/completions` and `GET /v1/models`, OpenAI-compatible.
struct ChatRoutes: Sendable {
    let gateway: ChatGateway
    let catalog: ModelCatalog

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/chat/completions") { request, _ in
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: 32 * 1024 * 1024)
            } catch {
                let failure = OpenAIError(status: 413, message: "the request body is larger than 32 MiB", type: "invalid_request_error")
                return Self.response(failure.response)
            }
            let tags = ChatGateway.Tags(taskID: request.headers[HTTPField.Name("X-Synth-Task-ID")!],
                                        trajectoryID: request.headers[HTTPField.Name("X-Synth-Trajectory-ID")!],
                                        experiment: request.headers[HTTPField.Name("X-Synth-Experiment")!])
            return Self.response(await gateway.complete(body: Array(body.readableBytesView), tags: tags))
        }
        router.get("/v1/models") { _, _ in
            let data: JSONValue = .object(["object": .string("list"), "data": .array(catalog.names.map {
                .object(["id": .string($0), "object": .string("model"), "owned_by": .string("synth")])
            })])
            return HTTPResponses.raw(Data(data.jsonText.utf8))
        }
    }

    static func response(_ result: (status: Int, body: [UInt8])) -> Response {
        HTTPResponses.raw(Data(result.body), status: HTTPResponse.Status(code: result.status))
    }
}
