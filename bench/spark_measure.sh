#!/usr/bin/env bash
# The measurements behind BENCHMARKS.md's Spark section, written to docs/spark/: `taskbert spark bench` (plain embed
# against spark embed with local[1] and local[2] on the 1,500 STS-B dev first sentences, bert-base-uncased), and six
# steps of configs/siamese-nsp-binary-bbc.yaml's training (2 micro-batches of 8 pairs a step, no STS evaluation) plain,
# on Spark with 1 worker (local[1]) and with 2 workers (local[2]). Then bench/spark_cost_model.py projects them.
# TASKBERT names the launcher (default ./taskbert).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TASKBERT="${TASKBERT:-$ROOT/taskbert}"
OUT="$ROOT/docs/spark"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
cd "$ROOT"
"$TASKBERT" spark bench --model bert-base-uncased --input ../shared/data/sts/stsb/dev.jsonl --text-column sentence1 \
  --masters 'local[1],local[2]' --json "$OUT/spark-bench.json" > "$OUT/spark-bench.txt" 2> "$OUT/spark-bench.log"
cat "$OUT/spark-bench.txt"
CFG="$WORK/train.yaml"
sed -e 's/^  eval_sts: .*/  eval_sts: []/' -e '/best_metric/d' -e 's/^  steps: .*/  steps: 6/' \
  -e 's/^  batch_size: .*/  batch_size: 8\n  grad_accumulation: 2/' -e 's/^  warmup_steps: .*/  warmup_steps: 2/' \
  -e 's/^  eval_every: .*/  eval_every: 1000/' -e 's/^  checkpoint_every: .*/  checkpoint_every: 1000/' \
  -e 's/^  train_layers: .*/  train_layers: 2/' configs/siamese-nsp-binary-bbc.yaml > "$CFG"
"$TASKBERT" train "$CFG" --set output="$WORK/plain" > /dev/null 2> "$OUT/train-plain.log"
cp "$WORK/plain/metrics.jsonl" "$OUT/train-plain.metrics.jsonl"
for n in 1 2; do
  "$TASKBERT" spark train "$CFG" --workers "$n" --master "local[$n]" --set output="$WORK/spark-$n" > /dev/null \
    2> "$OUT/train-spark-$n.log"
  cp "$WORK/spark-$n/metrics.jsonl" "$OUT/train-spark-$n.metrics.jsonl"
  grep '^spark:' "$OUT/train-spark-$n.log"
done
"$TASKBERT" spark train "$CFG" --workers 2 --master 'local[2]' --local-steps 3 --set output="$WORK/spark-local" \
  > /dev/null 2> "$OUT/train-spark-2-local3.log"
cp "$WORK/spark-local/metrics.jsonl" "$OUT/train-spark-2-local3.metrics.jsonl"
grep '^spark:' "$OUT/train-spark-2-local3.log"
uptime | tee "$OUT/load.txt"
python3 bench/spark_cost_model.py > "$OUT/cost-model.md"
cat "$OUT/cost-model.md"
