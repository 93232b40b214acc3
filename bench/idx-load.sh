#!/usr/bin/env bash
# Reading Fashion-MNIST's gzipped IDX files into float32 pixels scaled by 1/255, as `nn train` does
# before its first step (the training set, then the test set), in fresh processes:
#   bench/idx-load.sh [RUNS]      (default 9; medians)
# nnkit: dev.nnkit.bench.IdxLoad in a fresh JVM with the nn launcher's options, timed from main.
# PyTorch: bench/torch_train.py's reading (gzip, torch.frombuffer, .float() / 255) after `import
# torch`, with the peer's tuned malloc settings. Issue 17's target: nnkit ≤ 0.4 s.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
data=/usr/share/datasets/fashion-mnist
[ -r "$data/train-images-idx3-ubyte.gz" ] || { echo "idx-load.sh: install dataset-fashion-mnist first" >&2; exit 1; }
./mvnw -q -B -pl nn-bench -am package dependency:build-classpath -DskipTests -Dmaven.javadoc.skip=true \
  -Dmaven.source.skip=true -Dmdep.outputFile=target/classpath.txt >&2
cp=$(cat nn-bench/target/classpath.txt):nn-bench/target/classes
source bench/nn-jvm-options.sh # the nn launcher's JVM options
tuned="-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000 GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for _ in $(seq "$runs"); do # alternated
  # shellcheck disable=SC2086 # the options are words
  java $nn_jvm_options -cp "$cp" dev.nnkit.bench.IdxLoad "$data" 2> /dev/null >> "$work/nn.json"
  # shellcheck disable=SC2086 # the settings are words
  env $tuned /usr/bin/python3 - "$data" >> "$work/torch.json" << 'PY'
import json, sys, time
sys.path.insert(0, "bench")
from torch_bench import idx
d = sys.argv[1]
start = time.perf_counter()
x = idx(f"{d}/train-images-idx3-ubyte.gz").reshape(-1, 784).float() / 255
y = idx(f"{d}/train-labels-idx1-ubyte.gz").long()
trained = time.perf_counter()
vx = idx(f"{d}/t10k-images-idx3-ubyte.gz").reshape(-1, 784).float() / 255
vy = idx(f"{d}/t10k-labels-idx1-ubyte.gz").long()
tested = time.perf_counter()
print(json.dumps({"trainMs": 1000 * (trained - start), "testMs": 1000 * (tested - trained), "totalMs": 1000 * (tested - start)}))
PY
done
/usr/bin/python3 - "$work" << 'PY'
import json, statistics, sys
work = sys.argv[1]
med = {}
for side in ("nn", "torch"):
    runs = [json.loads(line) for line in open(f"{work}/{side}.json")]
    med[side] = {k: statistics.median(r[k] for r in runs) for k in ("trainMs", "testMs", "totalMs")}
    print(f"{side:6} training set {med[side]['trainMs']:6.0f} ms  test set {med[side]['testMs']:5.0f} ms  "
          f"both {med[side]['totalMs']:6.0f} ms  (median of {len(runs)}; runs {sorted(round(r['totalMs']) for r in runs)})")
print(f"nnkit reads them {med['torch']['totalMs'] / med['nn']['totalMs']:.2f}x as fast as PyTorch")
PY
