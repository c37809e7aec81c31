"""An OpenAI-compatible upstream for the benchmark: answers every
POST .../chat/completions with the same chat.completion after a fixed
latency, over keep-alive HTTP/1.1. Raw asyncio (no framework) so that it
is never the bottleneck on a 2-core machine."""
import argparse
import asyncio
import json

BODY = json.dumps({
    "id": "chatcmpl-bench", "object": "chat.completion", "created": 1764000000, "model": "bench-upstream",
    "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                 "message": {"role": "assistant", "content": "The answer is 42."}}],
    "usage": {"prompt_tokens": 20, "completion_tokens": 6, "total_tokens": 26},
}).encode()
RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY)) + BODY


class Upstream(asyncio.Protocol):
    latency = 0.02

    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""
        self.loop = asyncio.get_running_loop()

    def data_received(self, data):
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length:]
            self.loop.call_later(self.latency, self._reply)

    def _reply(self):
        if not self.transport.is_closing():
            self.transport.write(RESPONSE)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    args = parser.parse_args()
    Upstream.latency = args.latency_ms / 1000
    server = await asyncio.get_running_loop().create_server(Upstream, "127.0.0.1", args.port, backlog=1024)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
