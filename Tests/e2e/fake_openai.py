"""A stand-in for an OpenAI-compatible provider, for tests only: it follows the
chat completions wire format closely enough for the openai SDK, answers
from a script, and remembers what it was sent."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOpenAI:
    def __init__(self):
        self.requests = []
        self.mode = "ok"
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if fake.mode == "garbage":
                    self._send(200, b"<html>definitely not json</html>", "text/html")
                    return
                reply = {
                    "id": "chatcmpl-fake", "object": "chat.completion", "created": 1764000000, "model": body["model"],
                    "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                                 "message": {"role": "assistant", "content": "echo: " + body["messages"][-1]["content"]}}],
                    "usage": {"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500},
                }
                self._send(200, json.dumps(reply).encode(), "application/json")

            def _send(self, status, payload, content_type):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/v1" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
