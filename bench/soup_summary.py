#!/usr/bin/env python3
"""One markdown row per checkpoint average that bench/soups.sh scored: its name, its ingredients (run/step, from the
average's run.json), the pooling scored and its Spearman x100 on STS-B dev and SICK trial (from `taskbert eval sts`).

  python3 bench/soup_summary.py /work/frozen-soup/soups/*.json"""
import json
import sys
from pathlib import Path


def ingredients(run_json):
    """'run@step' for each averaged checkpoint, grouped by run: 'avg-seed1-c5@5,10,15'."""
    by_run = {}
    for source in json.loads(Path(run_json).read_text())["averaged_from"]:
        ckpt = Path(source["checkpoint"])
        run = ckpt.parent.parent.name if ckpt.parent.name == "checkpoints" else ckpt.parent.name
        step = ckpt.name.removeprefix("step-").lstrip("0") or "0"
        by_run.setdefault(run, []).append(step if ckpt.name != "best" else "best")
    return "; ".join(f"{run}@{','.join(steps)}" for run, steps in by_run.items())


def pooling_and_scores(result_json):
    """The one pooling a `taskbert eval sts` json of bench/soups.sh scored, and its Spearman x100 by evaluation set
    ('stsb/dev', 'sick/trial')."""
    result = json.loads(Path(result_json).read_text())
    if len(result["poolings"]) != 1:
        sys.exit(f"{result_json}: scored {len(result['poolings'])} poolings {result['poolings']}, "
                 "bench/soups.sh scores one")
    p = result["poolings"][0]
    return p, {Path(r["file"]).parent.name + "/" + Path(r["file"]).stem: r["spearman"][p] for r in result["results"]}


def scores(result_json):
    """Spearman x100 of its pooling by evaluation set in a json of bench/soups.sh."""
    return pooling_and_scores(result_json)[1]


def main(files):
    print("| average | checkpoints | ingredients | pooling | STS-B dev | SICK trial |")
    print("|---|---|---|---|---|---|")
    for f in files:
        p = Path(f)
        if p.name.endswith(".run.json"):  # the average's own run.json, beside its scores
            continue
        scored, figures = pooling_and_scores(p)
        run_json = p.with_name(p.stem + ".run.json")
        n = len(json.loads(run_json.read_text())["averaged_from"])
        print(f"| {p.stem} | {n} | {ingredients(run_json)} | {scored} | "
              f"{figures['stsb/dev']:.2f} | {figures['sick/trial']:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
