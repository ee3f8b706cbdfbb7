#!/bin/bash
# Runs `taskbert train` once per line of a queue file ("<run name> <train arguments>"), one after another, in the
# current folder (a copy of the tree, so later edits do not rebuild under a running job), skipping finished runs.
# Each run writes runs/<name>/ and logs/<name>.{out,err,time} (GNU time -v), the layout bench/collect_runs.sh reads.
#   (cd /work/frozen-a && nohup bench/run_queue.sh queue.txt > logs/nohup.out 2>&1 &)
set -uo pipefail
export TASKBERT_JAVA_OPTS="${TASKBERT_JAVA_OPTS:--Xmx4g -Dorg.bytedeco.javacpp.maxbytes=14g -Dorg.bytedeco.javacpp.maxphysicalbytes=18g}"
mkdir -p logs runs
while read -r name args; do
  [ -z "$name" ] && continue
  [ -f "runs/$name/.done" ] && continue
  echo "$(date +%T) start $name" >> logs/queue.log
  # shellcheck disable=SC2086 # the arguments are words
  /usr/bin/time -v -o "logs/$name.time" ./taskbert train $args --set "output=runs/$name" > "logs/$name.out" 2> "logs/$name.err"
  rc=$? # before "$(date)" below, whose substitution would reset $? to 0
  echo "$(date +%T) end $name rc=$rc" >> logs/queue.log
  [ "$rc" -eq 0 ] && touch "runs/$name/.done" # a failed run stays unmarked: see logs/$name.err, then rerun the queue
done < "${1:-queue.txt}"
