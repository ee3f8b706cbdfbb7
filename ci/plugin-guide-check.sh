#!/usr/bin/env bash
# Follows docs/writing-a-task-plugin.md from scratch: writes the plugin the guide gives (every file taken from the
# page), runs its test, finds it by name through ./taskbert, trains it on the tiny model, checks that ./taskbert
# rebuilds it after an edit and not without one, and that the SPI boundary holds (an import past the SPI does not
# compile; the framework in compile scope fails the enforcer rule). Needs `mvn -B install` (or -DskipTests) first.
set -euo pipefail
cd "$(dirname "$0")/.."
P=plugins/triplet-margin
GUIDE=docs/writing-a-task-plugin.md
if [ -e "$P" ]; then
  echo "plugin-guide-check: $P exists already; remove it first" >&2
  exit 1
fi
LOG="$(mktemp)"
cleanup() { rm -rf "$P" runs/triplet-margin-tiny runs/triplet-margin-tiny-2 "$LOG"; }
trap cleanup EXIT
fail() { echo "plugin-guide-check: FAILED: $*" >&2; sed 's/^/  | /' "$LOG" >&2; exit 1; }
step() { echo "plugin-guide-check: $*" >&2; }

step "1. the plugin's files, from $GUIDE"
awk -v dir="$P/" '
  /^```[a-z]+ / && index($2, dir) == 1 { file = $2; system("mkdir -p \"$(dirname \"" file "\")\""); printf "" > file; next }
  /^```/ { if (file != "") { close(file); file = "" }; next }
  file != "" { print > file }
' "$GUIDE"
for f in pom.xml tiny.yaml src/main/resources/META-INF/services/org.taskbert.spi.TaskModule \
    src/main/java/org/example/triplet/TripletMarginTask.java src/test/java/org/example/triplet/TripletMarginTaskTest.java; do
  [ -s "$P/$f" ] || fail "the guide gives no $P/$f"
done
if grep -h '^import org\.taskbert\.' "$P"/src/main/java/org/example/triplet/*.java | grep -v '^import org\.taskbert\.spi\.'; then
  fail "the guide's main code imports past the SPI"
fi

step "2. its test (cd $P && mvn -B test)"
(cd "$P" && mvn -B -q test) >"$LOG" 2>&1 || fail "the plugin's test"

step "3. found by name: ./taskbert tasks"
./taskbert tasks >"$LOG.out" 2>"$LOG" || fail "./taskbert tasks"
grep -q "building plugins/triplet-margin" "$LOG" || fail "./taskbert did not build the unlisted plugin folder"
grep -q '^triplet-margin ' "$LOG.out" || { cat "$LOG.out" >>"$LOG"; fail "triplet-margin is not among the tasks"; }

step "4. trains on the tiny model: ./taskbert train $P/tiny.yaml"
./taskbert train "$P/tiny.yaml" >"$LOG" 2>&1 || fail "training"
grep -q '"sick/trial.spearman"' runs/triplet-margin-tiny/metrics.jsonl || fail "no evaluation in metrics.jsonl"
[ -f runs/triplet-margin-tiny/best/weights.safetensors ] || fail "no best checkpoint"

step "5. nothing changed: no rebuild"
./taskbert tasks >/dev/null 2>"$LOG" || fail "./taskbert tasks"
if grep -q building "$LOG"; then fail "./taskbert rebuilt without a change"; fi

step "6. an edit is rebuilt: evaluate also reports the margin"
TASK="$P/src/main/java/org/example/triplet/TripletMarginTask.java"
perl -0pi -e 's/(    \/\*\* Scored by Spearman)/    \@Override\n    public java.util.Map<String, Double> evaluate(org.taskbert.spi.EvaluationContext context) throws IOException {\n        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>(StsScoredTask.super.evaluate(context));\n        m.put("triplet.margin", cfg.margin());\n        return m;\n    }\n\n$1/' "$TASK"
grep -q triplet.margin "$TASK" || fail "the edit did not apply"
./taskbert train "$P/tiny.yaml" --set output=runs/triplet-margin-tiny-2 >"$LOG" 2>&1 || fail "training after the edit"
grep -q "building" "$LOG" || fail "./taskbert did not rebuild after the edit"
grep -q '"triplet.margin":0.5' runs/triplet-margin-tiny-2/metrics.jsonl || fail "the edited plugin did not run"
if grep -q "older than its sources" "$LOG"; then fail "a stale jar after the rebuild"; fi

step "7. the SPI boundary: an import past the SPI does not compile"
cp "$TASK" "$LOG.java"
sed -i 's/^import org.taskbert.spi.Batch;/import org.taskbert.spi.Batch;\nimport org.taskbert.train.Trainer;/' "$TASK"
if (cd "$P" && mvn -B -q -o package -DskipTests) >"$LOG" 2>&1; then fail "a plugin importing org.taskbert.train compiled"; fi
grep -q "package org.taskbert.train does not exist" "$LOG" || fail "not the compiler's error"
cp "$LOG.java" "$TASK"

step "8. the SPI boundary: the framework in compile scope fails the enforcer rule"
perl -0pi -e 's#</project>#  <dependencies>\n    <dependency><groupId>org.taskbert</groupId><artifactId>taskbert-framework</artifactId><version>0.1.0-SNAPSHOT</version></dependency>\n  </dependencies>\n</project>#' "$P/pom.xml"
if (cd "$P" && mvn -B -q -o package -DskipTests) >"$LOG" 2>&1; then fail "a plugin depending on the framework built"; fi
grep -q "a task plugin depends on taskbert-spi only" "$LOG" || fail "not the enforcer's message"
rm -f "$LOG.java" "$LOG.out"
step "passed"
