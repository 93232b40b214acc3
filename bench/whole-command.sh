#!/usr/bin/env bash
# The whole command a user runs, timed from start to exit with its peak resident memory (GNU time):
#   ./nn train --config examples/fashion-mnist.json --out DIR --quiet
# against bench/torch_train.py, PyTorch doing the same steps in one script. Runs alternate
# (nnkit, then each PyTorch setup) ROUNDS times (default 3); prints each side's median wall time
# and peak RSS, and the ratios against PyTorch's fastest setup and its leanest. PyTorch runs with 1
# and 2 threads "tuned" as in compare.sh (OpenBLAS unpinned, glibc keeping freed memory and asking for huge pages, which
# costs memory), with 1 thread tuned and OPENBLAS_NUM_THREADS=1, and with 1 thread in the
# environment as given: only the peer's command gets these settings. Needs python3-torch and dataset-fashion-mnist.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/peer-blas.sh
require_optimised_blas whole-command.sh
rounds=${1:-3}
data=/usr/share/datasets/fashion-mnist
tuned="-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000 GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
./nn --version > /dev/null 2>&1 # builds the command line first if the sources changed
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for r in $(seq "$rounds"); do
  /usr/bin/time -f "%e %M" -o "$work/nn-$r" ./nn train --config examples/fashion-mnist.json --out "$work/nn-run-$r" \
    --quiet > "$work/nn-out-$r" 2>&1
  for threads in 1 2; do
    /usr/bin/time -f "%e %M" -o "$work/torch$threads-$r" env $tuned /usr/bin/python3 bench/torch_train.py "$threads" \
      "$data" "$work/torch-run-$threads-$r" > "$work/torch$threads-out-$r" 2>&1
  done
  # torch.set_num_threads does not reach Debian's OpenBLAS, which keeps a thread per core unless told
  /usr/bin/time -f "%e %M" -o "$work/torch1-openblas1-$r" env $tuned OPENBLAS_NUM_THREADS=1 /usr/bin/python3 \
    bench/torch_train.py 1 "$data" "$work/torch-run-openblas1-$r" > "$work/torch1-openblas1-out-$r" 2>&1
  /usr/bin/time -f "%e %M" -o "$work/torch1-as-given-$r" /usr/bin/python3 bench/torch_train.py 1 "$data" \
    "$work/torch-run-plain-$r" > "$work/torch1-as-given-out-$r" 2>&1
done
/usr/bin/python3 - "$work" "$rounds" <<'PY'
import statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def runs(name):
    return [tuple(map(float, open(f"{work}/{name}-{r}").read().split()[-2:])) for r in range(1, rounds + 1)]
peers = ("torch1", "torch2", "torch1-openblas1", "torch1-as-given")
sides = {name: runs(name) for name in ("nn",) + peers}
med = {name: (statistics.median(s for s, _ in v), statistics.median(m / 1024 for _, m in v)) for name, v in sides.items()}
for name, (s, mb) in med.items():
    print(f"{name:15} wall {s:6.2f} s (runs {[v[0] for v in sides[name]]})  peak RSS {mb:6.0f} MB")
best = min(peers, key=lambda n: med[n][0])
lean = min(peers, key=lambda n: med[n][1])
print(f"nnkit vs PyTorch's fastest setup ({best}): {med[best][0] / med['nn'][0]:.2f}x the speed; "
      f"peak memory {med['nn'][1] / med[lean][1]:.2f}x PyTorch's leanest setup ({lean})")
PY
grep -h "validation" "$work"/nn-out-1 "$work"/torch1-out-1 || true
