#!/bin/bash
# session 18: after after18b.sh, three more seeds of the config (mean, as the other six), then the greedy soup of all nine in it
set -uo pipefail
while pgrep -f after18b.sh > /dev/null; do sleep 20; done
git -C /work/main archive 551e33a tasks/simcse | tar -x -C .
O="--set training.steps=30 --set training.eval_every=10 --set training.checkpoint_every=10 --set training.keep_checkpoints=3"
for s in 5 6 8; do echo "seed-$s configs/simcse-wikipedia.yaml --set seed=$s $O"; done > queue-session18b.txt
bench/run_queue.sh queue-session18b.txt
export POOLING=first_last_avg
for s in 1 7 42 2 3 4; do cp -n soups/alone/fla-greedy-seed-$s.json soups/alone/fla9-seed-$s.json; done
python3 bench/greedy_soup.py --rescore --prefix fla9 runs/seed-1 runs/seed-7 runs/seed-42 runs/seed-2 runs/seed-3 runs/seed-4 runs/seed-5 runs/seed-6 runs/seed-8 > soups/fla9-greedy.md
echo "$(date +%T) after18c done" >> logs/queue.log
