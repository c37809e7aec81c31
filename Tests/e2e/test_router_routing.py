"""Every routing strategy of the spec (round robin, cost optimised,
capability based, load balanced with weights, experimental A/B sticky per
trajectory) and resilience: retries on 429 (honouring Retry-After) and 500,
fail over on timeouts, cooldown of a failing deployment, per-deployment rpm
limits. Which deployment answered is read from the X-Synth-Model header and
the call record."""
import collections
import uuid

import openai
import pytest

from fake_openai import FakeOpenAI
from router_harness import RouterProcess, calls_of

NAMES = ["a", "b", "f1", "f2", "g1", "g2", "slow", "limited"]


@pytest.fixture(scope="module")
def router(tmp_path_factory):
    fakes = {name: FakeOpenAI(name=name) for name in NAMES}
    fakes["slow"].mode = "slow"
    fakes["slow"].slow_seconds = 2.0

    def model(name, **extra):
        return dict({"name": name, "provider": "openai", "base_url": fakes[name].url,
                     "input_price_per_million": 1.0, "output_price_per_million": 2.0}, **extra)

    models = [model("a", input_price_per_million=10.0, output_price_per_million=30.0, capabilities=["code", "long_context"],
                    context_window=200000),
              model("b", input_price_per_million=0.1, output_price_per_million=0.4, capabilities=["code"], context_window=300),
              model("f1"), model("f2"), model("g1"), model("g2"), model("slow", timeout_seconds=0.5), model("limited", rpm=2)]
    routes = [
        {"name": "rr", "strategy": "round_robin", "models": ["a", "b"]},
        {"name": "cheap", "strategy": "cost_optimized", "models": ["a", "b"], "budget_dollars": 1000},
        {"name": "cap", "strategy": "capability_based", "models": ["b", "a"],
         "task_types": {"bugfix": ["code"], "long": ["long_context"], "vision": ["vision"]}},
        {"name": "lb", "strategy": "load_balanced", "models": ["a", "b"], "weights": {"a": 3, "b": 1}},
        {"name": "ab", "strategy": "experimental", "models": ["a", "b"], "experiment_id": "exp-ab", "split": 0.5},
        {"name": "fb", "strategy": "round_robin", "models": ["f1"], "fallbacks": ["f2"]},
        {"name": "cd", "strategy": "round_robin", "models": ["g1"], "fallbacks": ["g2"]},
        {"name": "to", "strategy": "round_robin", "models": ["slow"], "fallbacks": ["f2"]},
        {"name": "rl", "strategy": "round_robin", "models": ["limited"], "fallbacks": ["f2"]},
    ]
    config = {"models": models, "routes": routes,
              "resilience": {"max_retries": 1, "allowed_failures": 2, "cooldown_seconds": 60, "retry_backoff_seconds": 0.05,
                             "max_retry_after_seconds": 2}}
    process = RouterProcess(config, tmp_path_factory.mktemp("router-routing"), name="router-routing")
    yield {"process": process, "fakes": fakes, "client": process.client()}
    assert process.stop() == 0
    for fake in fakes.values():
        fake.close()


def ask(router, model, content="hi", headers=None, **kwargs):
    raw = router["client"].chat.completions.with_raw_response.create(
        model=model, messages=[{"role": "user", "content": content}], extra_headers=headers or {}, **kwargs)
    return raw.headers["X-Synth-Model"], raw.parse()


def test_round_robin_rotates(router):
    served = [ask(router, "rr")[0] for _ in range(4)]
    assert served in (["a", "b", "a", "b"], ["b", "a", "b", "a"])


def test_cost_optimized_picks_the_cheapest_that_fits(router):
    assert ask(router, "cheap")[0] == "b"
    # b's 300-token context window cannot hold this prompt: the next cheapest takes it.
    assert ask(router, "cheap", content="word " * 400)[0] == "a"


