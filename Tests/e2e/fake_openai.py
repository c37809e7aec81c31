"""A stand-in for an OpenAI-compatible provider, for tests only: it follows the
chat completions wire format (JSON and SSE streaming, tools, usage,
stream_options.include_usage, vLLM's return_token_ids and logprobs) closely
enough for the openai SDK, answers from a script, and remembers what it was
sent.

Behaviour per request comes from `script` (a list consumed one entry per
request) or else `mode`: "ok", "garbage", "429" (with Retry-After), "500",
"slow" (sleeps `slow_seconds`), "cut_before_first_byte" (headers, then the
connection closes), "cut_mid_stream" (two chunks, then the connection closes),
"error_event" (an error object mid-stream)."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOpenAI:
    def __init__(self, name="fake", prompt_tokens=1000, completion_tokens=500):
        self.name = name
        self.requests = []
        self.mode = "ok"
        self.script = []
        self.slow_seconds = 3.0
        self.retry_after = "0.2"
        self.usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens}
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                body = json.loads(raw)
                with fake.lock:
                    fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                    mode = fake.script.pop(0) if fake.script else fake.mode
                if mode == "garbage":
                    return self._send(200, b"<html>definitely not json</html>", "text/html")
                if mode == "429":
                    return self._send(429, json.dumps({"error": {"message": "Rate limit reached", "type": "requests",
                                                                 "param": None, "code": "rate_limit_exceeded"}}).encode(),
                                      "application/json", {"Retry-After": fake.retry_after})
                if mode == "500":
                    return self._send(500, json.dumps({"error": {"message": "The server had an error", "type": "server_error",
                                                                 "param": None, "code": None}}).encode(), "application/json")
                if mode == "400":
                    return self._send(400, json.dumps({"error": {"message": "This model's maximum context length is 10 tokens",
                                                                 "type": "invalid_request_error", "param": "messages",
                                                                 "code": "context_length_exceeded"}}).encode(), "application/json")
                if mode == "slow":
                    time.sleep(fake.slow_seconds)
                message, finish = fake.answer(body)
                if body.get("stream"):
                    return self._stream(body, message, finish, mode)
                choice = {"index": 0, "finish_reason": finish, "logprobs": None, "message": message}
                reply = {"id": "chatcmpl-fake", "object": "chat.completion", "created": 1764000000, "model": body["model"],
                         "choices": [choice], "usage": fake.usage, "system_fingerprint": fake.name}
                tokens = fake.tokens(message)
                if body.get("return_token_ids"):
                    reply["prompt_token_ids"] = [101, 102, 103]
                    choice["token_ids"] = [ord(c) for c in tokens]
                if body.get("logprobs"):
                    choice["logprobs"] = {"content": [{"token": c, "logprob": -0.5, "bytes": [ord(c)], "top_logprobs": []}
                                                      for c in tokens]}
                self._send(200, json.dumps(reply).encode(), "application/json")

            def _stream(self, body, message, finish, mode):
                if mode == "cut_before_first_byte":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1764000000, "model": body["model"],
                        "system_fingerprint": fake.name}

                def chunk(delta, finish_reason=None, extra=None):
                    choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
                    choice.update(extra or {})
                    return dict(base, choices=[choice])

                events = [chunk({"role": "assistant", "content": ""})]
                if body.get("return_token_ids"):
                    events[0]["prompt_token_ids"] = [101, 102, 103]
                if message.get("content"):
                    words = message["content"].split(" ")
                    for i, word in enumerate(words):
                        piece = word if i == 0 else " " + word
                        extra = {}
                        if body.get("return_token_ids"):
                            extra["token_ids"] = [ord(c) for c in piece]
                        if body.get("logprobs"):
                            extra["logprobs"] = {"content": [{"token": c, "logprob": -0.5, "bytes": [ord(c)], "top_logprobs": []}
                                                             for c in piece]}
                        events.append(chunk({"content": piece}, extra=extra))
                for index, call in enumerate(message.get("tool_calls") or []):
                    events.append(chunk({"tool_calls": [{"index": index, "id": call["id"], "type": "function",
                                                         "function": {"name": call["function"]["name"], "arguments": ""}}]}))
                    arguments = call["function"]["arguments"]
                    half = len(arguments) // 2
                    for part in (arguments[:half], arguments[half:]):
                        events.append(chunk({"tool_calls": [{"index": index, "function": {"arguments": part}}]}))
                events.append(chunk({}, finish))
                if (body.get("stream_options") or {}).get("include_usage"):
                    events.append(dict(base, choices=[], usage=fake.usage))
                try:
                    for n, event in enumerate(events):
                        if mode == "cut_mid_stream" and n == 2:
                            self.wfile.flush()
                            self.close_connection = True
                            self.connection.shutdown(2)
                            return
                        if mode == "error_event" and n == 2:
                            self._chunk(b"data: " + json.dumps({"error": {"message": "overloaded mid-stream",
                                                                          "type": "server_error"}}).encode() + b"\n\n")
                            break
                        self._chunk(b"data: " + json.dumps(event).encode() + b"\n\n")
                    else:
                        self._chunk(b"data: [DONE]\n\n")
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _chunk(self, data):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()

            def _send(self, status, payload, content_type, headers=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d/v1" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, body):
        """A tool call when tools are offered and the last turn is the user's; else an echo."""
        last = body["messages"][-1]
        content = last.get("content")
        if isinstance(content, list):
            content = " ".join(part.get("text", "") for part in content)
        if body.get("tools") and last["role"] == "user":
            tool = body["tools"][0]["function"]["name"]
            return ({"role": "assistant", "content": None,
                     "tool_calls": [{"id": "call_fake_1", "type": "function",
                                     "function": {"name": tool, "arguments": json.dumps({"path": "main.py"})}}]}, "tool_calls")
        if last["role"] == "tool":
            return {"role": "assistant", "content": "the tool said: " + str(content)}, "stop"
        return {"role": "assistant", "content": "echo from %s: %s" % (self.name, content)
                if self.name != "fake" else "echo: " + str(content)}, "stop"

    @staticmethod
    def tokens(message):
        return message.get("content") or ""

    @property
    def count(self):
        with self.lock:
            return len(self.requests)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
