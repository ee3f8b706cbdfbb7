#!/usr/bin/env python3
"""Greedy soup (Wortsman et al., 2022, "Model soups", Recipe 1) of finished runs' best checkpoints: the runs sorted by
their best STS-B dev figure, the best one first; each next one joins the average only if the average's STS-B dev does
not fall. Scores through bench/soups.sh (`taskbert average`, then `taskbert eval sts` in the pooling $POOLING, mean
unless set), so each trial lands as soups/<prefix>-<k>.json beside the others; rerunning skips the trials already
scored. Selection is on STS-B dev itself, as the runs' best checkpoints are: SICK trial is the figure nothing was
picked on. With --rescore, each run's best checkpoint is first scored alone in $POOLING
(soups/alone/<prefix>-<run>.json), and those figures rank the runs and start the soup: for a pooling other than the
one the runs were trained and selected with.

  (cd /work/frozen-s && python3 bench/greedy_soup.py --prefix greedy runs/seed-1 runs/seed-7 runs/seed-42)
  (cd /work/frozen-s && POOLING=first_last_avg python3 bench/greedy_soup.py --rescore --prefix fla runs/seed-1 ...)"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from soup_summary import scores

METRIC = "stsb/dev.spearman"
SHARED = os.environ.get("SHARED", "../shared")


def best_of(run):
    """The run's best evaluation by STS-B dev: (score, step, SICK trial there)."""
    evals = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines() if '"eval"' in line]
    if not evals:
        sys.exit(f"{run}/metrics.jsonl: no evaluation lines")
    best = max(evals, key=lambda e: e["eval"][METRIC])
    return best["eval"][METRIC], best["step"], best["eval"]["sick/trial.spearman"]


def rescored(run, prefix):
    """The run's best checkpoint scored alone in $POOLING: (STS-B dev, its best step, SICK trial)."""
    out = Path("soups") / "alone" / f"{prefix}-{run.name}.json"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".json.tmp")
        subprocess.run(["./taskbert", "eval", "sts", "-m", str(run / "best"), "-p", os.environ.get("POOLING", "mean"),
                        "--json", str(tmp), f"{SHARED}/data/sts/stsb/dev.jsonl", f"{SHARED}/data/sts/sick/trial.jsonl"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        tmp.rename(out)
    results = scores(out)
    return results["stsb/dev"], best_of(run)[1], results["sick/trial"]


def score(name, checkpoints):
    """STS-B dev and SICK trial (x100) of the average of the checkpoints, scored by bench/soups.sh."""
    spec = Path("soups") / f"{name}.spec"
    spec.parent.mkdir(exist_ok=True)
    spec.write_text(f"{name} {' '.join(str(c) for c in checkpoints)}\n")
    subprocess.run(["bench/soups.sh", str(spec)], check=True)
    out = Path("soups") / f"{name}.json"
    if not out.exists():
        sys.exit(f"{name}: not scored, see soups/{name}.err")
    results = scores(out)
    return results["stsb/dev"], results["sick/trial"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prefix", default="greedy")
    parser.add_argument("--rescore", action="store_true", help="score each run's best alone in $POOLING first")
    parser.add_argument("runs", nargs="+", type=Path)
    args = parser.parse_args()
    own = (lambda r: rescored(r, args.prefix)) if args.rescore else best_of
    ranked = sorted(((own(r), r) for r in args.runs), key=lambda x: -x[0][0])
    print("| trial | candidate (its best) | STS-B dev | SICK trial | kept |")
    print("|---|---|---:|---:|---|")
    (first_score, first_step, first_sick), first = ranked[0]
    soup, current = [first / "best"], first_score
    print(f"| start | {first.name}@{first_step} ({first_score:.2f}) | {first_score:.2f} | {first_sick:.2f} | yes |", flush=True)
    for k, ((own, step, _), run) in enumerate(ranked[1:], start=2):
        dev, sick = score(f"{args.prefix}-{k}", soup + [run / "best"])
        kept = dev >= current
        if kept:
            soup, current = soup + [run / "best"], dev
        print(f"| {args.prefix}-{k} | {run.name}@{step} ({own:.2f}) | {dev:.2f} | {sick:.2f} | "
              f"{'yes' if kept else 'no'} |", flush=True)
    print(f"\nsoup: {' + '.join(c.parent.name for c in soup)}, STS-B dev {current:.2f}")


if __name__ == "__main__":
    main()
