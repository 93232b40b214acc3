#!/usr/bin/env bash
# Runs nnkit's JMH benchmarks: bench/jmh.sh [JMH options], e.g.
#   bench/jmh.sh MatmulBenchmark            bench/jmh.sh TrainingStepBenchmark -prof gc
set -euo pipefail
cd "$(dirname "$0")/.."
# Classpath from the same reactor build: the jars just built, not an older install in ~/.m2.
./mvnw -q -B -pl nn-bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt >&2
cp=$(cat nn-bench/target/classpath.txt):nn-bench/target/classes
exec java -cp "$cp" org.openjdk.jmh.Main "$@"
