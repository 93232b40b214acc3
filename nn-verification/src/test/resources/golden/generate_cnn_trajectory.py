#!/usr/bin/python3
"""A 20-step Adam trajectory of a small CNN, computed by PyTorch in float64, for nnkit's golden test.

Run:  /usr/bin/python3 generate_cnn_trajectory.py > cnn-trajectory.json

conv2d → batch-norm → relu → max-pool2d → conv2d → relu → avg-pool2d → flatten → dense → dropout
(p = 0, so the masks are comparable) → dense, trained on one fixed batch of 6 images 2×8×8 with
softmax cross-entropy (class-index targets) and Adam (lr 0.01). Recorded: the initial parameters and
buffers (state_dict names), the batch, the loss of every step, and the parameters and buffers after
steps 1, 10 and 20.
"""
import json

import torch
import torch.nn as nn

torch.manual_seed(20)
D = torch.float64
stages = [
    {"type": "conv2d", "filters": 4, "kernel": 3, "padding": 1},
    {"type": "batch-norm", "momentum": 0.2},
    {"type": "relu"},
    {"type": "max-pool2d", "kernel": 2},
    {"type": "conv2d", "filters": 6, "kernel": 3, "groups": 2},
    {"type": "relu"},
    {"type": "avg-pool2d", "kernel": 2},
    {"type": "flatten"},
    {"type": "dense", "units": 5},
    {"type": "dropout", "p": 0.0},
    {"type": "dense", "units": 3},
]
model = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.BatchNorm2d(4, momentum=0.2), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(4, 6, 3, groups=2), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(), nn.Linear(6, 5),
                      nn.Dropout(0.0), nn.Linear(5, 3)).to(D)
x = torch.randn(6, 2, 8, 8, dtype=D)
y = torch.tensor([0, 1, 2, 2, 1, 0])


def state():
    return {k: [float(v) for v in t.reshape(-1).tolist()] for k, t in model.state_dict().items()}


out = {"torch": torch.__version__, "stages": stages, "inputShape": [2, 8, 8], "learningRate": 0.01,
       "x": x.reshape(-1).tolist(), "y": y.tolist(), "initial": state(), "losses": [], "after": {}}
opt = torch.optim.Adam(model.parameters(), lr=0.01)
model.train()
for step in range(1, 21):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    out["losses"].append(loss.item())
    if step in (1, 10, 20):
        out["after"][str(step)] = state()
print(json.dumps(out, separators=(",", ":")))
