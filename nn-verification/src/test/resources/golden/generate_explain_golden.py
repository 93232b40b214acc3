#!/usr/bin/python3
"""PyTorch's numbers for the convolutional explanations in docs/explain (conv2d, pooling-dropout,
batch-norm), and the weights those docs start from.

Run from the repository root:
    /usr/bin/python3 nn-verification/src/test/resources/golden/generate_explain_golden.py

Writes docs/explain/<case>.safetensors (weights drawn once by PyTorch and rounded to 2 decimals so
the written-out sums stay readable; batch norm's buffers in PyTorch's own dtypes, num_batches_tracked
as I64) and nn-verification/src/test/resources/golden/explain-cnn.json: per case the batch, the
targets, and in float64 every stage's output, the gradient each stage passes back, every
parameter's gradient, the loss, the parameters after one SGD step (lr 0.1), the buffers after the
step, and the loss after it. Dropout's mask is nnkit's own (drawn from the stage's seeded stream,
recorded here as an input like the weights; ExplainCnnTest checks nnkit still draws it).
"""
import json
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
from torch_interop import write_safetensors  # noqa: E402  (the interop tests' writer: I64 counts as PyTorch saves them)

torch.manual_seed(7)
DTYPE = torch.float64
ROOT = os.getcwd()

IMAGE_A = [0.1, 0.5, -0.3, 0.8, 0.2, -0.6, 0.4, 0.9, -0.1, 0.3, 0.7, -0.5, 0.6, -0.2, 0.0, 0.4]
IMAGE_B = [0.9, -0.4, 0.2, 0.0, 0.5, 0.1, -0.7, 0.3, 0.2, 0.6, -0.2, 0.8, -0.3, 0.4, 0.1, -0.5]
IMAGE_C = [0.0, 0.3, 0.6, -0.1, -0.4, 0.7, 0.2, 0.5, 0.8, -0.2, 0.1, 0.4, 0.3, 0.0, -0.6, 0.2]


class Mask(nn.Module):
    """Training-mode dropout with a given mask of 0 and 1/(1 − p)."""

    def __init__(self, mask):
        super().__init__()
        self.mask = torch.tensor(mask, dtype=DTYPE)

    def forward(self, x):
        return x * self.mask.reshape(x.shape)


CASES = {
    "conv2d": {
        "modules": lambda: [nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 3)],
        "inputs": [IMAGE_A], "targets": [2],
    },
    "pooling-dropout": {
        "modules": lambda: [nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                            Mask([0.0, 2.0, 0.0, 2.0, 2.0, 2.0, 0.0, 0.0]), nn.AvgPool2d(2), nn.Flatten(),
                            nn.Linear(2, 3)],
        "inputs": [IMAGE_A], "targets": [1], "mask": [0.0, 2.0, 0.0, 2.0, 2.0, 2.0, 0.0, 0.0],
    },
    "batch-norm": {
        "modules": lambda: [nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(8, 3)],
        "inputs": [IMAGE_A, IMAGE_B, IMAGE_C], "targets": [0, 2, 1],
    },
}


def flat(t):
    return t.detach().reshape(-1).tolist()


def run(case):
    model = nn.Sequential(*case["modules"]()).to(DTYPE)
    with torch.no_grad():
        for m in model:
            if isinstance(m, nn.BatchNorm2d):  # γ and β away from 1 and 0, so the doc shows them at work
                m.weight.copy_(torch.tensor([1.2, 0.8]))
                m.bias.copy_(torch.tensor([0.1, -0.2]))
        for p in model.parameters():
            p.copy_(torch.round(p * 100) / 100)
    weights = {k: v.clone() for k, v in model.state_dict().items()}
    model.train()
    x = torch.tensor(case["inputs"], dtype=DTYPE).reshape(-1, 1, 4, 4)
    y = torch.tensor(case["targets"])
    outs, a = [], x
    for m in model:
        a = m(a)
        a.retain_grad()
        outs.append(a)
    loss = nn.functional.cross_entropy(a, y)
    loss.backward()
    buffers = {k: flat(v) for k, v in model.state_dict().items() if "running" in k or "num_batches" in k}
    grads = {k: flat(p.grad) for k, p in model.named_parameters()}
    with torch.no_grad():
        for p in model.parameters():
            p -= 0.1 * p.grad
    after = {k: flat(p) for k, p in model.named_parameters()}
    loss_after = nn.functional.cross_entropy(model(x), y).item() if "mask" not in case else None
    return weights, {
        "inputs": case["inputs"], "targets": case["targets"], "mask": case.get("mask"),
        "stage_outputs": [flat(o) for o in outs],
        "stage_input_gradients": [[]] + [flat(o.grad) for o in outs[:-1]],
        "loss": loss.item(), "gradients": grads, "after_sgd": after, "buffers_after": buffers, "loss_after": loss_after,
    }


golden = {}
for name, case in CASES.items():
    weights, golden[name] = run(case)
    write_safetensors(os.path.join(ROOT, "docs/explain", name + ".safetensors"), weights)
with open(os.path.join(ROOT, "nn-verification/src/test/resources/golden/explain-cnn.json"), "w") as f:
    json.dump(golden, f, indent=1)
print("wrote", ", ".join(golden), file=sys.stderr)
