#!/usr/bin/python3
"""PyTorch's side of Conv2dBenchmark: torch.nn.functional.conv2d at the CNN example's shapes, batch 128,
float32, 3×3, padding 1, behind a ReLU as in the JMH benchmark. Prints the median microseconds of
forward and of forward + backward (weight, bias and input gradients).

  torch_conv.py THREADS
"""
import json
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(int(sys.argv[1]))
torch.manual_seed(1)
for name, (c, size, f) in {"1x28x28-16": (1, 28, 16), "16x14x14-32": (16, 14, 32)}.items():
    x = torch.rand(128, c, size, size) * 2 - 1
    w = (torch.rand(f, c, 3, 3) * 2 - 1).requires_grad_(True)
    b = torch.zeros(f, requires_grad=True)
    delta = torch.rand(128, f, size, size) * 2 - 1

    def forward():
        with torch.no_grad():
            return F.conv2d(torch.relu(x), w, b, padding=1)

    def forward_backward():
        xi = x.clone().requires_grad_(True)
        F.conv2d(torch.relu(xi), w, b, padding=1).backward(delta)
        return xi.grad

    for what, fn in (("forward", forward), ("forwardBackward", forward_backward)):
        end = time.perf_counter() + 2  # warm-up, as JMH's
        while time.perf_counter() < end:
            fn()
        times = []
        for _ in range(50):
            s = time.perf_counter()
            fn()
            times.append(time.perf_counter() - s)
        times.sort()
        print(json.dumps({"shape": name, "what": what, "microseconds": times[len(times) // 2] * 1e6}))
