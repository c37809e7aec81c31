"""Alert rules from configuration: a breached rule emits AlertFired on
synth.system and calls its webhook, once, and the monitor shows it firing."""
import json
import os
import socket
import subprocess
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import API_KEY, ROOT, SYNTH_HOME, service_environment

BUILD = Path(os.environ.get("SYNTH_BUILD_DIR", ROOT / ".build"))


class Webhook:
    def __init__(self):
        self.calls = []
        calls = self.calls

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                calls.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hook" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def alerting_api(services):
    """A second api process with alert rules: one always breached, one never."""
    webhook = Webhook()
    suffix = uuid.uuid4().hex[:8]
    rules = [{"name": "always-" + suffix, "kind": "cost_above", "threshold": -1, "webhook": webhook.url},
             {"name": "never-" + suffix, "kind": "oldest_queued_above_seconds", "threshold": 1e9}]
    port = free_port()
    env = {**service_environment(), "SYNTH_HTTP_PORT": str(port), "SYNTH_ALERT_RULES": json.dumps(rules), "SYNTH_MONITOR_INTERVAL_MS": "500",
           "SYNTH_INSTANCE_ID": "api-alerts-test"}  # the key is already installed by the main api
    log = open(SYNTH_HOME / "logs/api-alerts-test.log", "w")
    process = subprocess.Popen([str(BUILD / "debug/synth-api")], cwd=ROOT, env=env, stdout=log, stderr=log)
    base = "http://127.0.0.1:%d" % port
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/ready", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    yield {"base": base, "webhook": webhook, "rules": rules}
    process.terminate()
    assert process.wait(timeout=30) == 0
    webhook.server.shutdown()


def test_a_breached_rule_fires_once_to_the_webhook_and_the_event_stream(alerting_api):
    name = alerting_api["rules"][0]["name"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not alerting_api["webhook"].calls:
        time.sleep(0.2)
    calls = alerting_api["webhook"].calls
    assert calls and calls[0]["rule"] == name and calls[0]["state"] == "firing", calls
    time.sleep(2)  # several more evaluation ticks: still one announcement
    assert len([c for c in calls if c["rule"] == name]) == 1
    bootstrap = (SYNTH_HOME / "kafka.bootstrap").read_text().strip()
    out = subprocess.run(["kcat", "-C", "-b", bootstrap, "-t", "synth.system", "-o", "beginning", "-e", "-q"],
                         capture_output=True, timeout=60, check=True).stdout.decode()
    fired = [json.loads(line) for line in out.splitlines() if name in line]
    assert len(fired) == 1 and fired[0]["type"] == "AlertFired" and fired[0]["payload"]["state"] == "firing"


def test_the_monitor_snapshot_shows_rule_states(alerting_api):
    request = urllib.request.Request(alerting_api["base"] + "/api/v1/monitor/snapshot", headers={"Authorization": "Bearer " + API_KEY})
    snapshot = json.loads(urllib.request.urlopen(request, timeout=10).read())
    states = {alert["rule"]: alert for alert in snapshot["alerts"]}
    always, never = (rule["name"] for rule in alerting_api["rules"])
    assert states[always]["firing"] is True and states[always]["message"]
    assert states[never]["firing"] is False
