"""A stand-in for Anthropic's Messages API (POST /v1/messages), for tests
only. It checks requests the way the real API does for what the router
sends (x-api-key, anthropic-version, max_tokens, alternating user/assistant
turns, tool_result only in user turns and answering a tool_use id), answers
with text or tool_use blocks, reports usage with cache tokens, and streams the
documented event sequence: message_start, content_block_start,
content_block_delta (text_delta / input_json_delta), content_block_stop,
message_delta, message_stop, with ping events in between."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeAnthropic:
    def __init__(self, api_key="sk-ant-test"):
        self.requests = []
        self.mode = "ok"
        self.api_key = api_key
        self.usage = {"input_tokens": 700, "cache_read_input_tokens": 200, "cache_creation_input_tokens": 100, "output_tokens": 500}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if self.path != "/v1/messages":
                    return self._error(404, "not_found_error", "Not found: " + self.path)
                if self.headers.get("x-api-key") != fake.api_key:
                    return self._error(401, "authentication_error", "invalid x-api-key")
                if not self.headers.get("anthropic-version"):
                    return self._error(400, "invalid_request_error", "anthropic-version: header is required")
                problem = fake.check(body)
                if problem:
                    return self._error(400, "invalid_request_error", problem)
                if fake.mode == "529":
                    return self._error(529, "overloaded_error", "Overloaded")
                blocks, stop = fake.answer(body)
                if body.get("stream"):
                    return self._stream(body, blocks, stop)
                reply = {"id": "msg_fake_1", "type": "message", "role": "assistant", "model": body["model"], "content": blocks,
                         "stop_reason": stop, "stop_sequence": None, "usage": fake.usage}
                self._send(200, json.dumps(reply).encode(), "application/json")

            def _stream(self, body, blocks, stop):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                start_usage = dict(fake.usage, output_tokens=1)
                events = [("message_start", {"type": "message_start", "message": {
                    "id": "msg_fake_1", "type": "message", "role": "assistant", "model": body["model"], "content": [],
                    "stop_reason": None, "stop_sequence": None, "usage": start_usage}}), ("ping", {"type": "ping"})]
                for index, block in enumerate(blocks):
                    if block["type"] == "text":
                        events.append(("content_block_start", {"type": "content_block_start", "index": index,
                                                               "content_block": {"type": "text", "text": ""}}))
                        words = block["text"].split(" ")
                        for i, word in enumerate(words):
                            events.append(("content_block_delta", {"type": "content_block_delta", "index": index, "delta": {
                                "type": "text_delta", "text": word if i == 0 else " " + word}}))
                    else:
                        events.append(("content_block_start", {"type": "content_block_start", "index": index, "content_block": {
                            "type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}}))
                        text = json.dumps(block["input"])
                        for part in (text[:5], text[5:]):
                            events.append(("content_block_delta", {"type": "content_block_delta", "index": index, "delta": {
                                "type": "input_json_delta", "partial_json": part}}))
                    events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
                events.append(("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None},
                                                 "usage": {"output_tokens": fake.usage["output_tokens"]}}))
                events.append(("message_stop", {"type": "message_stop"}))
                for name, data in events:
                    self._chunk(("event: %s\ndata: %s\n\n" % (name, json.dumps(data))).encode())
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

            def _chunk(self, data):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()

            def _error(self, status, kind, message):
                self._send(status, json.dumps({"type": "error", "error": {"type": kind, "message": message}}).encode(),
                           "application/json")

            def _send(self, status, payload, content_type):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @staticmethod
    def check(body):
        """The checks the real API makes that a translation could get wrong."""
        for field in ("model", "max_tokens", "messages"):
            if field not in body:
                return "%s: Field required" % field
        if not isinstance(body["max_tokens"], int):
            return "max_tokens: Input should be a valid integer"
        messages = body["messages"]
        if not messages or messages[0]["role"] != "user":
            return "messages: first message must use the \"user\" role"
        tool_ids = set()
        for i, message in enumerate(messages):
            if message["role"] not in ("user", "assistant"):
                return "messages.%d.role: Input should be 'user' or 'assistant'" % i
            if i and messages[i - 1]["role"] == message["role"]:
                return "messages: roles must alternate between \"user\" and \"assistant\""
            content = message["content"]
            blocks = content if isinstance(content, list) else [{"type": "text", "text": content}]
            for block in blocks:
                if block["type"] == "tool_use":
                    if message["role"] != "assistant":
                        return "messages.%d: tool_use blocks are only allowed in assistant messages" % i
                    if not isinstance(block.get("input"), dict):
                        return "messages.%d: tool_use.input: Input should be a valid dictionary" % i
                    tool_ids.add(block["id"])
                elif block["type"] == "tool_result":
                    if message["role"] != "user":
                        return "messages.%d: tool_result blocks are only allowed in user messages" % i
                    if block["tool_use_id"] not in tool_ids:
                        return "messages.%d: tool_result.tool_use_id does not match any tool_use" % i
                elif block["type"] not in ("text", "image"):
                    return "messages.%d: unknown block type %s" % (i, block["type"])
        for tool in body.get("tools") or []:
            if "input_schema" not in tool or "name" not in tool:
                return "tools: name and input_schema are required"
        if "system" in body and not isinstance(body["system"], (str, list)):
            return "system: Input should be a valid string"
        return None

    @staticmethod
    def answer(body):
        last = body["messages"][-1]
        content = last["content"]
        blocks = content if isinstance(content, list) else [{"type": "text", "text": content}]
        results = [b for b in blocks if b["type"] == "tool_result"]
        if results:
            return [{"type": "text", "text": "the tool said: " + str(results[0]["content"])}], "end_turn"
        text = " ".join(b.get("text", "") for b in blocks if b["type"] == "text")
        if body.get("tools"):
            return [{"type": "text", "text": "Let me look."},
                    {"type": "tool_use", "id": "toolu_fake_1", "name": body["tools"][0]["name"], "input": {"path": "main.py"}}], "tool_use"
        return [{"type": "text", "text": "claude says: %s (system: %s)" % (text, body.get("system", ""))}], "end_turn"

    def close(self):
        self.server.shutdown()
        self.server.server_close()
