#!/usr/bin/env bash
# Runs nn-spark as `spark-submit --master local[N]` would, without a Spark distribution: Spark's
# own jars from Maven (nn-spark's provided dependencies), the JVM options Spark's launcher passes
# on Java 17, and the Vector API for nnkit's kernels.
#   nn-spark/spark-local.sh N CLASSPATH MAIN-CLASS [ARGS...]
# CLASSPATH holds nnkit (the -all jar, or classes); Spark's jars are added.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
threads=$1
classpath=$2
shift 2
spark_cp="$root/nn-spark/target/spark-classpath.txt"
if [ ! -s "$spark_cp" ]; then
  # Spark's jars: the provided dependencies, without those nnkit brings itself (in the -all jar).
  (cd "$root" && ./mvnw -B -q dependency:build-classpath -pl nn-spark -DincludeScope=provided \
      -Dmdep.outputFile=target/provided-and-compile.txt \
    && ./mvnw -B -q dependency:build-classpath -pl nn-spark -DincludeScope=runtime \
      -Dmdep.outputFile=target/runtime.txt)
  comm -23 <(tr ':' '\n' < "$root/nn-spark/target/provided-and-compile.txt" | sort) \
    <(tr ':' '\n' < "$root/nn-spark/target/runtime.txt" | sort) | paste -sd: > "$spark_cp"
fi
read -r -a extra <<< "${NN_SPARK_JAVA_OPTS:-}"
opens=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
exec java "${opens[@]}" -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true \
  --add-modules jdk.incubator.vector -Dspark.master="local[$threads]" "${extra[@]}" \
  -cp "$classpath:$(cat "$spark_cp")" "$@"
