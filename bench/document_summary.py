#!/usr/bin/env python3
"""One Markdown row per evaluation of a `document` run, ×100, from its metrics.jsonl (and time.txt if there):
the document vector's and the sentence-mean baseline's P@10, k-means ARI and V-measure, and the probe's accuracy.
  python3 bench/document_summary.py docs/run-logs/<run>
"""
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_summary import time_v  # noqa: E402

KEYS = ["p@10", "kmeans_ari", "kmeans_v_measure", "probe_accuracy"]


def main(run):
    run = Path(run)
    wall, mib = time_v(run)
    rss = f"{mib:,.0f} MiB" if mib else ""
    for line in (run / "metrics.jsonl").read_text().splitlines():
        r = json.loads(line)
        if "eval" not in r:
            continue
        e = r["eval"]
        doc = " / ".join(f"{100 * e['doc.' + k]:.2f}" for k in KEYS)
        mean = " / ".join(f"{100 * e['mean.' + k]:.2f}" for k in KEYS)
        print(f"| {run.name} | {r['step']} | {doc} | {mean} | {wall} | {rss} |")


if __name__ == "__main__":
    for a in sys.argv[1:]:
        main(a)
