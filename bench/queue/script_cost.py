#!/usr/bin/env python3
"""Instructions Redis spends per task in the queue's batched scripts.

On a shared machine wall-clock and CPU time per task swing with the load by
2x; an instruction count does not. This starts a private redis-server (same
binary and settings as the stack runs it: AOF on with fsync every second,
sorted sets never listpacks) under valgrind's callgrind, loads the
enqueue, lease and ack scripts from
libs/common/Queue/TaskQueue+Batch.swift as a given git revision has them,
and counts the server's instructions per task for each phase (request
parsing, Lua, the commands and their AOF propagation included).

  bench/queue/script_cost.py [REV ...]      (default: the working tree)
"""
import glob, json, os, re, shutil, socket, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = "libs/common/Queue/TaskQueue+Batch.swift"
PORT = int(os.environ.get("SCRIPT_COST_PORT", "9151"))
ROUNDS, BATCH, CAPACITY = 20, 100, 64


class Redis:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.file = self.sock.makefile("rb")

    def call(self, *args):
        out = [b"*%d\r\n" % len(args)]
        for arg in args:
            arg = arg if isinstance(arg, bytes) else str(arg).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
        self.sock.sendall(b"".join(out))
        return self.read()

    def read(self):
        line = self.file.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            return None if int(rest) < 0 else self.file.read(int(rest) + 2)[:-2]
        if kind == b"*":
            return [self.read() for _ in range(int(rest))]
        return rest.decode()


def scripts(rev):
    def source(path):
        return open(os.path.join(ROOT, path)).read() if rev is None else \
            subprocess.check_output(["git", "-C", ROOT, "show", f"{rev}:{path}"], text=True)

    text = source(SOURCE)
    # Since 2026-11-29 10:00 the scripts name QueueKeys constants by Swift interpolation and start with shared
    # Lua functions (`RedisScript(sweepFunction + """`): resolve both as the compiler would.
    keys = dict(re.findall(r'static let (\w+) = "([^"]*)"', source("libs/common/Queue/QueueKeys.swift")))

    def resolve(lua):
        lua = re.sub(r"\\\(QueueKeys\.(\w+)\)", lambda m: keys[m.group(1)], lua)
        return re.sub(r"\\\(Self\.(\w+)\)", lambda m: resolve(constants[m.group(1)]), lua)

    constants = dict(re.findall(r'static let (\w+) = "([^"]*)"', text))

    def literal(body):
        return resolve("\n".join(line[8:] for line in body.split("\n")))

    # A function may start with another (`promoteFunction = shiftFunction + """`, since 2026-11-29 13:00).
    functions = {}
    for name, prefix, body in re.findall(r'static let (\w+Function) = ((?:\w+ \+ )*)"""\n(.*?)\n\s*"""', text, re.S):
        functions[name] = "".join(functions[f] for f in re.findall(r"(\w+) \+", prefix)) + literal(body) + "\n"
    found = {}
    for name in ("enqueueBatchScript", "leaseBatchScript", "ackBatchScript"):
        match = re.search(r'static let %s = RedisScript\(((?:\w+ \+ )*)"""\n(.*?)\n\s*"""\)' % name, text, re.S)
        prefix = "".join(functions[f] for f in re.findall(r"(\w+) \+", match.group(1)))
        found[name] = prefix + literal(match.group(2))
    # Before 2026-11-29 06:40 the lease script took the lease length, not the deadline, as ARGV[2].
    found["deadline"] = "local deadline = ARGV[2]" in found["leaseBatchScript"]
    # Since 2026-11-29 10:00: shared hashes (synth:queue:body, :info, ...) instead of one hash per task.
    found["shared"] = "KEYS[4]" in found["enqueueBatchScript"]
    # Since 2026-11-29 12:30: lease returns {ids, re-leased (index, attempt)} and the client reads the bodies
    # with one HMGET; enqueue and ack return the indices they turned away.
    found["split"] = "return {ids, again}" in found["leaseBatchScript"]
    # Since 2026-11-29 13:00: ready tasks are counted per enqueue time; enqueue takes the runs of equal times
    # as ARGV[1], then (id, body, score, info) per task.
    found["runs"] = "string.gmatch(ARGV[1]" in found["enqueueBatchScript"]
    return found


