#!/usr/bin/env python3
"""The cost model of BENCHMARKS.md's Spark section: projects `spark embed` throughput and `spark train` step time for
8, 64 and 512 executors from the measurements in docs/spark/ (written by the commands in docs/spark/README.md) and the
network assumptions given as options. Prints Markdown.

  python3 bench/spark_cost_model.py            # defaults: docs/spark/*, 10 Gbit/s, 2-core executors

Every input number is read from a measurement file, except the stated assumptions (options with their defaults)."""
import argparse
import json
import math
import re
import statistics


def step_seconds(metrics):
    """Median step time over a run's steps after the first (which warms up)."""
    steps = [json.loads(l) for l in open(metrics) if '"step_seconds"' in l]
    return statistics.median(s["step_seconds"] for s in steps[1:])


def spark_summary(log):
    """(seconds a step in Spark, worker seconds a step summed, trainable values, workers) from spark train's line."""
    text = open(log).read()
    m = re.search(r"spark: (\d+) steps over (\d+) workers .*?, median ([\d.]+) s a step in Spark of which the workers"
                  r" computed ([\d.]+) s \(summed\); each step sent (\d+) trainable values", text, re.S)
    if not m:
        raise SystemExit(f"{log}: no 'spark: ...' summary line")
    return float(m.group(3)), float(m.group(4)), int(m.group(5)), int(m.group(2))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--embed", default="docs/spark/spark-bench.json")
    p.add_argument("--embed-log", default="docs/spark/spark-bench.log")
    p.add_argument("--plain-train", default="docs/spark/train-plain.metrics.jsonl")
    p.add_argument("--spark1-log", default="docs/spark/train-spark-1.log")
    p.add_argument("--spark2-log", default="docs/spark/train-spark-2.log")
    p.add_argument("--spark2-train", default="docs/spark/train-spark-2.metrics.jsonl")
    p.add_argument("--gbit", type=float, default=10.0, help="assumed network bandwidth per node, Gbit/s")
    p.add_argument("--model-params", type=int, default=109_482_240, help="bert-base-uncased's weights, pooler included")
    p.add_argument("--texts", type=int, default=10_000_000, help="corpus size projected")
    p.add_argument("--micro-batches", type=int, default=64, help="fixed global batch (micro-batches) for strong scaling")
    p.add_argument("--local-steps", type=int, default=8, help="K of the local-SGD projection")
    a = p.parse_args()
    bw = a.gbit * 1e9 / 8  # bytes/s

    e = json.load(open(a.embed))
    plain_rate = e["plain"]["textsPerSecond"]
    runs = {r["master"]: r for r in e["spark"]}
    two = runs["local[2]"]
    one = runs["local[1]"]
    slot_rate = two["textsPerEncoderSecond"]  # one task slot = one core, both cores busy
    exec_rate = 2 * slot_rate  # a 2-core executor, as measured on this machine
    loads = [float(x) for x in re.findall(r"unpacked and loaded in ([\d.]+) s", open(a.embed_log).read())]
    load = max(loads)
    model_bytes = 4 * a.model_params

    print(f"Measured ({e['model']}, {e['pooling']}, {one['texts']} STS-B dev sentences, {e['cores']} cores):"
          f" plain {plain_rate:.1f} texts/s; local[1] job {one['textsPerSecond']:.1f} texts/s"
          f" (plain/spark {one['plainOverSparkRate']:.2f}); local[2] job {two['textsPerSecond']:.1f} texts/s"
          f" (plain/spark {two['plainOverSparkRate']:.2f}); steady rate of one task slot with both slots busy"
          f" {slot_rate:.1f} texts/s; an executor unpacks and loads the model in {load:.1f} s.\n")
    print(f"### Embedding {a.texts:,} texts (2-core executors at {exec_rate:.1f} texts/s each; model"
          f" {model_bytes / 1e6:.0f} MB fetched from the driver by every executor over {a.gbit:g} Gbit/s)\n")
    print("| executors | texts/s | model to all executors | embedding | total | of linear |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in (8, 64, 512):
        fetch = n * model_bytes / bw  # SparkFiles: every executor fetches from the driver's file server
        embed = a.texts / (n * exec_rate)
        total = fetch + load + embed
        print(f"| {n} | {n * exec_rate:,.0f} | {fetch + load:,.0f} s | {embed:,.0f} s | {total:,.0f} s"
              f" ({total / 3600:.2f} h) | {embed / total:.0%} |")

    plain_step = step_seconds(a.plain_train)
    s1, w1, values, _ = spark_summary(a.spark1_log)
    s2, w2, values2, workers2 = spark_summary(a.spark2_log)
    spark2_step = step_seconds(a.spark2_train)
    share = 4 * values  # bytes of one worker's gradient share, and of the broadcast weights
    per_mb = w1 / 2  # worker compute per micro-batch (the 1-worker run computes both of the step's 2)
    spark_fixed = s1 - w1  # Spark's own cost of a step (job, tasks, serialisation), from the 1-worker run
    driver = plain_step - w1 if plain_step > w1 else 0.0  # the optimiser step and bookkeeping, from the plain run
    print(f"\nMeasured (siamese-nsp, bert-base-uncased, top 2 layers + pooler + head, 2 micro-batches of 8 pairs a step):"
          f" {values:,} trainable values, so {share / 1e6:.1f} MB broadcast to and {share / 1e6:.1f} MB back from each"
          f" worker a step; plain step {plain_step:.2f} s (median), worker compute {per_mb:.2f} s a micro-batch;"
          f" Spark's fixed cost {spark_fixed:.2f} s a step (1 worker, local[1]); 2 workers in local[2]:"
          f" {spark2_step:.2f} s a step.\n")
    print(f"### Training step time ({a.gbit:g} Gbit/s; broadcast ≈ one copy out of the driver, torrent spreads it;"
          " treeAggregate depth 2 ≈ (n/√n + √n) shares through the busiest link)\n")
    print("| executors | global batch | compute | transfers | Spark fixed + driver | step | pairs/s | transfers share |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for label, mbs in (("1 micro-batch (8 pairs) per executor", None), (f"{a.micro_batches} micro-batches", a.micro_batches)):
        for n in (8, 64, 512):
            g = n if mbs is None else mbs
            w = min(n, g)  # spark train runs at most one worker per micro-batch (--workers <= grad_accumulation)
            compute = math.ceil(g / w) * per_mb
            scale = max(math.ceil(math.sqrt(w)), 2)
            transfers = share / bw + (w / scale + scale) * share / bw
            step = compute + transfers + spark_fixed + driver
            print(f"| {n}{'' if w == n else f' ({w} used)'} | {label if mbs is None else f'{g * 8} pairs ({g} × 8)'} | {compute:.2f} s | {transfers:.2f} s"
                  f" | {spark_fixed + driver:.2f} s | {step:.2f} s | {g * 8 / step:,.0f} | {transfers / step:.0%} |")

    k = a.local_steps
    print(f"\n### Local SGD, K = {k} (`--local-steps {k}`): a round moves the weights and both AdamW moments each way"
          f" ({3 * share / 1e6:.1f} MB per worker), once per {k} steps; Spark's fixed cost taken as proportional to"
          " the bytes moved (3× the synchronous step's), the driver's work once per round\n")
    print("| executors | global batch | compute | transfers per step | Spark fixed + driver per step | step | pairs/s |"
          " transfers share |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for n in (8, 64, 512):
        compute = per_mb
        scale = max(math.ceil(math.sqrt(n)), 2)
        transfers = (3 * share / bw + (n / scale + scale) * 3 * share / bw) / k
        fixed = (3 * spark_fixed + driver) / k
        step = compute + transfers + fixed
        print(f"| {n} | 1 micro-batch (8 pairs) per executor | {compute:.2f} s | {transfers:.2f} s | {fixed:.2f} s"
              f" | {step:.2f} s | {n * 8 / step:,.0f} | {transfers / step:.0%} |")


if __name__ == "__main__":
    main()

