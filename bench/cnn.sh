#!/usr/bin/env bash
# The Fashion-MNIST CNN (examples/fashion-mnist-cnn.json) side by side with PyTorch:
#   bench/cnn.sh [EPOCHS]     (default 3; needs python3-torch and dataset-fashion-mnist)
# nnkit as ./nn runs it and with the portable loops (stock JDK, no flags); PyTorch in the setups
# that could be its best (see compare.sh for "tuned": only the peer's commands get it), the fastest
# being the reference. Prints the median epoch time, inference images/s, peak resident memory and
# the ratios; seed 1 on both sides, the same initialisation. The median of 3 epochs is a warm epoch
# on both sides; the first epochs (nnkit's includes 2-3 s of JIT compilation) are printed too.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/peer-blas.sh
require_optimised_blas cnn.sh
epochs=${1:-3}
data=/usr/share/datasets/fashion-mnist
./mvnw -q -B -pl nn-bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt >&2
cp=$(cat nn-bench/target/classpath.txt):nn-bench/target/classes
source bench/nn-jvm-options.sh # the nn launcher's JVM options
peak() { local file=$1; shift; /usr/bin/time -f %M -o "$file" "$@"; }
tuned="-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000 GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
out=$(mktemp -d)
peak "$out/rss-nn" java $nn_jvm_options -cp "$cp" dev.nnkit.bench.SideBySide cnn "$data" "$epochs" \
  2> >(grep -v '^WARNING: Using incubator' >&2) > "$out/nn.json"
java -Dnnkit.kernels=portable -cp "$cp" dev.nnkit.bench.SideBySide cnn "$data" "$epochs" > "$out/portable.json"
for setup in "2|" "2-tuned|$tuned" "2-passive-tuned|$tuned OMP_WAIT_POLICY=PASSIVE" "1-tuned|$tuned"; do
  name=${setup%%|*}; env_args=${setup#*|}
  threads=${name%%-*}
  peak "$out/rss-torch-$name" env $env_args /usr/bin/python3 bench/torch_bench.py "$threads" cnn "$data" "$epochs" \
    > "$out/torch-$name.json"
done
/usr/bin/python3 - "$out" <<'PY'
import glob, json, sys
d = sys.argv[1]
load = lambda f: json.load(open(f))
rss = lambda name: int(open(f"{d}/rss-{name}").read().split()[-1]) / 1024
nn, portable = load(f"{d}/nn.json"), load(f"{d}/portable.json")
torch = {f.split("torch-")[-1][:-5]: load(f) for f in glob.glob(f"{d}/torch-*.json")}
fast = min(torch, key=lambda k: torch[k]["epochSeconds"])
infer = max(torch, key=lambda k: torch[k]["inferenceImagesPerSecond"])
t = torch[fast]
print(f"{'CNN measurement':40} {'nnkit':>10} {'PyTorch best':>13} {'ratio':>7}")
print(f"{'epoch seconds (lower=better)':40} {nn['epochSeconds']:>10.2f} {t['epochSeconds']:>13.2f} "
      f"{t['epochSeconds'] / nn['epochSeconds']:>6.2f}x  ({fast})")
print(f"{'  portable loops (stock JDK)':40} {portable['epochSeconds']:>10.2f} {t['epochSeconds']:>13.2f} "
      f"{t['epochSeconds'] / portable['epochSeconds']:>6.2f}x")
ti = torch[infer]["inferenceImagesPerSecond"]
print(f"{'inference images/s':40} {nn['inferenceImagesPerSecond']:>10.0f} {ti:>13.0f} "
      f"{nn['inferenceImagesPerSecond'] / ti:>6.2f}x  ({infer})")
print(f"{'  portable loops (stock JDK)':40} {portable['inferenceImagesPerSecond']:>10.0f} {ti:>13.0f} "
      f"{portable['inferenceImagesPerSecond'] / ti:>6.2f}x")
print(f"{'peak resident memory, MB':40} {rss('nn'):>10.0f} {rss('torch-' + fast):>13.0f} "
      f"{rss('torch-' + fast) / rss('nn'):>6.2f}x  (all setups {sorted(round(rss('torch-' + k)) for k in torch)})")
print(f"{'first epoch seconds (JIT warm-up)':40} {nn['epochs'][0]:>10.2f} {t['epochs'][0]:>13.2f} "
      f"{t['epochs'][0] / nn['epochs'][0]:>6.2f}x")
print(f"test accuracy after the epochs: nnkit {nn['testAccuracy']:.4f}, PyTorch {t['testAccuracy']:.4f}")
print("PyTorch setups, epoch seconds:", {k: round(v["epochSeconds"], 2) for k, v in sorted(torch.items())})
PY
