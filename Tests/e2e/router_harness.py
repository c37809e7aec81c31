"""Starts synth-llm-router processes against the local stack with a given
config, and reads what they published (synth.llm-calls, synth.system) back
with kcat. Shared by the test_router*.py files."""
import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import openai

from conftest import ROOT, SYNTH_HOME

BUILD_DIR = Path(os.environ.get("SYNTH_BUILD_DIR", ROOT / ".build"))
REDIS_URL = os.environ.get("SYNTH_REDIS_URL") or "redis://127.0.0.1:%s/%s" % (
    os.environ.get("SYNTH_REDIS_PORT", "16379"), os.environ.get("SYNTH_REDIS_DB", "0"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RouterProcess:
    def __init__(self, config, tmp_dir, name="router-under-test", env=None):
        self.config_path = Path(tmp_dir) / (name + ".json")
        self.config_path.write_text(json.dumps(config))
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        environment = {**os.environ, "SYNTH_HTTP_PORT": str(self.port), "SYNTH_ROUTER_CONFIG": str(self.config_path),
                       "SYNTH_REDIS_URL": REDIS_URL, "SYNTH_INSTANCE_ID": name, **(env or {})}
        (SYNTH_HOME / "logs").mkdir(parents=True, exist_ok=True)
        self.log_path = SYNTH_HOME / "logs" / (name + ".log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([str(BUILD_DIR / "debug/synth-llm-router")], cwd=ROOT, env=environment,
                                        stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.base + "/ready", timeout=2)
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("router did not start: " + self.log_path.read_text()[-2000:])
                time.sleep(0.2)

    def client(self, **kwargs):
        return openai.OpenAI(base_url=self.base + "/v1", api_key=kwargs.pop("api_key", "not-needed"), max_retries=0, **kwargs)

    def metrics(self):
        return urllib.request.urlopen(self.base + "/metrics", timeout=5).read().decode()

    def stop(self):
        self.process.terminate()
        code = self.process.wait(timeout=30)
        self.log.close()
        return code


def read_topic(topic):
    bootstrap = (SYNTH_HOME / "kafka.bootstrap").read_text().strip()
    out = subprocess.run(["kcat", "-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", "-q"],
                         capture_output=True, timeout=60, check=True).stdout.decode()
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def wait_for_records(predicate, count=1, topic="synth.llm-calls", timeout=20):
    """The payloads on `topic` matching predicate, once at least `count` are there."""
    deadline = time.monotonic() + timeout
    while True:
        found = [r["payload"] for r in read_topic(topic) if predicate(r["payload"])]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def calls_of(trajectory):
    return wait_for_records(lambda p: p.get("trajectory_id") == trajectory)
