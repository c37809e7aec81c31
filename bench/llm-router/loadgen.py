"""A small, efficient HTTP/1.1 load generator (raw asyncio, keep-alive) for
the router benchmark. Closed loop: --concurrency N connections each send the
next request when the last answer arrives. Open loop: --rate R requests per
second on a fixed schedule whatever the answers do; latency is measured from
the scheduled send time, so queueing is counted (no coordinated omission).
Prints one JSON line: requests, errors, achieved rps, latency percentiles (ms)."""
import argparse
import asyncio
import json
import time


class Connection:
    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, host, port):
        return cls(*await asyncio.open_connection(host, port))

    async def request(self, payload):
        self.writer.write(payload)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await self.reader.readexactly(length)
        return status


def percentile(sorted_values, q):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True, help="http://127.0.0.1:PORT/path")
    parser.add_argument("--model", default="bench")
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--concurrency", type=int)
    parser.add_argument("--rate", type=float)
    parser.add_argument("--label", default="")
    parser.add_argument("--max-connections", type=int, default=256)
    args = parser.parse_args()
    host_port, _, path = args.url[len("http://"):].partition("/")
    host, port = host_port.split(":")
    body = json.dumps({"model": args.model, "messages": [{"role": "user", "content": "What is 6 times 7?"}],
                       "max_tokens": 16}).encode()
    payload = (("POST /%s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nAuthorization: Bearer sk-bench\r\n"
                "Content-Length: %d\r\n\r\n") % (path, host_port, len(body))).encode() + body
    latencies, errors = [], 0
    start = time.perf_counter()
    measure_from = start + args.warmup
    stop_at = measure_from + args.duration

    async def one(connection, scheduled):
        nonlocal errors
        try:
            status = await connection.request(payload)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            errors += 1 if scheduled >= measure_from else 0
            return False
        if scheduled >= measure_from:
            if status == 200:
                latencies.append(time.perf_counter() - scheduled)
            else:
                errors += 1
        return True

    if args.concurrency:
        async def worker():
            connection = await Connection.open(host, port)
            while time.perf_counter() < stop_at:
                if not await one(connection, time.perf_counter()):
                    connection = await Connection.open(host, port)
        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    else:
        idle = []
        tasks = set()
        # At most this many connections: a gateway that falls behind makes requests queue (counted in their latency).
        slots = asyncio.Semaphore(args.max_connections)

        async def fire(scheduled):
            async with slots:
                connection = idle.pop() if idle else await Connection.open(host, port)
                if await one(connection, scheduled):
                    idle.append(connection)

        interval = 1 / args.rate
        n = 0
        while True:
            scheduled = start + n * interval
            if scheduled >= stop_at:
                break
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.ensure_future(fire(scheduled))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            n += 1
        if tasks:
            _, unfinished = await asyncio.wait(tasks, timeout=30)
            errors += len(unfinished)  # still queued 30 s after the schedule ended: the target did not keep up
            for task in unfinished:
                task.cancel()
    latencies.sort()
    ms = lambda v: None if v is None else round(v * 1000, 3)
    print(json.dumps({"label": args.label, "mode": "concurrency" if args.concurrency else "rate",
                      "concurrency": args.concurrency, "target_rps": args.rate, "requests": len(latencies), "errors": errors,
                      "rps": round(len(latencies) / args.duration, 1),
                      "p50_ms": ms(percentile(latencies, 0.50)), "p90_ms": ms(percentile(latencies, 0.90)),
                      "p99_ms": ms(percentile(latencies, 0.99)), "max_ms": ms(latencies[-1] if latencies else None)}))


if __name__ == "__main__":
    asyncio.run(main())
