import Foundation
import SynthHTTPClient
import Testing

/// The HTTP client over a unix socket, against the real Docker daemon.
@Suite(.timeLimit(.minutes(1)))
struct HTTPClientDockerSocketTests {
    let socketPath = "/var/run/docker.sock"

    func request(_ path: String) -> HTTPClientRequest {
        HTTPClientRequest(url: "http://localhost\(path)", timeout: .seconds(10), unixSocketPath: socketPath)
    }

    @Test func pingAnswersOK() async throws {
        let client = try HTTPClient()
        let response = try await client.execute(request("/_ping"))
        #expect(response.status == 200)
        #expect(response.bodyText == "OK")
        // Header lookup ignores case: the daemon sends "Api-Version".
        #expect(response.headers["api-version"] != nil)
        #expect(response.headers["API-VERSION"] == response.headers["Api-Version"])
    }

    @Test func versionIsJSON() async throws {
        let client = try HTTPClient()
        let response = try await client.execute(request("/v1.41/version"))
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect(object?["ApiVersion"] is String)
    }

    @Test func unknownEndpointIsAResponseNotAnError() async throws {
        let client = try HTTPClient()
        let response = try await client.execute(request("/v1.41/containers/does-not-exist-\(UUID().uuidString)/json"))
        #expect(response.status == 404)
        #expect(response.bodyText.contains("No such container"))
    }

    @Test func manyConcurrentRequestsAllComplete() async throws {
        let client = try HTTPClient()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<64 {
                group.addTask { try await client.execute(request("/_ping")).status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 64)
        #expect(statuses.allSatisfy { $0 == 200 })
    }

    @Test func missingSocketIsCouldNotConnect() async throws {
        let client = try HTTPClient()
        var missing = request("/_ping")
        missing.unixSocketPath = "/tmp/no-such-socket-\(UUID().uuidString)"
        let error = await #expect(throws: HTTPClientError.self) { try await client.execute(missing) }
        #expect(error?.kind == .couldNotConnect)
        #expect(error?.message.isEmpty == false)
    }
}
