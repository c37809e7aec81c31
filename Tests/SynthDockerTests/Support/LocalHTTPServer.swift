import Foundation

/// A throwaway HTTP/1.1 server (python3's http.server on 127.0.0.1, free
/// port) with endpoints for exercising the client: plain, echo, slow,
/// chunked event stream, slow drip, endless stream and counters of what it
/// sent.
final class LocalHTTPServer: Sendable {
    let port: Int
    private let process: Process

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    /// Starts a server, runs `body`, and always stops the server.
    static func with<T>(_ body: (LocalHTTPServer) async throws -> T) async throws -> T {
        let server = try await start()
        defer { server.stop() }
        return try await body(server)
    }

    private static func start() async throws -> LocalHTTPServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-c", script]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // The first line is the port; read it off the cooperative pool.
        let line = await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            DispatchQueue.global().async {
                var collected = Data()
                while true {
                    let byte = output.fileHandleForReading.readData(ofLength: 1)
                    if byte.isEmpty || byte == Data("\n".utf8) { break }
                    collected.append(byte)
                }
                continuation.resume(returning: String(data: collected, encoding: .utf8))
            }
        }
        guard let line, let port = Int(line) else {
            process.terminate()
            throw ServerError.didNotStart(line ?? "<no output>")
        }
        return LocalHTTPServer(process: process, port: port)
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    enum ServerError: Error {
        case didNotStart(String)
    }

    private static let script = #"""
import hashlib, json, signal, sys, threading, time
# Swift's worker threads block signals and children inherit the mask;
# unblock them so terminate() (SIGTERM) works.
signal.pthread_sigmask(signal.SIG_SETMASK, [])
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

counters = {"aborted_streams": 0, "streamed_bytes": 0}
lock = threading.Lock()
stream_released = threading.Event()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Client-Port", str(self.client_address[1]))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def do_GET(self):
        if self.path == "/hello":
            self.reply(200, b"hello")
        elif self.path == "/slow":
            time.sleep(10)
            self.reply(200, b"late")
        elif self.path == "/stream":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            # The first event goes out alone; the rest wait until the client
            # shows (GET /release) that it already holds the first one. A
            # client that buffered the body would never release it, and sees
            # "data: unreleased" instead.
            self.chunk(b"data: 0\n\n")
            released = stream_released.wait(20)
            stream_released.clear()
            for i in range(1, 5):
                self.chunk((f"data: {i}\n\n" if released else "data: unreleased\n\n").encode())
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/release":
            stream_released.set()
            self.reply(200, b"released")
        elif self.path == "/infinite":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            block = b"x" * 65536
            try:
                while True:
                    self.chunk(block)
                    with lock:
                        counters["streamed_bytes"] += len(block)
            except (BrokenPipeError, ConnectionResetError):
                with lock:
                    counters["aborted_streams"] += 1
                self.close_connection = True
        elif self.path == "/drip":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for _ in range(100):
                    self.chunk(b"tick\n")
                    time.sleep(0.1)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                with lock:
                    counters["aborted_streams"] += 1
                self.close_connection = True
        elif self.path == "/counters":
            with lock:
                body = json.dumps(counters).encode()
            self.reply(200, body, "application/json")
        else:
            self.reply(404, b"no such endpoint")

    do_HEAD = do_GET

    def echo(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.reply(200, json.dumps({
            "method": self.command,
            "path": self.path,
            "length": length,
            "sha256": hashlib.sha256(body).hexdigest(),
            "x_test": self.headers.get("X-Test"),
            "content_type": self.headers.get("Content-Type"),
        }).encode(), "application/json")

    do_POST = echo
    do_PUT = echo
    do_DELETE = echo

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""#
}
