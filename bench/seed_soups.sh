#!/bin/bash
# Model soups across seeds: trains configs/simcse-wikipedia.yaml once per seed given (runs/seed-<s>, by
# bench/run_queue.sh, with the extra train options in $OPTS), and after each run from the second scores the uniform
# average of all finished seeds' best checkpoints (soups/uniform-<k>.json, by bench/soups.sh); after the last seed,
# the greedy soup of them all (bench/greedy_soup.py, table in soups/greedy.md), scored in the pooling $POOLING (mean
# unless set; give the task.pooling of $OPTS). Run in a copy of the tree:
#   (cd /work/frozen-s && OPTS="--set training.steps=30 ..." nohup bench/seed_soups.sh 1 7 42 > logs/soups.out 2>&1 &)
set -uo pipefail
mkdir -p logs soups
runs=()
for seed in "$@"; do
  echo "seed-$seed configs/simcse-wikipedia.yaml --set seed=$seed ${OPTS:-}" > "logs/queue-seed-$seed.txt"
  bench/run_queue.sh "logs/queue-seed-$seed.txt"
  [ -f "runs/seed-$seed/.done" ] || { echo "$(date +%T) seed $seed failed: logs/seed-$seed.err"; continue; }
  runs+=("runs/seed-$seed")
  if [ "${#runs[@]}" -ge 2 ]; then
    echo "uniform-${#runs[@]} ${runs[*]/%//best}" > "soups/uniform-${#runs[@]}.spec"
    bench/soups.sh "soups/uniform-${#runs[@]}.spec"
  fi
done
[ "${#runs[@]}" -ge 2 ] && python3 bench/greedy_soup.py --prefix greedy "${runs[@]}" > soups/greedy.md
