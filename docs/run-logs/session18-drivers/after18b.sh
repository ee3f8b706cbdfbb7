#!/bin/bash
# session 18: stop queue-session18.txt after fla-seed-1, then score the mean-trained seeds' bests and soups in first_last_avg
set -uo pipefail
until [ -f runs/fla-seed-1/.done ]; do sleep 10; done
pkill -f "run_queue.sh queue-session18.txt"; sleep 2; pkill -f "output=runs/fla-seed-7"; sleep 5; rm -rf runs/fla-seed-7
echo "$(date +%T) queue-session18 stopped after fla-seed-1" >> logs/queue.log
export POOLING=first_last_avg
python3 bench/greedy_soup.py --rescore --prefix fla-greedy runs/seed-1 runs/seed-7 runs/seed-42 runs/seed-2 runs/seed-3 runs/seed-4 > soups/fla-greedy.md
ing=()
for s in 1 7 42 2 3 4; do
  ing+=("runs/seed-$s/best")
  [ "${#ing[@]}" -ge 2 ] && echo "fla-uniform-${#ing[@]} ${ing[*]}" > "soups/fla-uniform-${#ing[@]}.spec" && bench/soups.sh "soups/fla-uniform-${#ing[@]}.spec"
done
echo "$(date +%T) after18b done" >> logs/queue.log
