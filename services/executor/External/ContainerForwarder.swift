/// The in-container end of the relay: a Python (stdlib only) loop that
/// listens on 127.0.0.1 and pipes each connection to the relay's unix
/// socket, so any OpenAI client works with a plain
/// `OPENAI_BASE_URL=http://127.0.0.1:<port>/v1` although the container has
/// no network. It touches `ready` once it listens.
enum ContainerForwarder {
    static let port = 8765
    static let directory = "/var/lib/synth/relay"
    static let readyFile = directory + "/ready"
    static let logFile = directory + "/forwarder.log"
    static let scriptName = "forwarder.py"

    static let script = """
        import socket, sys, threading

        host, port, target, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]


        def pipe(source, sink):
            try:
                while True:
                    data = source.recv(65536)
                    if not data:
                        break
                    sink.sendall(data)
            except OSError:
                pass
            finally:
                try:
                    sink.shutdown(socket.SHUT_WR)
                except OSError:
                    pass


        def serve(client):
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                upstream.connect(target)
            except OSError:
                client.close()
                return
            back = threading.Thread(target=pipe, args=(upstream, client), daemon=True)
            back.start()
            pipe(client, upstream)
            back.join()
            client.close()
            upstream.close()


        server = socket.create_server((host, port))
        open(ready, "w").close()
        while True:
            connection, _ = server.accept()
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

        """

    /// Starts the forwarder in the background and waits (bounded) for it to
    /// listen; prints its log and fails if it does not.
    static var startCommand: String {
        "nohup python3 \(directory)/\(scriptName) 127.0.0.1 \(port) \(RouterRelay.containerDirectory)/\(RouterRelay.socketName) "
            + "\(readyFile) > \(logFile) 2>&1 < /dev/null & "
            + "for _ in $(seq 200); do [ -e \(readyFile) ] && exit 0; sleep 0.05; done; cat \(logFile); exit 1"
    }
}
