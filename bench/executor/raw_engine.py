#!/usr/bin/env python3
"""The reference side of bench/executor: the same container and the same
commands as the executor's Sandbox, through plain Engine API calls (Python's
http.client on the unix socket, one connection per request, no library).
Writes the medians in milliseconds as JSON.

    raw_engine.py --out FILE --execs FILE [--image I] [--iterations N]

--execs is the JSON that `synth-bench-executor --write-execs` writes: the
exact argv of the executor's step exec (the command, then the workspace
state after a marker) and of its separate state snapshot.
"""
import argparse
import http.client
import io
import json
import socket
import statistics
import tarfile
import time

SOCKET = "/var/run/docker.sock"
WORKSPACE = "/workspace"
# Mirrors bench/executor/main.swift.
STEP_COMMAND = "echo step >> notes.txt && cat notes.txt | wc -l"
FILES = {
    "main.py": "def add(a, b):\n    return a - b\n",
    "test_main.py": "from main import add\n\ndef test_add():\n    assert add(1, 2) == 3\n",
}


class UnixConnection(http.client.HTTPConnection):
    def __init__(self):
        super().__init__("localhost", timeout=120)

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(120)
        self.sock.connect(SOCKET)


def call(method, path, body=None, content_type="application/json"):
    connection = UnixConnection()
    headers = {}
    if body is not None:
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        headers["Content-Type"] = content_type
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    if response.status >= 300:
        raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
    return json.loads(data) if data and response.getheader("Content-Type", "").startswith("application/json") else data


def create_body(image):
    """The container Sandbox.create makes for a task with default limits."""
    volume = lambda target, size: {
        "Type": "volume", "Target": target,
        "VolumeOptions": {"DriverConfig": {"Name": "local", "Options": {"type": "tmpfs", "device": "tmpfs", "o": f"size={size}"}}},
    }
    return {
        "Image": image, "Cmd": ["sleep", "infinity"], "Env": [], "WorkingDir": WORKSPACE,
        "Labels": {"synth.managed": "bench-raw"}, "NetworkDisabled": True,
        "HostConfig": {
            "Memory": 1024 << 20, "MemorySwap": 1024 << 20, "NanoCpus": 1_000_000_000, "PidsLimit": 256,
            "NetworkMode": "none", "CapDrop": ["ALL"], "CapAdd": [], "SecurityOpt": ["no-new-privileges"],
            "ReadonlyRootfs": True, "Tmpfs": {"/tmp": "rw,nosuid,nodev,size=64m"},
            "Mounts": [volume(WORKSPACE, 1 << 30), volume("/var/lib/synth", 256 << 20)],
            "Init": True, "LogConfig": {"Type": "json-file", "Config": {"max-size": "10m", "max-file": "1"}},
        },
    }


def exec_command(container, command):
    created = call("POST", f"/containers/{container}/exec",
                   {"AttachStdout": True, "AttachStderr": True, "Cmd": command, "WorkingDir": WORKSPACE})
    output = call("POST", f"/exec/{created['Id']}/start", {"Detach": False, "Tty": False})
    exit_code = call("GET", f"/exec/{created['Id']}/json")["ExitCode"]
    return output, exit_code


def put_files(container, path, files):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, content in files.items():
            data = content.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), int(time.time())
            archive.addfile(info, io.BytesIO(data))
    call("PUT", f"/containers/{container}/archive?path={path}", buffer.getvalue(), "application/x-tar")


def timed(function):
    started = time.perf_counter()
    result = function()
    return (time.perf_counter() - started) * 1000, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--image", default="synth-python:bookworm")
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--execs", required=True)
    options = parser.parse_args()
    with open(options.execs) as source:
        execs = json.load(source)
    body = create_body(options.image)

    def create_start():
        container = call("POST", "/containers/create", body)["Id"]
        call("POST", f"/containers/{container}/start")
        return container

    ready = []
    for index in range(options.iterations + 2):
        elapsed, container = timed(create_start)
        call("DELETE", f"/containers/{container}?force=true&v=true")
        if index >= 2:
            ready.append(elapsed)

    container = create_start()
    try:
        put_files(container, WORKSPACE, FILES)
        put_files(container, "/var/lib/synth", {f"baseline/{name}": content for name, content in FILES.items()})
        exec_true, exec_step, exec_snapshot, exec_with_state = [], [], [], []
        for index in range(options.iterations * 3 + 5):
            samples = (timed(lambda: exec_command(container, ["true"]))[0],
                       timed(lambda: exec_command(container, ["bash", "-c", STEP_COMMAND]))[0],
                       timed(lambda: exec_command(container, execs["snapshot"]))[0],
                       timed(lambda: exec_command(container, execs["step_with_state"]))[0])
            if index >= 5:
                exec_true.append(samples[0]); exec_step.append(samples[1]); exec_snapshot.append(samples[2])
                exec_with_state.append(samples[3])
    finally:
        call("DELETE", f"/containers/{container}?force=true&v=true")

    figures = {
        "create_start_ms": statistics.median(ready),
        "exec_true_ms": statistics.median(exec_true),
        "exec_step_command_ms": statistics.median(exec_step),
        "exec_snapshot_command_ms": statistics.median(exec_snapshot),
        "exec_step_with_state_ms": statistics.median(exec_with_state),
    }
    for name, value in figures.items():
        print(f"raw {name:28} {value:8.2f}")
    with open("/proc/loadavg") as loadavg:
        figures["load_average"] = " ".join(loadavg.read().split()[:3])
    with open(options.out, "w") as out:
        json.dump(figures, out)


if __name__ == "__main__":
    main()
