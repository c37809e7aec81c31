"""Runs last (file order): every service stops gracefully on SIGTERM, logging
JSON lines with the spec's fields to the end."""
import json
import os
import signal
import time

from conftest import SYNTH_HOME


def test_every_service_stops_gracefully_on_sigterm(services):
    pids_dir = str(SYNTH_HOME / "pids")
    for name in ["api", "llm-router", "scheduler", "executor", "collector", "exporter"]:
        with open(os.path.join(pids_dir, name + ".pid")) as handle:
            pid = int(handle.read())
        log_path = os.path.join(os.path.dirname(pids_dir), "logs", name + ".log")
        offset = os.path.getsize(log_path)
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and os.path.exists("/proc/%d" % pid) and "zombie" not in open("/proc/%d/status" % pid).read():
            time.sleep(0.1)
        assert not os.path.exists("/proc/%d" % pid) or "zombie" in open("/proc/%d/status" % pid).read(), name + " ignored SIGTERM"
        with open(log_path) as handle:
            handle.seek(offset)
            lines = [json.loads(line) for line in handle if line.startswith("{")]
        assert any(line["event"] == "service_stopped" for line in lines), (name, lines[-5:])
        for line in lines:
            assert {"timestamp", "level", "component", "event"} <= line.keys(), line
            assert line["timestamp"].endswith("Z")
