#!/usr/bin/env bash
# The CNN example's convolutions alone, nnkit (JMH, Conv2dBenchmark) beside torch.nn.functional.conv2d
# (bench/torch_conv.py, in the tuned environment of compare.sh, 1 and 2 threads, the faster taken):
#   bench/conv.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/peer-blas.sh
require_optimised_blas conv.sh
out=$(mktemp -d)
bench/jmh.sh Conv2dBenchmark -rf json -rff "$out/jmh.json" > "$out/jmh.log"
tuned="-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000 GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
for threads in 1 2; do
  env $tuned /usr/bin/python3 bench/torch_conv.py "$threads" > "$out/torch-$threads.jsonl"
done
/usr/bin/python3 - "$out" <<'PY'
import json, sys
d = sys.argv[1]
nn = {(r["params"]["shape"], r["benchmark"].rsplit(".", 1)[1]): r["primaryMetric"]["score"] for r in json.load(open(f"{d}/jmh.json"))}
torch = {}
for t in (1, 2):
    for line in open(f"{d}/torch-{t}.jsonl"):
        r = json.loads(line)
        key = (r["shape"], r["what"])
        if key not in torch or r["microseconds"] < torch[key][0]:
            torch[key] = (r["microseconds"], t)
print(f"{'conv2d, batch 128, 3x3 pad 1':34} {'nnkit µs':>10} {'PyTorch µs':>11} {'ratio':>7}")
for key, us in sorted(nn.items()):
    t, threads = torch[key]
    print(f"{key[0] + ' ' + key[1]:34} {us:>10.0f} {t:>11.0f} {t / us:>6.2f}x  ({threads} thread{'s' if threads > 1 else ''})")
PY
