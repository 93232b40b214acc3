#!/usr/bin/python3
"""Golden loss values and gradients from torch.nn (Debian's python3-torch).

Run:  /usr/bin/python3 generate_loss_golden.py > losses.json

Each case evaluates one nnkit loss on a fixed batch of 4 samples in float64, reduced by the batch
mean, with PyTorch's own module where it has one (an explicit expression where it has none: the
seeds' half sum of squares, Keras-style hinge losses, cosine distance), and records the value and
the gradient with respect to the predictions.
"""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(11)
N, K = 4, 3


def rand(lo, hi):
    return (torch.rand(N, K, dtype=torch.float64) * (hi - lo) + lo)


def softmax_rows(x):
    return torch.softmax(x, dim=1)


REAL_P, REAL_Y = rand(-2, 2), rand(-2, 2)
PROB_P, BIN_Y = rand(0.05, 0.95), rand(0, 1)
LOGITS = rand(-3, 3)
SOFT_P, SOFT_Y = softmax_rows(rand(-2, 2)), softmax_rows(rand(-2, 2))
ONE_HOT = torch.eye(K, dtype=torch.float64)[torch.tensor([0, 2, 1, 2])]
INDEX = torch.tensor([[0.0], [2.0], [1.0], [2.0]], dtype=torch.float64)
PM1 = torch.tensor([[1, -1, 1], [-1, -1, 1], [1, 1, -1], [-1, 1, 1]], dtype=torch.float64)
COUNTS = torch.tensor([[0, 1, 3], [2, 0, 5], [1, 1, 0], [4, 2, 1]], dtype=torch.float64)
RATES = rand(0.2, 4)

CASES = [
    ("mse", {}, REAL_P, REAL_Y, lambda p, y: nn.MSELoss()(p, y)),
    ("mae", {}, REAL_P, REAL_Y, lambda p, y: nn.L1Loss()(p, y)),
    ("huber", {}, REAL_P, REAL_Y, lambda p, y: nn.HuberLoss(delta=1.0)(p, y)),
    ("huber", {"delta": 0.5}, REAL_P, REAL_Y, lambda p, y: nn.HuberLoss(delta=0.5)(p, y)),
    ("smooth-l1", {}, REAL_P, REAL_Y, lambda p, y: nn.SmoothL1Loss(beta=1.0)(p, y)),
    ("smooth-l1", {"beta": 0.5}, REAL_P, REAL_Y, lambda p, y: nn.SmoothL1Loss(beta=0.5)(p, y)),
    ("half-sse", {}, REAL_P, REAL_Y, lambda p, y: (0.5 * ((y - p) ** 2).sum(dim=1)).mean()),
    ("binary-cross-entropy", {}, PROB_P, BIN_Y, lambda p, y: nn.BCELoss()(p, y)),
    ("binary-cross-entropy-logits", {}, LOGITS, BIN_Y, lambda p, y: nn.BCEWithLogitsLoss()(p, y)),
    ("categorical-cross-entropy", {}, SOFT_P, SOFT_Y, lambda p, y: (-(y * torch.log(p)).sum(dim=1)).mean()),
    ("categorical-cross-entropy-logits", {}, LOGITS, SOFT_Y, lambda p, y: nn.CrossEntropyLoss()(p, y)),
    ("categorical-cross-entropy-logits", {}, LOGITS, ONE_HOT, lambda p, y: nn.CrossEntropyLoss()(p, y)),
    ("sparse-categorical-cross-entropy", {}, SOFT_P, INDEX,
     lambda p, y: nn.NLLLoss()(torch.log(p), y[:, 0].long())),
    ("sparse-categorical-cross-entropy-logits", {}, LOGITS, INDEX,
     lambda p, y: nn.CrossEntropyLoss()(p, y[:, 0].long())),
    ("hinge", {}, REAL_P, PM1, lambda p, y: torch.clamp(1 - y * p, min=0).mean()),
    ("squared-hinge", {}, REAL_P, PM1, lambda p, y: (torch.clamp(1 - y * p, min=0) ** 2).mean()),
    ("kl-divergence", {}, SOFT_P, SOFT_Y, lambda p, y: nn.KLDivLoss(reduction="batchmean")(torch.log(p), y)),
    ("poisson", {}, REAL_P, COUNTS, lambda p, y: nn.PoissonNLLLoss()(p, y)),
    ("poisson", {"logInput": False, "full": True}, RATES, COUNTS,
     lambda p, y: nn.PoissonNLLLoss(log_input=False, full=True)(p, y)),
    ("cosine-distance", {}, REAL_P, REAL_Y, lambda p, y: (1 - F.cosine_similarity(p, y, dim=1)).mean()),
]


def case(loss, config, p, y, fn):
    p = p.clone().requires_grad_(True)
    value = fn(p, y)
    value.backward()
    return {"loss": loss, "config": config, "prediction": p.detach().tolist(), "target": y.tolist(),
            "value": float(value), "gradient": p.grad.tolist()}


json.dump({"torch_version": torch.__version__, "cases": [case(*c) for c in CASES]}, sys.stdout, indent=1)
print()
