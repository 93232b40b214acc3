#!/usr/bin/env bash
# Training while another process keeps one core busy (issue 17, target 5):
#   bench/busy-core.sh [ROUNDS]     (default 3; needs python3-torch and dataset-fashion-mnist)
# The Fashion-MNIST MLP at batch 128 (SideBySide fashion / torch_bench.py fashion, 3 epochs, one
# seed), quiet and with a busy loop in another process, alternated. PyTorch runs tuned as in
# compare.sh, with 1 thread (OpenBLAS's own threads left at 2, and set to 1) and 2 threads with
# OMP_WAIT_POLICY=PASSIVE (2 threads waiting actively were never its best, quiet or busy: 2.2-3.1 s
# an epoch against 0.7-1.1); its fastest is the reference under each load. Prints median epoch times, each side's slowdown under load,
# and nnkit's ratio to PyTorch quiet and busy: the target is that the ratio falls no more than
# PyTorch's own speed does.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/peer-blas.sh
require_optimised_blas busy-core.sh
rounds=${1:-3}
data=/usr/share/datasets/fashion-mnist
./mvnw -q -B -pl nn-bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt >&2
cp=$(cat nn-bench/target/classpath.txt):nn-bench/target/classes
source bench/nn-jvm-options.sh # the nn launcher's JVM options
tuned="-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000 GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
out=$(mktemp -d)
load=
trap '[ -n "$load" ] && kill "$load" 2>/dev/null; rm -rf "$out"' EXIT
for r in $(seq "$rounds"); do
  for state in quiet busy; do
    if [ "$state" = busy ]; then
      /usr/bin/python3 -c 'while True: pass' & load=$!
      sleep 1
    fi
    java $nn_jvm_options -cp "$cp" dev.nnkit.bench.SideBySide fashion "$data" 3 1 2>/dev/null \
      | sed "s/^/$state nnkit /" >> "$out/results"
    for setup in "1|" "1-openblas1|OPENBLAS_NUM_THREADS=1" "2-passive|OMP_WAIT_POLICY=PASSIVE"; do
      threads=${setup%%-*}; threads=${threads%%|*}
      env $tuned ${setup#*|} /usr/bin/python3 bench/torch_bench.py "$threads" fashion "$data" 3 1 \
        | sed "s/^/$state torch-${setup%%|*} /" >> "$out/results"
    done
    if [ -n "$load" ]; then kill "$load"; wait "$load" 2>/dev/null || true; load=; fi
  done
done
/usr/bin/python3 - "$out/results" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    state, side, record = line.split(" ", 2)
    runs.setdefault((state, side), []).append(json.loads(record)["epochSeconds"])
med = {k: statistics.median(v) for k, v in runs.items()}
for (state, side), seconds in sorted(med.items()):
    print(f"{state:5} {side:16} median epoch {seconds:.3f} s  ({len(runs[state, side])} runs)")
best = {s: min(v for (st, side), v in med.items() if st == s and side != "nnkit") for s in ("quiet", "busy")}
ratio = {s: best[s] / med[s, "nnkit"] for s in best}
print(f"nnkit slowed by {med['busy', 'nnkit'] / med['quiet', 'nnkit']:.2f}x under load; PyTorch's fastest setup by"
      f" {best['busy'] / best['quiet']:.2f}x")
print(f"nnkit / PyTorch at its best: quiet {ratio['quiet']:.2f}x, busy {ratio['busy']:.2f}x")
PY
