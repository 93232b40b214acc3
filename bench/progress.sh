#!/usr/bin/env bash
# What the live progress line costs: `nn train` for 100 epochs of a 142-row CSV (the first rows of
# examples/breast-cancer/train.csv) on a terminal against the same with --quiet, both in a
# pseudo-terminal from script(1) (so both pay for it), alternated, medians of RUNS each (default 7).
# Issue 20's target: at most 1.10.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -143 examples/breast-cancer/train.csv > "$work/small.csv"
cat > "$work/small.json" <<'JSON'
{"data": {"train": "small.csv", "target": "diagnosis", "normalize": "standardize"},
 "layers": [{"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dense", "units": 1}, {"type": "sigmoid"}],
 "loss": "binary-cross-entropy", "optimizer": {"type": "adam", "learningRate": 0.001},
 "training": {"batchSize": 32, "maxEpochs": 100, "seed": 1}}
JSON
nn=$PWD/nn
"$nn" train --quiet --config "$work/small.json" > /dev/null 2>&1 # builds the command and its archive once
seconds() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
: > "$work/quiet"; : > "$work/tty"
for _ in $(seq "$runs"); do
  seconds script -qec "$nn train --quiet --config $work/small.json" /dev/null >> "$work/quiet"
  seconds script -qec "$nn train --config $work/small.json" /dev/null >> "$work/tty"
done
q=$(median < "$work/quiet"); t=$(median < "$work/tty")
printf 'nn train, 100 epochs of 142 rows: --quiet %s s, on a terminal %s s (medians of %d): ratio %.2f (target <= 1.10)\n' \
  "$q" "$t" "$runs" "$(echo "$t / $q" | bc -l)"
