#!/bin/bash
# Copies a finished run's config, metrics and `time -v` report from a queue folder into docs/run-logs/<name>/.
#   bench/collect_runs.sh /work/frozen-a sn-inb-pooler-2l sn-inb-cls-2l ...
set -euo pipefail
from="$1"; shift
for name in "$@"; do
  mkdir -p "docs/run-logs/$name"
  cp "$from/runs/$name/config.yaml" "$from/runs/$name/metrics.jsonl" "docs/run-logs/$name/"
  if [ -s "$from/logs/$name.time" ]; then cp "$from/logs/$name.time" "docs/run-logs/$name/time.txt"; fi
done