def test_capability_based_by_task_type(router):
    assert ask(router, "cap", headers={"X-Synth-Task-Type": "bugfix"})[0] == "b"
    assert ask(router, "cap", headers={"X-Synth-Task-Type": "long"})[0] == "a"
    with pytest.raises(openai.BadRequestError) as error:
        ask(router, "cap", headers={"X-Synth-Task-Type": "vision"})
    assert "vision" in error.value.message


def test_load_balanced_follows_weights(router):
    served = collections.Counter(ask(router, "lb")[0] for _ in range(200))
    assert 0.6 < served["a"] / 200 < 0.9, served


def test_experimental_split_is_sticky_per_trajectory(router):
    arms = collections.Counter()
    for _ in range(30):
        trajectory = str(uuid.uuid4())
        served = {ask(router, "ab", headers={"X-Synth-Trajectory-ID": trajectory})[0] for _ in range(3)}
        assert len(served) == 1, "one trajectory always gets the same arm"
        arms[served.pop()] += 1
    assert arms["a"] >= 5 and arms["b"] >= 5, arms
    trajectory = str(uuid.uuid4())
    ask(router, "ab", headers={"X-Synth-Trajectory-ID": trajectory})
    [call] = calls_of(trajectory)
    assert call["routing_strategy"] == "experimental" and call["variant"] in ("A", "B")
    assert call["model"] == {"A": "a", "B": "b"}[call["variant"]]


def test_429_is_retried_after_retry_after_then_fails_over(router):
    fakes = router["fakes"]
    fakes["f1"].script = ["429", "429"]
    fakes["f1"].retry_after = "0.3"
    trajectory = str(uuid.uuid4())
    served, reply = ask(router, "fb", headers={"X-Synth-Trajectory-ID": trajectory})
    assert served == "f2" and reply.choices[0].message.content == "echo from f2: hi"
    [call] = calls_of(trajectory)
    assert call["retries"] == 1 and call["fallbacks"] == 1
    assert [(a["model"], a["status"]) for a in call["attempts"]] == [("f1", 429), ("f1", 429), ("f2", 200)]


def test_500_is_retried_on_the_same_deployment(router):
    router["fakes"]["f1"].script = ["500"]
    trajectory = str(uuid.uuid4())
    served, _ = ask(router, "fb", headers={"X-Synth-Trajectory-ID": trajectory})
    assert served == "f1"
    [call] = calls_of(trajectory)
    assert call["retries"] == 1 and call["fallbacks"] == 0


def test_timeout_fails_over(router):
    trajectory = str(uuid.uuid4())
    served, _ = ask(router, "to", headers={"X-Synth-Trajectory-ID": trajectory})
    assert served == "f2"
    [call] = calls_of(trajectory)
    assert call["attempts"][0]["model"] == "slow" and "timed out" in call["attempts"][0]["error"]


def test_failing_deployment_cools_down(router):
    g1, g2 = router["fakes"]["g1"], router["fakes"]["g2"]
    g1.mode = "500"
    assert ask(router, "cd")[0] == "g2"
    assert ask(router, "cd")[0] == "g2"  # second failure in a row: g1 cools down
    tried = g1.count
    for _ in range(3):
        assert ask(router, "cd")[0] == "g2"
    assert g1.count == tried, "a deployment in cooldown is not called while others work"
    g1.mode = "ok"


def test_all_deployments_failing_is_a_clear_error(router):
    router["fakes"]["f1"].script = ["500", "500"]
    router["fakes"]["f2"].script = ["500", "500"]
    with pytest.raises(openai.APIStatusError) as error:
        ask(router, "fb")
    assert error.value.status_code == 502 and "all 2 deployments of 'fb' failed" in error.value.message


def test_rpm_limit_sends_the_excess_to_the_fallback(router):
    served = collections.Counter(ask(router, "rl")[0] for _ in range(5))
    assert served["limited"] <= 4 and served["f2"] >= 1, served
