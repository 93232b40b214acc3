#!/usr/bin/env bash
# Sourced by the bench scripts that run PyTorch: the peer at its best. PyTorch's products go through
# Debian's libblas.so.3, which is the slow reference BLAS (about 6 GFLOP/s on a 1024³ product here,
# some 50 times slower) unless OpenBLAS is installed. A script stops, rather than compare against a
# crippled peer, unless threadpoolctl names an optimised BLAS (not the reference one, not "unknown").
require_optimised_blas() {
  if ! /usr/bin/python3 bench/torch_bench.py 1 blas | grep -Eq '"kernel": "(openblas|mkl|blis|flexiblas) '; then
    echo "$1: cannot confirm that PyTorch runs on an optimised BLAS (reference BLAS, or threadpoolctl" \
      "missing); install both first: apt-get install libopenblas0-pthread python3-threadpoolctl" >&2
    exit 1
  fi
}
