#!/usr/bin/env python3
"""One markdown row per run: its best checkpoint by STS-B dev as training scored it (metrics.jsonl, the trained
pooling), beside the same checkpoint scored alone in another pooling by `bench/greedy_soup.py --rescore`
(ALONE/<prefix>-<run>.json), and the mean difference over the runs.

  python3 bench/rescore_summary.py docs/run-logs/soups-session18/alone docs/run-logs/soup-seed-*"""
import sys
from pathlib import Path

from greedy_soup import best_of
from soup_summary import pooling_and_scores


def main(alone, runs):
    print("| run | selected | STS-B dev, trained pooling | STS-B dev, rescored | difference | SICK trial, trained "
          "| SICK trial, rescored |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    gains = []
    for run in map(Path, runs):
        found = sorted(Path(alone).glob(f"*-{run.name}.json"))
        if len(found) != 1:
            sys.exit(f"{alone}: {len(found)} rescored files for {run.name}, want 1")
        dev, step, sick = best_of(run)
        scored, again = pooling_and_scores(found[0])
        gains.append(again["stsb/dev"] - dev)
        print(f"| {run.name} ({scored}) | step {step} | {dev:.2f} | {again['stsb/dev']:.2f} | "
              f"{gains[-1]:+.2f} | {sick:.2f} | {again['sick/trial']:.2f} |")
    print(f"\nmean difference on STS-B dev over {len(gains)} runs: {sum(gains) / len(gains):+.2f}, "
          f"{sum(g > 0 for g in gains)} of {len(gains)} up")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
