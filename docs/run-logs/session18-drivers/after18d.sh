#!/bin/bash
# session 18: after after18c.sh, if time allows, the unpicked checkpoints of seeds 1 and 42 scored in first_last_avg
set -uo pipefail
while pgrep -f after18c.sh > /dev/null; do sleep 20; done
for c in seed-1/checkpoints/step-00000010 seed-1/checkpoints/step-00000030 seed-42/checkpoints/step-00000010 seed-42/checkpoints/step-00000020; do
  [ "$(date +%H%M)" -lt 0528 ] || { echo "$(date +%T) after18d: out of time before $c" >> logs/queue.log; break; }
  out="soups/alone/ckpt-${c//\//-}.json"
  [ -f "$out" ] || ./taskbert eval sts -m "runs/$c" -p mean,first_last_avg --json "$out" ../shared/data/sts/stsb/dev.jsonl ../shared/data/sts/sick/trial.jsonl > "$out.err" 2>&1
done
echo "$(date +%T) after18d done" >> logs/queue.log
