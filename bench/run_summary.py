#!/usr/bin/env python3
"""One markdown row per training run, from the files a run leaves (or their copies under docs/run-logs/NAME/):
metrics.jsonl (step lines and eval lines) and, when present, time.txt (GNU time -v of the `taskbert train` process).

  python3 bench/run_summary.py docs/run-logs/sn-bin-pooler-siglip-2l ...

Columns: run, steps, STS-B dev at each evaluation, SICK trial at the selected step, the selected step (best STS-B dev,
as training.best_metric selects), training loss (mean of the first 10 and of the last 50 steps), median s/step,
wall time (time.txt) and peak RSS (the largest peak_rss_mib logged, or time.txt's maximum resident set)."""
import json
import re
import statistics
import sys
from pathlib import Path

for run in map(Path, sys.argv[1:]):
    steps, evals = [], {}
    for line in (run / "metrics.jsonl").read_text().splitlines():
        m = json.loads(line)
        if "eval" in m:
            evals[m["step"]] = m["eval"]
        elif "loss" in m:
            steps.append(m)
    best = max(evals, key=lambda s: evals[s].get("stsb/dev.spearman", float("-inf")))
    losses = [m["loss"] for m in steps]
    wall, rss = "", max((m.get("peak_rss_mib", 0) for m in steps), default=0)
    time_txt = run / "time.txt"
    if time_txt.exists():
        t = time_txt.read_text()
        w = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t)
        r = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
        wall = w.group(1) if w else ""
        rss = max(rss, int(r.group(1)) / 1024 if r else 0)
    sts = " / ".join(f"{evals[s]['stsb/dev.spearman']:.2f}" for s in sorted(evals))
    print(f"| {run.name} | {steps[-1]['step'] if steps else 0} | {sts} | {evals[best].get('sick/trial.spearman', float('nan')):.2f}"
          f" | step {best} | {statistics.mean(losses[:10]):.3f} → {statistics.mean(losses[-50:]):.3f}"
          f" | {statistics.median(m['step_seconds'] for m in steps):.2f} | {wall} | {rss:,.0f} MiB |")
