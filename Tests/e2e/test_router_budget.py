"""Budgets shared by two router processes through Redis: concurrent calls
through both never spend past the limit (each call's worst case is reserved
atomically before it goes upstream and settled after), the excess gets an
OpenAI-style 429, no reservation leaks, and CostThresholdReached goes to
synth.system exactly once per threshold."""
import concurrent.futures
import subprocess
import uuid

import openai
import pytest

from fake_openai import FakeOpenAI
from router_harness import REDIS_URL, RouterProcess, wait_for_records

LIMIT = 0.02


def redis_hash(key):
    host_port, db = REDIS_URL[len("redis://"):].split("/")
    host, port = host_port.split(":")
    out = subprocess.run(["redis-cli", "-h", host, "-p", port, "-n", db, "HGETALL", key], capture_output=True, text=True,
                         timeout=10, check=True).stdout.split()
    return {out[i]: int(out[i + 1]) for i in range(0, len(out), 2)}


@pytest.fixture(scope="module")
def routers(tmp_path_factory):
    # Usage consistent with the request (10 prompt tokens, 5 completion tokens for max_tokens=5), as a real model reports it.
    upstream = FakeOpenAI(name="metered", prompt_tokens=10, completion_tokens=5)
    upstream.mode = "slow"
    upstream.slow_seconds = 0.2  # calls overlap, so reservations race
    config = {"models": [{"name": "metered", "provider": "openai", "base_url": upstream.url,
                          "input_price_per_million": 100.0, "output_price_per_million": 200.0}],
              "budgets": [{"scope": "experiment", "limit_dollars": LIMIT}],
              "cost_thresholds": [0.5, 1.0]}
    directory = tmp_path_factory.mktemp("router-budget")
    first = RouterProcess(config, directory, name="router-budget-1")
    second = RouterProcess(config, directory, name="router-budget-2")
    yield {"routers": [first, second], "upstream": upstream}
    assert first.stop() == 0 and second.stop() == 0
    upstream.close()


def test_two_replicas_never_overspend_an_experiment_budget(routers):
    experiment = "exp-budget-" + uuid.uuid4().hex[:8]

    def call(index):
        router = routers["routers"][index % 2]
        try:
            reply = router.client().chat.completions.create(
                model="metered", messages=[{"role": "user", "content": "count %d" % index}], max_tokens=5,
                extra_headers={"X-Synth-Experiment": experiment})
            return "ok", reply
        except openai.RateLimitError as error:
            return "denied", error

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(call, range(40)))
    ok = [r for kind, r in results if kind == "ok"]
    denied = [r for kind, r in results if kind == "denied"]
    assert denied and all(e.body["code"] == "budget_exceeded" for e in denied)
    assert "experiment:" + experiment in denied[0].message
    cost_each = (10 * 100.0 + 5 * 200.0) / 1e6
    assert len(ok) * cost_each <= LIMIT + 1e-12
    assert len(ok) >= 4, "the budget admits calls while it lasts"

    ledger = redis_hash("synth:router:spend:experiment:" + experiment)
    assert ledger["spent"] == ledger["committed"], "every reservation was settled"
    assert ledger["spent"] == round(len(ok) * cost_each * 1e9)
    assert ledger["spent"] <= LIMIT * 1e9

    records = wait_for_records(lambda p: p.get("experiment") == experiment, count=40)
    assert sum(r["cost_dollars"] for r in records) == pytest.approx(len(ok) * cost_each)
    assert sorted({r["status"] for r in records}) == [200, 429]

    events = wait_for_records(lambda p: p.get("scope") == "experiment:" + experiment, topic="synth.system")
    assert [(e["fraction"], e["limit"]) for e in events] == [(0.5, LIMIT)], "announced once, by whichever replica crossed it"
    assert events[0]["current"] >= LIMIT * 0.5
