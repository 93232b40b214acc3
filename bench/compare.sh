#!/usr/bin/env bash
# nnkit and PyTorch side by side on this machine, in one run (see docs/performance.md):
#   bench/compare.sh [EPOCHS]     (default 5; needs python3-torch and dataset-fashion-mnist)
# PyTorch runs in every setup that could be its best and the fastest is the reference for each
# figure: {2 threads, 2 threads with OMP_WAIT_POLICY=PASSIVE, 1 thread} x {the environment as
# given, "tuned"}. Tuned unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (this machine pins OpenBLAS
# to its Haswell kernels; a user's machine picks its own, here AVX-512) and raises glibc's
# MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_, so freed memory is not handed back to the kernel
# and faulted in again every step, and has glibc's malloc ask for transparent huge pages
# (glibc.malloc.hugetlb=1, as nnkit's heap gets them from -XX:+UseTransparentHugePages). Only the peer's commands get these settings. The OpenBLAS kernel
# each setup runs (threadpoolctl) is printed. Prints medians and nnkit/PyTorch ratios. Then the
# Fashion-MNIST CNN the same way (bench/cnn.sh, about 9 minutes more; NN_COMPARE_SKIP_CNN=1 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-5}
data=/usr/share/datasets/fashion-mnist
# The classpath comes from the same reactor build, so it names the jars just built (a separate
# build-classpath run would resolve nnkit's modules from ~/.m2, possibly an older install).
./mvnw -q -B -pl nn-bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt >&2
cp=$(cat nn-bench/target/classpath.txt):nn-bench/target/classes
# nnkit runs as ./nn runs it (its JVM options: the Vector API kernels, the serial collector); the
# portable loops (stock JDK, no flags) are measured too, for the matrix products.
source bench/nn-jvm-options.sh # the nn launcher's JVM options
nn_cmd=(java $nn_jvm_options -cp "$cp" dev.nnkit.bench.SideBySide)
nn() { "${nn_cmd[@]}" "$@" 2> >(grep -v '^WARNING: Using incubator' >&2); }
nn_portable() { java -Dnnkit.kernels=portable -cp "$cp" dev.nnkit.bench.SideBySide "$@"; }
# Peak resident memory of the whole process, the same way for both (GNU time, package "time").
peak() { local file=$1; shift; /usr/bin/time -f %M -o "$file" "$@"; }
tuned="-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000 GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
# name|threads|arguments of env
# (torch.set_num_threads does not reach Debian's OpenBLAS, whose own threads stay at one per core
# unless OPENBLAS_NUM_THREADS says otherwise: the 1-thread setups run both ways.)
torch_setups=("2|2|" "2-passive|2|OMP_WAIT_POLICY=PASSIVE" "1|1|" "1-openblas1|1|OPENBLAS_NUM_THREADS=1"
              "2-tuned|2|$tuned" "2-passive-tuned|2|$tuned OMP_WAIT_POLICY=PASSIVE" "1-tuned|1|$tuned"
              "1-openblas1-tuned|1|$tuned OPENBLAS_NUM_THREADS=1")
