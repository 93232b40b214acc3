#!/usr/bin/env bash
# Cold start of an application serving a model, and of `nn predict`, in fresh JVMs:
#   bench/cold-start.sh [RUNS]      (default 9; medians)
# Trains the iris example and the Fashion-MNIST MLP (if dataset-fashion-mnist is installed) into a
# scratch directory, then times dev.nnkit.bench.ColdStart (load the model, first prediction) with
# a plain `java` on the class path, as an application would start: on a stock JVM, with the Vector
# API module (as the README advises), and with that and an application class-data archive recorded
# by one earlier run (-XX:ArchiveClassesAtExit, then -XX:SharedArchiveFile). Then the whole
# `nn predict` on iris with /usr/bin/time: the distribution's bin/nn, then the checkout's ./nn.
# Issue 19's targets: iris ≤ 150 ms, the MLP ≤ 300 ms, nn predict ≤ 0.4 s.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
./mvnw -q -B -pl nn-bench -am package dependency:build-classpath -DskipTests -Dmaven.javadoc.skip=true \
  -Dmaven.source.skip=true -Dmdep.outputFile=target/classpath.txt >&2
# Jars only: a class-data archive refuses directories on the class path.
cp=$(cat nn-bench/target/classpath.txt):nn-bench/target/nn-bench-0.1.0-SNAPSHOT.jar
work=$(mktemp -d)
./nn train --quiet --config examples/iris.json --out "$work/iris" > /dev/null
models=("iris|$work/iris")
if [ -r /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  ./nn train --quiet --config examples/fashion-mnist.json --set training.maxEpochs=1 --out "$work/mlp" > /dev/null
  models+=("fashion-mlp|$work/mlp")
fi
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
field() { grep -o "\"$1\": [0-9.]*" "$2" | cut -d' ' -f2 | median; }
vector="--add-modules jdk.incubator.vector"
for m in "${models[@]}"; do
  name=${m%%|*}; dir=${m#*|}
  if [ "$name" = iris ]; then row=(5.1 3.5 1.4 0.2); else row=(); fi
  java $vector -XX:ArchiveClassesAtExit="$work/$name.jsa" -cp "$cp" dev.nnkit.bench.ColdStart "$dir" "${row[@]}" \
    > /dev/null 2>&1
  for setup in "stock JVM|" "Vector API|$vector" "Vector API + CDS|$vector -Xlog:cds=off -XX:SharedArchiveFile=$work/$name.jsa"; do
    label=${setup%%|*}; opts=${setup#*|}
    for _ in $(seq "$runs"); do
      start=$(date +%s%N)
      # shellcheck disable=SC2086 # the options are words
      java $opts -cp "$cp" dev.nnkit.bench.ColdStart "$dir" "${row[@]}" 2>/dev/null > "$work/out.json"
      end=$(date +%s%N)
      echo "$(( (end - start) / 1000000 )) $(cat "$work/out.json")"
    done > "$work/runs.txt"
    printf '%-12s %-17s load + first prediction %5.1f ms (load %5.1f, prediction %4.1f); process %s ms, JVM to main %s ms\n' \
      "$name" "$label" "$(field mainToPredictionMs "$work/runs.txt")" "$(field loadMs "$work/runs.txt")" \
      "$(field firstPredictionMs "$work/runs.txt")" "$(cut -d' ' -f1 "$work/runs.txt" | median)" \
      "$(field jvmToMainMs "$work/runs.txt")"
  done
done
./nn --version > /dev/null 2>&1 # builds the distribution if needed; its first run records the archives
nn=(nn-dist/target/nnkit-*/bin/nn)
for launcher in "${nn[0]}" ./nn; do # the installed command, and the checkout's (which first checks the sources' dates)
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/t" "$launcher" predict --model "$work/iris" --data examples/iris/validation.csv \
      > /dev/null 2> /dev/null
    cat "$work/t"
  done > "$work/nn.txt"
  printf '%-45s nn predict (iris, 30 rows): wall %s s, peak %s MB (medians of %s)\n' "$launcher" \
    "$(cut -d' ' -f1 "$work/nn.txt" | median)" "$(( $(cut -d' ' -f2 "$work/nn.txt" | median | cut -d. -f1) / 1024 ))" "$runs"
done
rm -rf "$work"
