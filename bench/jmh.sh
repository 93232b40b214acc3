#!/usr/bin/env bash
# Runs nnkit's JMH benchmarks: bench/jmh.sh [JMH options], e.g.
#   bench/jmh.sh MatmulBenchmark            bench/jmh.sh TrainingStepBenchmark -prof gc
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl nn-bench -am package -DskipTests >&2
cp=$(./mvnw -q -B -pl nn-bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout):nn-bench/target/classes
exec java -cp "$cp" org.openjdk.jmh.Main "$@"
