#!/usr/bin/python3
"""What PyTorch draws when it creates nn.Linear and nn.Conv2d (Debian's python3-torch).

Run:  /usr/bin/python3 generate_init_golden.py > init.json

For each layer: the largest |weight| and |bias| and the standard deviations, over one freshly
created layer (seed 0). With 10^5 or more values the largest is within a few 1e-5 of the bound of
the uniform distribution PyTorch samples from, which nnkit's torch-default must share.
"""
import json
import sys

import torch

torch.manual_seed(0)
LAYERS = [
    ("dense", {"in": 784, "units": 256}, lambda: torch.nn.Linear(784, 256)),
    ("dense", {"in": 10, "units": 100000}, lambda: torch.nn.Linear(10, 100000)),
    ("conv2d", {"channels": 16, "filters": 512, "kernel": 3, "groups": 1}, lambda: torch.nn.Conv2d(16, 512, 3)),
    ("conv2d", {"channels": 8, "filters": 4096, "kernel": 5, "groups": 2},
     lambda: torch.nn.Conv2d(8, 4096, 5, groups=2)),
]


def describe(kind, sizes, make):
    layer = make()
    w, b = layer.weight.detach().double(), layer.bias.detach().double()
    return {"layer": kind, "sizes": sizes, "weights": w.numel(), "biases": b.numel(),
            "maxAbsWeight": w.abs().max().item(), "maxAbsBias": b.abs().max().item(),
            "stdWeight": w.std().item(), "stdBias": b.std().item()}


json.dump({"torch_version": torch.__version__, "layers": [describe(*l) for l in LAYERS]}, sys.stdout, indent=1)
print()
