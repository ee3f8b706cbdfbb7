#!/usr/bin/env python3
"""One markdown row per training run, from the files a run leaves (or their copies under docs/run-logs/NAME/):
metrics.jsonl (step lines and eval lines) and, when present, time.txt (GNU time -v of the `taskbert train` process).

  python3 bench/run_summary.py docs/run-logs/sn-bin-pooler-siglip-2l ...
  python3 bench/run_summary.py --metric jsts/valid.spearman --second none docs/run-logs/ja-sts-regression-jsts
  python3 bench/run_summary.py --metric dev.accuracy --second dev.macro_f1 docs/run-logs/ja-classification-jnli

Columns: run, steps, the metric (--metric, default STS-B dev) at each evaluation, the second metric (--second, default
SICK trial; none leaves the column out) at the selected step, the selected step (best metric, as
training.best_metric selects), training loss (mean of the first 10 and of the last 50 steps), median s/step,
wall time (time.txt) and peak RSS (the largest peak_rss_mib logged, or time.txt's maximum resident set)."""
import json
import re
import statistics
import sys
from pathlib import Path


def time_v(run):
    """Wall time and peak RSS (MiB) from a run's time.txt (GNU time -v), or ("", 0) without one."""
    time_txt = Path(run) / "time.txt"
    if not time_txt.exists():
        return "", 0
    t = time_txt.read_text()
    w = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t)
    r = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
    return (w.group(1) if w else ""), (int(r.group(1)) / 1024 if r else 0)


def main(args):
    metric, second = "stsb/dev.spearman", "sick/trial.spearman"
    while args and args[0] in ("--metric", "--second"):
        if args[0] == "--metric":
            metric = args[1]
        else:
            second = None if args[1] == "none" else args[1]
        args = args[2:]

    for run in map(Path, args):
        steps, evals = [], {}
        for line in (run / "metrics.jsonl").read_text().splitlines():
            m = json.loads(line)
            if "eval" in m:
                evals[m["step"]] = m["eval"]
            elif "loss" in m:
                steps.append(m)
        best = max(evals, key=lambda s: evals[s].get(metric, float("-inf")))
        losses = [m["loss"] for m in steps]
        wall, timed_rss = time_v(run)
        rss = max(max((m.get("peak_rss_mib", 0) for m in steps), default=0), timed_rss)
        sts = " / ".join(f"{evals[s][metric]:.2f}" for s in sorted(evals))
        other = f" {evals[best].get(second, float('nan')):.2f} |" if second else ""
        print(f"| {run.name} | {steps[-1]['step'] if steps else 0} | {sts} |{other}"
              f" step {best} | {statistics.mean(losses[:10]):.3f} → {statistics.mean(losses[-50:]):.3f}"
              f" | {statistics.median(m['step_seconds'] for m in steps):.2f} | {wall} | {rss:,.0f} MiB |")


if __name__ == "__main__":
    main(sys.argv[1:])
