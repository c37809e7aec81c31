import Foundation
import SynthHTTPClient

/// The request plumbing every endpoint shares.
extension DockerClient {
    func makeRequest(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        body: [UInt8]? = nil,
        contentType: String? = nil,
        timeout: Duration? = DockerClient.defaultTimeout
    ) -> HTTPClientRequest {
        var headers: HTTPHeaders = [:]
        if let contentType {
            headers.add(name: "Content-Type", value: contentType)
        }
        return HTTPClientRequest(
            method: method,
            url: EngineURL.make(path: path, query: query),
            headers: headers,
            body: body,
            timeout: timeout,
            unixSocketPath: socketPath
        )
    }

    /// Sends a request and returns the response when its status is one of
    /// `accepting`; otherwise throws the daemon's error.
    func call(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        body: [UInt8]? = nil,
        contentType: String? = nil,
        timeout: Duration? = DockerClient.defaultTimeout,
        accepting: Set<Int> = [200, 201, 204]
    ) async throws -> HTTPClientResponse {
        let request = makeRequest(method, path, query: query, body: body, contentType: contentType, timeout: timeout)
        let response = try await http.execute(request)
        guard accepting.contains(response.status) else {
            throw Self.daemonError(status: response.status, body: response.body, operation: "\(method) \(path)")
        }
        return response
    }

    /// `call` with a JSON body.
    func call<Body: Encodable>(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        json: Body,
        timeout: Duration? = DockerClient.defaultTimeout,
        accepting: Set<Int> = [200, 201, 204]
    ) async throws -> HTTPClientResponse {
        let body = try encodeJSON(json)
        return try await call(method, path, query: query, body: body, contentType: "application/json",
                              timeout: timeout, accepting: accepting)
    }

    /// Opens a streaming response, throwing the daemon's error for any
    /// status outside `accepting`.
    func openStream(
        _ request: HTTPClientRequest,
        operation: String,
        accepting: Set<Int> = [200]
    ) async throws -> HTTPClientStreamingResponse {
        let response = try await http.stream(request)
        guard accepting.contains(response.status) else {
            let body = try await response.collectBody()
            throw Self.daemonError(status: response.status, body: body, operation: operation)
        }
        return response
    }

    func encodeJSON<T: Encodable>(_ value: T) throws -> [UInt8] {
        try Array(JSONEncoder().encode(value))
    }

    func decode<T: Decodable>(_ type: T.Type, from response: HTTPClientResponse, operation: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw DockerError(status: response.status,
                              message: "unexpected response body (\(error)): \(response.bodyText.prefix(200))",
                              operation: operation)
        }
    }

    /// The daemon answers errors with `{"message": "..."}`; fall back to the
    /// raw text for proxies or older daemons that do not.
    static func daemonError(status: Int, body: [UInt8], operation: String) -> DockerError {
        let message = (try? JSONDecoder().decode(EngineErrorBody.self, from: Data(body)))?.message
            ?? String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return DockerError(status: status, message: message, operation: operation)
    }
}
