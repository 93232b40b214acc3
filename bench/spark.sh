#!/usr/bin/env bash
# nn-spark's throughput on Spark local[PARTITIONS] against the local trainer, for the Fashion-MNIST
# MLP of examples/fashion-mnist.json (784-256-128-10, Adam, batch 128): epoch times (the first one
# warms up), samples/s, the ratio, and where a step's time goes.
#   bench/spark.sh [EPOCHS=3] [PARTITIONS=2] [AVERAGE_EVERY=0 (synchronous)]
# Needs the dataset-fashion-mnist package (apt-get install dataset-fashion-mnist).
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-3}
partitions=${2:-2}
every=${3:-0}
if [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  echo "bench/spark.sh: Fashion-MNIST is missing; apt-get install dataset-fashion-mnist" >&2
  exit 2
fi
./mvnw -B -q install -pl nn-spark -am -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
./mvnw -B -q test-compile dependency:build-classpath -pl nn-spark -Dmdep.outputFile=target/classpath.txt \
  -DincludeScope=test
NN_SPARK_JAVA_OPTS=-Xmx6g nn-spark/spark-local.sh "$partitions" \
  "nn-spark/target/test-classes:nn-spark/target/classes:$(cat nn-spark/target/classpath.txt)" \
  dev.nnkit.spark.SparkThroughput "$epochs" "$partitions" "$every" 2>&1 \
  | grep -v -e '^WARNING' -e '^[0-9][0-9]/' -e "^Using Spark"
