import Foundation
import SynthHTTPClient
import Testing

/// The HTTP client over TCP against a local python server.
@Suite(.timeLimit(.minutes(1)))
struct HTTPClientTCPTests {
    @Test func getReturnsBodyAndHeaders() async throws {
        try await LocalHTTPServer.with { server in
            let client = try HTTPClient()
            let response = try await client.execute(HTTPClientRequest(url: server.baseURL + "/hello"))
            #expect(response.status == 200)
            #expect(response.bodyText == "hello")
            #expect(response.headers["content-length"] == "5")
        }
    }

    @Test func postSendsBinaryBodyAndHeaders() async throws {
        try await LocalHTTPServer.with { server in
            let client = try HTTPClient()
            let body = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let response = try await client.execute(HTTPClientRequest(
                method: .post, url: server.baseURL + "/echo",
                headers: ["X-Test": "yes", "Content-Type": "application/octet-stream"], body: body))
            let echo = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            #expect(echo?["method"] as? String == "POST")
            #expect(echo?["length"] as? Int == body.count)
            #expect(echo?["sha256"] as? String == sha256Hex(body))
            #expect(echo?["x_test"] as? String == "yes")
        }
    }

    @Test func otherMethodsUseTheirVerb() async throws {
        try await LocalHTTPServer.with { server in
            let client = try HTTPClient()
            for method in [HTTPMethod.put, .delete] {
                let response = try await client.execute(HTTPClientRequest(method: method, url: server.baseURL + "/x"))
                let echo = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
                #expect(echo?["method"] as? String == method.rawValue)
                #expect(echo?["length"] as? Int == 0)
            }
            let head = try await client.execute(HTTPClientRequest(method: .head, url: server.baseURL + "/hello"))
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.headers["Content-Length"] == "5")
        }
    }

    @Test func keepAliveConnectionIsReused() async throws {
        try await LocalHTTPServer.with { server in
            let client = try HTTPClient()
            let request = HTTPClientRequest(url: server.baseURL + "/hello")
            let first = try await client.execute(request)
            let second = try await client.execute(request)
            // Same client-side port means the same TCP connection.
            #expect(first.headers["X-Client-Port"] != nil)
            #expect(first.headers["X-Client-Port"] == second.headers["X-Client-Port"])
        }
    }

    @Test func streamingDeliversChunksAsTheyArrive() async throws {
        try await LocalHTTPServer.with { server in
            let client = try HTTPClient()
            let response = try await client.stream(HTTPClientRequest(url: server.baseURL + "/stream", timeout: .seconds(30)))
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "text/event-stream")
            var text = ""
            for try await chunk in response.body {
                // The server holds back everything after the first event
                // until it is told the first one arrived: only a client that
                // delivers chunks as they come gets the whole stream.
                if text.isEmpty {
                    let release = try await client.execute(HTTPClientRequest(url: server.baseURL + "/release"))
                    #expect(release.status == 200)
                }
                text += String(decoding: chunk, as: UTF8.self)
            }
            #expect(text == (0..<5).map { "data: \($0)\n\n" }.joined())
        }
    }

    @Test func cancellingTheReaderAbortsTheTransfer() async throws {
        try await LocalHTTPServer.with { server in
            let client = try HTTPClient()
            let reader = Task {
                let response = try await client.stream(HTTPClientRequest(url: server.baseURL + "/infinite", timeout: nil))
                var received = 0
                for try await chunk in response.body { received += chunk.count }
                return received
            }
            try await Task.sleep(for: .milliseconds(300))
            let clock = ContinuousClock()
            let cancelledAt = clock.now
            reader.cancel()
            // Iteration ends (by nil or CancellationError) promptly...
            _ = await reader.result
            #expect(clock.now - cancelledAt < .seconds(2))
            // ...and the server notices the closed connection.
            #expect(try await waitForCounter("aborted_streams", atLeast: 1, server: server, client: client))
        }
    }

    @Test func cancellingExecuteThrowsInsteadOfReturningAPartialBody() async throws {
        try await LocalHTTPServer.with { server in
            let client = try HTTPClient()
            for path in ["/slow", "/drip"] {  // cancelled while waiting for headers, then mid-body
                let request = HTTPClientRequest(url: server.baseURL + path, timeout: .seconds(30))
                let task = Task { try await client.execute(request) }
                try await Task.sleep(for: .milliseconds(300))
                task.cancel()
                let outcome = await task.result
                #expect(throws: CancellationError.self, "\(path)") { try outcome.get() }
            }
            #expect(try await waitForCounter("aborted_streams", atLeast: 1, server: server, client: client))
        }
    }

    @Test func abandonedStreamIsAborted() async throws {
        try await LocalHTTPServer.with { server in
            let client = try HTTPClient()
            do {
                let response = try await client.stream(HTTPClientRequest(url: server.baseURL + "/infinite", timeout: nil))
                var iterator = response.body.makeAsyncIterator()
                _ = try await iterator.next()
            }  // stream released here without being finished
            #expect(try await waitForCounter("aborted_streams", atLeast: 1, server: server, client: client))
        }
    }

    @Test func slowConsumerPausesTheTransfer() async throws {
        try await LocalHTTPServer.with { server in
            let client = try HTTPClient()
            let response = try await client.stream(HTTPClientRequest(url: server.baseURL + "/infinite", timeout: nil))
            var iterator = response.body.makeAsyncIterator()
            _ = try await iterator.next()
            // Not reading: buffers fill, then the server must stall.
            try await Task.sleep(for: .milliseconds(1500))
            let early = try await counters(server: server, client: client)["streamed_bytes"] ?? 0
            try await Task.sleep(for: .milliseconds(1000))
            let late = try await counters(server: server, client: client)["streamed_bytes"] ?? 0
            #expect(late - early < 256 * 1024, "server kept sending \(late - early) bytes to a paused reader")
            #expect(late < 64 << 20, "\(late) bytes sent before backpressure took hold")
            // Reading resumes the transfer.
            var resumed = 0
            while resumed < 4 << 20, let chunk = try await iterator.next() { resumed += chunk.count }
            #expect(resumed >= 4 << 20)
        }
    }

    @Test func timeoutIsReportedAsTimedOut() async throws {
        try await LocalHTTPServer.with { server in
            let client = try HTTPClient()
            let clock = ContinuousClock()
            let started = clock.now
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPClientRequest(url: server.baseURL + "/slow", timeout: .milliseconds(500)))
            }
            #expect(error?.kind == .timedOut)
            #expect(clock.now - started < .seconds(5))
        }
    }

    @Test func refusedConnectionIsCouldNotConnect() async throws {
        // Port 9 (discard) on loopback: nothing listens here in the test environment.
        let client = try HTTPClient()
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:9/", timeout: .seconds(5)))
        }
        #expect(error?.kind == .couldNotConnect)
        #expect(error?.curlCode == 7)
    }

    @Test func headerInjectionIsRejected() async throws {
        let client = try HTTPClient()
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:9/", headers: ["X-Evil": "a\r\nHost: b"]))
        }
        #expect(error?.kind == .invalidRequest)
    }

    // MARK: Helpers

    private func counters(server: LocalHTTPServer, client: HTTPClient) async throws -> [String: Int] {
        let response = try await client.execute(HTTPClientRequest(url: server.baseURL + "/counters"))
        return try JSONDecoder().decode([String: Int].self, from: Data(response.body))
    }

    private func waitForCounter(_ name: String, atLeast value: Int, server: LocalHTTPServer,
                                client: HTTPClient) async throws -> Bool {
        for _ in 0..<30 {
            if try await counters(server: server, client: client)[name] ?? 0 >= value { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    private func sha256Hex(_ bytes: [UInt8]) -> String {
        // Computed with the system's sha256sum to avoid a crypto dependency.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try? process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }
}
