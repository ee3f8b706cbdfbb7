#!/usr/bin/env bash
# Local SGD's effect on a result (issue 17): configs/siamese-nsp-inbatch-bbc.yaml for 150 steps of 2 micro-batches
# of 8 pairs, STS-B dev evaluated at the end, on Spark with 2 workers in local[2]: synchronous (the gradients summed
# every step) against --local-steps 4 (each worker 4 steps alone, then weights and AdamW moments averaged). Logs and
# metrics go to docs/spark/local-sgd-*. TASKBERT names the launcher (default ./taskbert); KS the values of K (default
# "1 4"; 1 is synchronous). The driver holds each worker's weights and both AdamW moments while a round is summed
# (3 x 59 MB a worker, plus Spark's copies), which 4 GB of heap does not hold: the heap is 8 GB here.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TASKBERT="${TASKBERT:-$ROOT/taskbert}"
OUT="$ROOT/docs/spark"
WORK="${WORK:-$(mktemp -d)}"
mkdir -p "$OUT"
cd "$ROOT"
CFG="$WORK/local-sgd.yaml"
sed -e 's|^  eval_sts: .*|  eval_sts: [../shared/data/sts/stsb/dev.jsonl]|' -e 's/^  steps: .*/  steps: 150/' \
  -e 's/^  batch_size: .*/  batch_size: 8\n  grad_accumulation: 2/' -e 's/^  warmup_steps: .*/  warmup_steps: 15/' \
  -e 's/^  eval_every: .*/  eval_every: 150/' -e 's/^  checkpoint_every: .*/  checkpoint_every: 150/' \
  configs/siamese-nsp-inbatch-bbc.yaml > "$CFG"
export TASKBERT_JAVA_OPTS="${TASKBERT_JAVA_OPTS:--Xmx8g}"
for k in ${KS:-1 4}; do
  extra=(); [ "$k" -gt 1 ] && extra=(--local-steps "$k")
  /usr/bin/time -v -o "$OUT/local-sgd-k$k.time" "$TASKBERT" spark train "$CFG" --workers 2 --master 'local[2]' \
    "${extra[@]}" --set output="$WORK/k$k" > /dev/null 2> "$OUT/local-sgd-k$k.log"
  cp "$WORK/k$k/metrics.jsonl" "$OUT/local-sgd-k$k.metrics.jsonl"
  grep '"eval"' "$OUT/local-sgd-k$k.metrics.jsonl"
done
