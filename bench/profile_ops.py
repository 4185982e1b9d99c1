"""Sums an engine profiler's Chrome trace per op: calls per step and self time per step (an op's
time less that of the ops it called), for NormLab's (StepBench part=profile, libtorch's profiler
through DJL) and the PyTorch peer's (pytorch_peer.py profile=FILE) alike, so that the two engines'
op counts and per-op costs can be set side by side. Usage:
    python3 bench/profile_ops.py TRACE.json STEPS [TRACE2.json STEPS2]   (top 25 ops by self time)
"""
import json
import sys
from collections import defaultdict


def per_op(path, steps):
    with open(path) as f:
        trace = json.load(f)
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    ops = [e for e in events if e.get("ph") == "X" and "dur" in e and e.get("cat", "cpu_op") in ("cpu_op", "operator", "Operator")]
    by_thread = defaultdict(list)
    for e in ops:
        by_thread[e.get("tid")].append(e)
    calls, self_us = defaultdict(int), defaultdict(float)
    top_level = 0
    for events in by_thread.values():
        events.sort(key=lambda e: (float(e["ts"]), -float(e["dur"])))
        stack = []  # (end, name) of the enclosing ops
        for e in events:
            ts, dur = float(e["ts"]), float(e["dur"])
            while stack and stack[-1][0] <= ts:
                stack.pop()
            if stack:
                self_us[stack[-1][1]] -= dur
            else:
                top_level += 1
            calls[e["name"]] += 1
            self_us[e["name"]] += dur
            stack.append((ts + dur, e["name"]))
    return {k: (calls[k] / steps, self_us[k] / steps) for k in calls}, top_level / steps


def main(args):
    runs = [(args[i], float(args[i + 1])) for i in range(0, len(args), 2)]
    tables = [per_op(p, s) for p, s in runs]
    for (path, _), (table, top) in zip(runs, tables):
        total = sum(us for _, us in table.values())
        print(f"{path}: {top:.0f} top-level engine calls per step, {total / 1000:.2f} ms of op time per step")
    names = sorted(set().union(*[t for t, _ in tables]), key=lambda k: -max(t.get(k, (0, 0))[1] for t, _ in tables))
    header = "".join(f" | calls, self us ({i + 1})" for i in range(len(tables)))
    print(f"op{header}")
    for k in names[:25]:
        print(k + "".join(" | %6.0f %8.0f" % t.get(k, (0, 0)) for t, _ in tables))


if __name__ == "__main__":
    main(sys.argv[1:])
