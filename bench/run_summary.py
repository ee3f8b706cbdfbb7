#!/usr/bin/env python3
"""One markdown row per training run, from the files a run leaves (or their copies under docs/run-logs/NAME/):
metrics.jsonl (step lines and eval lines) and, when present, time.txt (GNU time -v of the `taskbert train` process).

  python3 bench/run_summary.py docs/run-logs/sn-bin-pooler-siglip-2l ...
  python3 bench/run_summary.py --metric jsts/valid.spearman --second none docs/run-logs/ja-sts-regression-jsts
  python3 bench/run_summary.py --metric dev.accuracy --second dev.macro_f1 docs/run-logs/ja-classification-jnli

Columns: run, steps, the metric (--metric, default STS-B dev) at each evaluation, the second metric (--second, default
SICK trial; none leaves the column out) at the selected step, the selected step (best metric, as
training.best_metric selects), training loss (mean of the first 10 and of the last 50 steps), median s/step,
wall time (time.txt) and peak RSS (the largest peak_rss_mib logged, or time.txt's maximum resident set).
--set-up adds, after the run's name, what its config.yaml (as run) trained: task, vector, objective and score,
layers, corpus."""
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


def set_up(run):
    """The run's task, vector, objective and score, trained layers and corpus, from its config.yaml."""
    import yaml  # PyYAML: Debian's python3-yaml

    cfg = yaml.safe_load((Path(run) / "config.yaml").read_text())
    task, training = cfg["task"], cfg["training"]
    score = task.get("score", "")
    if "init_scale" in task or "init_bias" in task:
        score += f" (start {task.get('init_scale', '')}, {task.get('init_bias', '')})"
    layers = training.get("train_layers", 2)
    corpus = Path(task.get("corpus", task.get("train", ""))).name.split(".")[0]
    parts = [task["type"], task.get("pooling", ""), task.get("objective", ""), score,
             "all 12 layers" if layers < 0 else f"top {layers}", corpus]
    return ", ".join(p for p in parts if p)


def main(args):
    metric, second, with_set_up = "stsb/dev.spearman", "sick/trial.spearman", False
    while args and args[0] in ("--metric", "--second", "--set-up"):
        if args[0] == "--set-up":
            with_set_up, args = True, args[1:]
            continue
        if args[0] == "--metric":
            metric = args[1]
        else:
            second = None if args[1] == "none" else args[1]
        args = args[2:]

    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if args else 2)
    if args[0].startswith("--"):
        sys.exit(f"run_summary.py: unknown option {args[0]} (--metric M, --second S|none, --set-up)")
    for run in map(Path, args):
        steps, evals, metrics = [], {}, run / "metrics.jsonl"
        if not metrics.is_file():
            sys.exit(f"run_summary.py: {metrics} does not exist (give run folders, or their copies under docs/run-logs/)")
        for line in metrics.read_text().splitlines():
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
        described = f" {set_up(run)} |" if with_set_up else ""
        print(f"| {run.name} |{described} {steps[-1]['step'] if steps else 0} | {sts} |{other}"
              f" step {best} | {statistics.mean(losses[:10]):.3f} → {statistics.mean(losses[-50:]):.3f}"
              f" | {statistics.median(m['step_seconds'] for m in steps):.2f} | {wall} | {rss:,.0f} MiB |")


if __name__ == "__main__":
    main(sys.argv[1:])
