"""Turns the benchmark's results.jsonl into the markdown table of
docs/BENCHMARKS.md: added latency = gateway minus direct."""
import argparse
import json

parser = argparse.ArgumentParser()
parser.add_argument("results")
parser.add_argument("--latency-ms", type=float)
parser.add_argument("--duration", type=float)
parser.add_argument("--rate", type=float)
parser.add_argument("--max-concurrency", type=int, default=256)
parser.add_argument("--load", nargs=2, default=["?", "?"], help="load averages (1, 5, 15 min) before and after the runs")
parser.add_argument("--litellm", default="?")
args = parser.parse_args()
rows = [json.loads(line) for line in open(args.results) if line.strip()]
by = {(r["label"], r["mode"], r["concurrency"] or r["target_rps"]): r for r in rows}


def added(target, mode, level, key):
    gateway, direct = by.get((target, mode, level)), by.get(("direct", mode, level))
    if not gateway or not direct or gateway[key] is None or direct[key] is None:
        return None
    return gateway[key] - direct[key]


def fmt(value):
    return "n/a" if value is None else "%.3f" % value


print("Upstream: fixed %.0f ms latency; %g s per run; LiteLLM %s; load average %s before, %s after.\n"
      % (args.latency_ms, args.duration, args.litellm, args.load[0], args.load[1]))
print("| run | target | requests | errors | RPS | p50 ms | p99 ms | added p50 ms | added p99 ms |")
print("|---|---|---|---|---|---|---|---|---|")
for mode, level, name in (("concurrency", 1, "concurrency 1"), ("concurrency", 64, "concurrency 64"),
                          ("concurrency", args.max_concurrency, "concurrency %d" % args.max_concurrency), ("rate", args.rate, "open loop %g RPS" % args.rate)):
    for target in ("direct", "synth", "litellm"):
        r = by.get((target, mode, level))
        if not r:
            continue
        print("| %s | %s | %d | %d | %.0f | %s | %s | %s | %s |" % (
            name, target, r["requests"], r["errors"], r["rps"], fmt(r["p50_ms"]), fmt(r["p99_ms"]),
            "" if target == "direct" else fmt(added(target, mode, level, "p50_ms")),
            "" if target == "direct" else fmt(added(target, mode, level, "p99_ms"))))
synth, lite = added("synth", "concurrency", 64, "p99_ms"), added("litellm", "concurrency", 64, "p99_ms")
if synth and lite:
    print("\nAt concurrency 64, LiteLLM's added p99 is %.1fx synth's." % (lite / synth if synth > 0 else float("inf")))
for target in ("direct", "synth", "litellm"):
    best = max((r for r in rows if r["label"] == target and r["mode"] == "concurrency" and not r["errors"]),
               key=lambda r: r["rps"], default=None)
    if best:
        print("Highest RPS without errors (closed loop), %s: %.0f (%d connections)" % (target, best["rps"], best["concurrency"]))