setup_name() { echo "${1%%|*}"; }
setup_threads() { local rest=${1#*|}; echo "${rest%%|*}"; }
setup_env() { local rest=${1#*|}; echo "${rest#*|}"; }
torch() { local threads=$1 env=$2; shift 2; env $env /usr/bin/python3 bench/torch_bench.py "$threads" "$@"; }
source bench/peer-blas.sh
require_optimised_blas compare.sh
out=$(mktemp -d)
nn_portable matmul > "$out/portable-matmul.jsonl"
nn matmul > "$out/nn-matmul.jsonl"
# One JVM per tiny batch size, as a training run has one: code the JIT compiled while batch 1
# ran stays in use at batch 32 and is about 20% slower there (1.95 instead of 1.6 µs, measured).
for batch in 1 32; do nn tiny "$batch"; done > "$out/nn-tiny.jsonl"
# nn train as a user runs it: seed 000's network at batch 32 on 512 XOR-like rows, 3,000 epochs
# (48,000 steps, metrics after every epoch), timed with its JVM's start and warm-up, with its young
# collections counted. A kernel running boxed in a real run shows here (dozens of collections);
# the step benchmarks above once missed one (docs/performance.md).
./nn --version > /dev/null 2>&1 # builds the command line first if the sources changed
tiny_run=$(mktemp -d)
cp bench/tiny-cli.json "$tiny_run/"
/usr/bin/python3 -c '
import random
random.seed(1)
print("x1,x2,label")
for _ in range(512):
    a, b = random.uniform(-1, 1), random.uniform(-1, 1)
    print(f"{a:.4f},{b:.4f},{int((a > 0) != (b > 0))}")' > "$tiny_run/data.csv"
NN_JAVA_OPTS="-Xlog:gc:file=$tiny_run/gc.log" /usr/bin/time -f %e -o "$tiny_run/seconds" \
  ./nn train --config "$tiny_run/tiny-cli.json" --out "$tiny_run/out" > "$tiny_run/train.txt" 2>&1
printf '{"what": "tiny-cli", "seconds": %s, "youngCollections": %d}\n' "$(tail -1 "$tiny_run/seconds")" \
  "$(grep -c 'Pause Young' "$tiny_run/gc.log")" > "$out/nn-tiny-cli.jsonl"
nn single > "$out/nn-single.jsonl"
for what in matmul tiny single; do
  for s in "${torch_setups[@]}"; do
    torch "$(setup_threads "$s")" "$(setup_env "$s")" "$what" > "$out/torch-$what-$(setup_name "$s").jsonl"
  done
done
# The training sweep (batch 1-2048, wider and deeper networks, float64) against PyTorch's tuned
# setups (the ones that won every row above when this was written).
nn sweep > "$out/nn-sweep.jsonl"
for s in "${torch_setups[@]}"; do
  case "$(setup_name "$s")" in *tuned) torch "$(setup_threads "$s")" "$(setup_env "$s")" sweep \
    > "$out/sweep-torch-$(setup_name "$s").jsonl" ;; esac
done
peak "$out/rss-nn" "${nn_cmd[@]}" fashion "$data" "$epochs" > "$out/nn-fashion.jsonl"
# What a library user on a stock JDK (no flags) gets for the same training run.
nn_portable fashion "$data" "$epochs" > "$out/portable-fashion.jsonl"
for s in "${torch_setups[@]}"; do
  peak "$out/rss-torch-$(setup_name "$s")" env $(setup_env "$s") /usr/bin/python3 bench/torch_bench.py \
    "$(setup_threads "$s")" fashion "$data" "$epochs" > "$out/torch-fashion-$(setup_name "$s").jsonl"
done
/usr/bin/python3 - "$out" "$epochs" <<'PY'
import glob, json, sys
d = sys.argv[1]
def load(pattern):
    rows = []
    for f in sorted(glob.glob(f"{d}/{pattern}")):
        rows += [dict(json.loads(l), setup=f.split('/')[-1]) for l in open(f)]
    return rows
nn = {(r["what"], r.get("shape"), r.get("batch")): r for r in load("nn-*.jsonl")}
torch = load("torch-*.jsonl")
for r in torch:
    if r["what"] == "blas":
        print(f"PyTorch setup {r['setup'].removeprefix('torch-matmul-').removesuffix('.jsonl'):16} BLAS: {r['kernel']}")
torch = [r for r in torch if r["what"] != "blas"]
def best(key, field, higher):
    cands = [r for r in torch if (r["what"], r.get("shape"), r.get("batch")) == key]
    return (max if higher else min)(cands, key=lambda r: r[field])
print(f"{'measurement':42} {'nnkit':>12} {'PyTorch best':>14} {'ratio':>8}  (PyTorch setup)")
def row(name, key, field, higher, unit):
    if key not in nn: return
    b = best(key, field, higher)
    ratio = nn[key][field] / b[field] if higher else b[field] / nn[key][field]
    print(f"{name:42} {nn[key][field]:>10.4g}{unit} {b[field]:>12.4g}{unit} {ratio:>7.2f}x  ({b['setup']})")
portable = {r["shape"]: r for r in load("portable-matmul.jsonl")}
portable_fashion = load("portable-fashion.jsonl")
def portable_row(field, higher):
    if not portable_fashion: return
    v, b = portable_fashion[0][field], best(("fashion", None, None), field, higher)[field]
    print(f"{'  the same, portable loops (stock JDK)':42} {v:>10.4g} {b:>12.4g} {(v / b if higher else b / v):>7.2f}x")
for shape in ("128x784x256", "128x256x128", "128x2048x2048", "1024x1024x1024", "2048x2048x2048"):
    row(f"matmul {shape} GFLOP/s", ("matmul", shape, None), "gflops", True, "")
    if shape in portable:
        b = best(("matmul", shape, None), "gflops", True)
        print(f"{'  the same, portable loops (stock JDK)':42} {portable[shape]['gflops']:>10.4g} {b['gflops']:>12.4g} "
              f"{portable[shape]['gflops'] / b['gflops']:>7.2f}x")
m2048 = [r for r in torch if r.get("shape") == "2048x2048x2048"]
numpy = {r["batch"]: r for r in torch if r["what"] == "tiny-numpy"}
torch = [r for r in torch if r["what"] != "tiny-numpy"]
for b in (1, 32):
    row(f"tiny 2-4-3-1 step, batch {b} (µs, lower=better)", ("tiny", None, b), "microsecondsPerStep", False, "")
    if b in numpy and ("tiny", None, b) in nn:
        fastest = min(r["microsecondsPerStep"] for r in load("torch-tiny-*.jsonl") if r["what"] == "tiny-numpy" and r["batch"] == b)
        us = nn[("tiny", None, b)]["microsecondsPerStep"]
        print(f"{'  vs hand-written numpy':42} {us:>10.4g} {fastest:>12.4g} {fastest / us:>7.2f}x")
c = nn.get(("tiny-cli", None, None))
if c:
    print(f"nn train, tiny 2-4-3-1 at batch 32, 48,000 steps with per-epoch metrics (nnkit only): "
          f"{c['seconds']:.2f} s wall including JVM start, {c['youngCollections']} young collections")
sweep_nn = {r["case"]: r["samplesPerSecond"] for r in load("nn-sweep.jsonl")}
sweep_torch = load("sweep-torch-*.jsonl")
for case, v in sweep_nn.items():
    b = max((r for r in sweep_torch if r["case"] == case), key=lambda r: r["samplesPerSecond"], default=None)
    if b:
        print(f"{'training ' + case + ' samples/s':42} {v:>10.4g} {b['samplesPerSecond']:>12.4g} "
              f"{v / b['samplesPerSecond']:>7.2f}x  ({b['setup']})")
row("Fashion-MNIST epoch seconds (lower=better)", ("fashion", None, None), "epochSeconds", False, "")
portable_row("epochSeconds", False)
row("inference images/s", ("fashion", None, None), "inferenceImagesPerSecond", True, "")
portable_row("inferenceImagesPerSecond", True)
row("one prediction, 784-256-128-10 (µs, lower=better)", ("single", None, None), "microsecondsPerSample", False, "")
f = nn.get(("fashion", None, None))
if f:
    # Work done per sample: forward and weight gradient of every layer, input gradient of all but
    # the first (the engine never computes the gradient of the input images).
    layers = 784 * 256 + 256 * 128 + 128 * 10
    flops = 2 * (2 * layers + (layers - 784 * 256)) * 60000
    best2048 = max(r["gflops"] for r in m2048) if m2048 else float("nan")
    print(f"nnkit end-to-end training: {flops / f['epochSeconds'] / 1e9:.1f} GFLOP/s = "
          f"{flops / f['epochSeconds'] / 1e9 / best2048:.0%} of PyTorch's 2048³ matmul ({best2048:.0f} GFLOP/s)")
    rss = {f.split('/')[-1]: int(open(f).read().split()[-1]) / 1024 for f in glob.glob(f"{d}/rss-*")}
    setup = best(('fashion', None, None), 'epochSeconds', False)['setup'].replace('torch-fashion-', 'rss-torch-').replace('.jsonl', '')
    if 'rss-nn' in rss and setup in rss:
        print(f"peak resident memory, Fashion-MNIST run: nnkit {rss['rss-nn']:.0f} MB, PyTorch (fastest setup) "
              f"{rss[setup]:.0f} MB, all setups {sorted(round(v) for k, v in rss.items() if k != 'rss-nn')} MB")
    tb = best(('fashion', None, None), 'epochSeconds', False)
    print(f"test accuracy after {sys.argv[2]} epochs, mean of {len(f['testAccuracies'])} seeds (same initialisation): "
          f"nnkit {f['testAccuracy']:.4f} {f['testAccuracies']}, PyTorch {tb['testAccuracy']:.4f} "
          f"{[round(a, 4) for a in tb['testAccuracies']]}: {100 * (f['testAccuracy'] - tb['testAccuracy']):+.2f} points")
PY
if [ "${NN_COMPARE_SKIP_CNN:-0}" != 1 ]; then
  echo
  bench/cnn.sh
fi
