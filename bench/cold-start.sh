#!/usr/bin/env bash
# Cold start of an application serving a model, and of `nn predict`, in fresh JVMs:
#   bench/cold-start.sh [RUNS]      (default 9; medians)
# Trains the iris example and the Fashion-MNIST MLP (if dataset-fashion-mnist is installed) into a
# scratch directory, then times dev.nnkit.bench.ColdStart (load the model, first prediction) with
# a plain `java` on the class path, as an application would start, and the whole `./nn predict` on
# iris with /usr/bin/time. Issue 19's targets: iris ≤ 150 ms, the MLP ≤ 300 ms, nn predict ≤ 0.4 s.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
./mvnw -q -B -pl nn-bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt >&2
cp=$(cat nn-bench/target/classpath.txt):nn-bench/target/classes
work=$(mktemp -d)
./nn train --quiet --config examples/iris.json --out "$work/iris" > /dev/null
models=("iris|$work/iris")
if [ -r /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  ./nn train --quiet --config examples/fashion-mnist.json --set training.maxEpochs=1 --out "$work/mlp" > /dev/null
  models+=("fashion-mlp|$work/mlp")
fi
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
for m in "${models[@]}"; do
  name=${m%%|*}; dir=${m#*|}
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    if [ "$name" = iris ]; then row=(5.1 3.5 1.4 0.2); else row=(); fi
    java -cp "$cp" dev.nnkit.bench.ColdStart "$dir" "${row[@]}" 2>/dev/null > "$work/out.json"
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000000 )) $(cat "$work/out.json")"
  done > "$work/$name.txt"
  printf '%-12s process wall %s ms (median of %s); in the JVM: to main %s ms, load %s ms, first prediction %s ms\n' "$name" \
    "$(cut -d' ' -f1 "$work/$name.txt" | median)" "$runs" \
    "$(grep -o '"jvmToMainMs": [0-9.]*' "$work/$name.txt" | cut -d' ' -f2 | median)" \
    "$(grep -o '"loadMs": [0-9.]*' "$work/$name.txt" | cut -d' ' -f2 | median)" \
    "$(grep -o '"firstPredictionMs": [0-9.]*' "$work/$name.txt" | cut -d' ' -f2 | median)"
done
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$work/t" ./nn predict --model "$work/iris" --data examples/iris/validation.csv > /dev/null
  cat "$work/t"
done > "$work/nn.txt"
printf 'nn predict (iris, 30 rows): wall %s s, peak %s MB (medians of %s)\n' "$(cut -d' ' -f1 "$work/nn.txt" | median)" \
  "$(( $(cut -d' ' -f2 "$work/nn.txt" | median | cut -d. -f1) / 1024 ))" "$runs"
rm -rf "$work"
