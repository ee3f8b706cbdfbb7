#!/bin/bash
# Averages checkpoints (`taskbert average`) and scores each average on STS-B dev and SICK trial (`taskbert eval sts`
# in the pooling $POOLING, mean unless set), one line of a spec file at a time: "<name> <checkpoint> <checkpoint>...",
# paths relative to the current folder (a copy of the tree with `taskbert average`; checkpoints may lie in a queue
# folder of bench/run_queue.sh). Writes soups/<name>/ (the averaged model, removed after its evaluation unless
# KEEP=1), soups/<name>.json and soups/<name>.err; skips a name whose .json exists.
#   (cd /work/frozen-soup && bench/soups.sh soups.txt)
#   python3 bench/soup_summary.py /work/frozen-soup/soups/*.json
set -uo pipefail
SHARED="${SHARED:-../shared}"
mkdir -p soups
while read -r name checkpoints; do
  [ -z "$name" ] && continue
  [ -f "soups/$name.json" ] && continue
  rm -rf "soups/$name"
  # shellcheck disable=SC2086 # the checkpoints are words
  if ./taskbert average --out "soups/$name" $checkpoints > "soups/$name.err" 2>&1 \
    && ./taskbert eval sts -m "soups/$name" -p "${POOLING:-mean}" --json "soups/$name.json.tmp" \
      "$SHARED/data/sts/stsb/dev.jsonl" "$SHARED/data/sts/sick/trial.jsonl" >> "soups/$name.err" 2>&1; then
    cp "soups/$name/run.json" "soups/$name.run.json"
    mv "soups/$name.json.tmp" "soups/$name.json"
    [ "${KEEP:-0}" = 1 ] || rm -rf "soups/$name"
    echo "$(date +%T) $name done"
  else
    echo "$(date +%T) $name FAILED: see soups/$name.err"
  fi
done < "${1:-soups.txt}"