def measure(rev, server, pid, outdir):
    def counted():
        subprocess.check_output(["callgrind_control", "-d", str(pid)], stderr=subprocess.DEVNULL)
        newest = max(glob.glob(f"{outdir}/cg.{pid}.*"), key=os.path.getmtime)
        total = next(int(line.split()[1]) for line in open(newest) if line.startswith(("summary:", "totals:")))
        os.remove(newest)
        return total

    found = scripts(rev)
    enqueue, lease, ack = (server.call("SCRIPT", "LOAD", found[n]) for n in ("enqueueBatchScript", "leaseBatchScript", "ackBatchScript"))
    body = json.dumps({"id": "bench-x", "instruction": "benchmark task 12345", "category": "bugfix", "difficulty": "medium",
                       "docker_image": "synth-python:bookworm", "verification_tests": [{"name": "t", "command": "true"}]}).encode()
    ready, since, inflight, delayed, load, bodies, info, attempts, holder, expiry = ("synth:queue:" + k for k in (
        "ready", "ready_since", "inflight", "delayed", "worker_load", "body", "info", "attempts", "holder", "expiry"))
    shared = found["shared"] or found["runs"]
    server.call("FLUSHDB")
    now, total = int(time.time() * 1000), ROUNDS * BATCH
    subprocess.check_output(["callgrind_control", "-z", str(pid)], stderr=subprocess.DEVNULL)
    for round in range(ROUNDS):
        args = []
        for index in range(round * BATCH, (round + 1) * BATCH):
            score = repr(-30_000_000.0 + index * 1e-3)
            if found["runs"]:
                args += [b"bench-%d" % index, body, score, f"{score} {now} bugfix"]
            else:
                args += [b"bench-%d" % index, body, score, str(now), f"{score} {now} bugfix" if shared else "bugfix"]
        if found["runs"]:
            args = [f"{now} {BATCH}"] + args
        keys = [ready, bodies, info] if found["runs"] else [ready, since, bodies, info] if shared else [ready, since]
        reply = server.call("EVALSHA", enqueue, len(keys), *keys, *args)
        assert reply == [] if found["split"] else sum(reply) == BATCH
    costs = [counted()]
    leased = []
    while len(leased) < total:
        if found["split"]:
            keys = [ready, inflight, delayed, info if found["runs"] else since, load, attempts, holder]
        else:
            keys = [ready, inflight, delayed, since, load] + ([bodies, attempts, holder, info] if shared else [])
        reply = server.call("EVALSHA", lease, len(keys), *keys, now,
                            now + 60_000 if found["deadline"] else 60_000, "w1", 0, 0, CAPACITY)
        if found["split"]:
            assert all(server.call("HMGET", bodies, *reply[0]))
            leased += reply[0]
        else:
            leased += reply[0::3]
    costs.append(counted())
    for start in range(0, total, CAPACITY):
        args = [now, now + 3_600_000] if shared else [3600]
        for id in leased[start:start + CAPACITY]:
            args += [id, "w1"]
        keys = [inflight, load, holder, expiry] if shared else [inflight, load]
        reply = server.call("EVALSHA", ack, len(keys), *keys, *args)
        assert reply == [] if found["split"] else all(x == 1 for x in reply)
    costs.append(counted())
    per = [c / total / 1000 for c in costs]
    print(f"{rev or 'working tree':>14}: Redis kilo-instructions per task: enqueue {per[0]:.1f}, lease {per[1]:.1f}, "
          f"ack {per[2]:.1f}, total {sum(per):.1f}")


def main():
    revs = sys.argv[1:] or [None]
    try:
        Redis(PORT)
        sys.exit(f"port {PORT} is taken; set SCRIPT_COST_PORT")
    except OSError:
        pass
    outdir = tempfile.mkdtemp(prefix="script-cost-")
    process = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={outdir}/cg.%p", "redis-server",
                                "--port", str(PORT), "--bind", "127.0.0.1", "--appendonly", "yes", "--appendfsync", "everysec",
                                "--save", "", "--zset-max-listpack-entries", "0", "--dir", outdir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                server = Redis(PORT)
                server.call("PING")
                break
            except OSError:
                time.sleep(0.2)
        # valgrind may run the tool as a child of its launcher: the profile file's name has the real pid.
        pid = int(min(glob.glob(f"{outdir}/cg.*"), key=len).rsplit(".", 1)[1])
        for rev in revs:
            measure(rev, server, pid, outdir)
    finally:
        process.terminate()
        process.wait(timeout=60)
        shutil.rmtree(outdir, ignore_errors=True)


if __name__ == "__main__":
    main()
