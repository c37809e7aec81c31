"""A stand-in for Google's Gemini API (generativelanguage v1beta), for tests
only: POST /v1beta/models/{model}:generateContent and
:streamGenerateContent?alt=sse (each SSE event a whole
GenerateContentResponse, the last with finishReason and usageMetadata). It
checks what the real API rejects and a translation could get wrong: the
x-goog-api-key header, roles other than user/model, functionResponse without
a name or with a non-object response, unsupported schema keywords."""
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UNSUPPORTED_SCHEMA_KEYS = {"additionalProperties", "$schema", "strict"}


class FakeGemini:
    def __init__(self, api_key="gemini-test-key"):
        self.requests = []
        self.api_key = api_key
        self.usage = {"promptTokenCount": 1000, "candidatesTokenCount": 450, "thoughtsTokenCount": 50,
                      "cachedContentTokenCount": 200, "totalTokenCount": 1500}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                match = re.match(r"^/v1beta/models/([^/:]+):(generateContent|streamGenerateContent\?alt=sse)$", self.path)
                if not match:
                    return self._error(404, "NOT_FOUND", "unknown path " + self.path)
                if self.headers.get("x-goog-api-key") != fake.api_key:
                    return self._error(403, "PERMISSION_DENIED", "API key not valid. Please pass a valid API key.")
                problem = fake.check(body)
                if problem:
                    return self._error(400, "INVALID_ARGUMENT", problem)
                model, method = match.groups()
                parts, finish = fake.answer(body)
                if method == "generateContent":
                    reply = {"candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": finish, "index": 0}],
                             "usageMetadata": fake.usage, "modelVersion": model, "responseId": "gemini-fake-1"}
                    return self._send(200, json.dumps(reply).encode(), "application/json")
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                pieces = []
                for part in parts:
                    if "text" in part:
                        words = part["text"].split(" ")
                        pieces += [[{"text": w if i == 0 else " " + w}] for i, w in enumerate(words)]
                    else:
                        pieces.append([part])
                for i, piece in enumerate(pieces):
                    response = {"candidates": [{"content": {"role": "model", "parts": piece}, "index": 0}],
                                "modelVersion": model, "responseId": "gemini-fake-1"}
                    if i == len(pieces) - 1:
                        response["candidates"][0]["finishReason"] = finish
                        response["usageMetadata"] = fake.usage
                    else:
                        response["usageMetadata"] = {"promptTokenCount": 1000, "totalTokenCount": 1000}
                    self._chunk(("data: " + json.dumps(response) + "\r\n\r\n").encode())
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

            def _chunk(self, data):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()

            def _error(self, status, kind, message):
                self._send(status, json.dumps({"error": {"code": status, "message": message, "status": kind}}).encode(),
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
        contents = body.get("contents")
        if not contents:
            return "* GenerateContentRequest.contents: contents is not specified"
        for i, content in enumerate(contents):
            if content.get("role") not in ("user", "model"):
                return "* GenerateContentRequest.contents[%d].role: Please use a valid role: user, model." % i
            for part in content.get("parts") or []:
                if "functionResponse" in part:
                    response = part["functionResponse"]
                    if not response.get("name"):
                        return "* contents[%d].parts.function_response.name: Name cannot be empty." % i
                    if not isinstance(response.get("response"), dict):
                        return "* contents[%d].parts.function_response.response: must be an object" % i
                if "functionCall" in part and content["role"] != "model":
                    return "* contents[%d]: functionCall must come from the model" % i

        def walk(schema, where):
            if isinstance(schema, dict):
                for key, value in schema.items():
                    if key in UNSUPPORTED_SCHEMA_KEYS:
                        return "Invalid JSON payload received. Unknown name \"%s\" at '%s'" % (key, where)
                    found = walk(value, where + "." + key)
                    if found:
                        return found
            return None

        for tool in body.get("tools") or []:
            for declaration in tool.get("functionDeclarations") or []:
                found = walk(declaration.get("parameters"), "tools.function_declarations.parameters")
                if found:
                    return found
        system = body.get("systemInstruction")
        if system is not None and not isinstance(system.get("parts"), list):
            return "* systemInstruction.parts: must be a list"
        return None

    @staticmethod
    def answer(body):
        last = body["contents"][-1]
        responses = [p["functionResponse"] for p in last["parts"] if "functionResponse" in p]
        if responses:
            return [{"text": "the tool %s said: %s" % (responses[0]["name"], json.dumps(responses[0]["response"]))}], "STOP"
        text = " ".join(p.get("text", "") for p in last["parts"])
        if body.get("tools"):
            name = body["tools"][0]["functionDeclarations"][0]["name"]
            return [{"functionCall": {"name": name, "args": {"path": "main.py"}}}], "STOP"
        system = " ".join(p.get("text", "") for p in (body.get("systemInstruction") or {}).get("parts", []))
        return [{"text": "gemini says: %s (system: %s)" % (text, system)}], "STOP"

    def close(self):
        self.server.shutdown()
        self.server.server_close()
