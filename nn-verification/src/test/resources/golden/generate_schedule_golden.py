#!/usr/bin/python3
"""Golden learning-rate schedules from torch.optim.lr_scheduler (Debian's python3-torch).

Run:  /usr/bin/python3 generate_schedule_golden.py > schedules.json

Each schedule drives an SGD optimizer with base learning rate 0.1 for 30 epochs, stepped once per
epoch (ReduceLROnPlateau with the fixed loss sequence below, or with the accuracy sequence and
mode="max" for a run whose monitor is an accuracy); the record is the rate each epoch used. In
nnkit the monitored sequence is the run's history of that score (validationLoss here gets LOSSES).
"""
import json
import sys

import torch
from torch.optim import lr_scheduler as S

EPOCHS = 30
BASE = 0.1
LOSSES = [1.0, 0.9, 0.85, 0.85, 0.86, 0.849, 0.8499, 0.85, 0.9, 0.84, 0.84, 0.84, 0.84, 0.7, 0.7,
          0.7, 0.71, 0.72, 0.69, 0.69, 0.69, 0.69, 0.69, 0.69, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]

# A validation accuracy for the runs that watch one (mode max).
ACCURACIES = [0.5, 0.6, 0.62, 0.62, 0.61, 0.63, 0.6299, 0.63, 0.64, 0.64, 0.64, 0.64, 0.7, 0.7, 0.7,
              0.69, 0.7, 0.71, 0.71, 0.71, 0.71, 0.71, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8]

RUNS = [
    ("constant", {}, lambda o: None),
    ("step", {"stepSize": 7}, lambda o: S.StepLR(o, step_size=7)),
    ("step", {"stepSize": 3, "gamma": 0.5}, lambda o: S.StepLR(o, step_size=3, gamma=0.5)),
    ("multi-step", {"milestones": [5, 12, 20]}, lambda o: S.MultiStepLR(o, milestones=[5, 12, 20])),
    ("multi-step", {"milestones": [2, 4], "gamma": 0.3}, lambda o: S.MultiStepLR(o, milestones=[2, 4], gamma=0.3)),
    ("exponential", {"gamma": 0.9}, lambda o: S.ExponentialLR(o, gamma=0.9)),
    ("cosine", {"tMax": 10}, lambda o: S.CosineAnnealingLR(o, T_max=10)),
    ("cosine", {"tMax": 8, "minLearningRate": 0.01}, lambda o: S.CosineAnnealingLR(o, T_max=8, eta_min=0.01)),
    ("linear-warmup", {}, lambda o: S.LinearLR(o)),
    ("linear-warmup", {"startFactor": 0.1, "endFactor": 0.5, "totalEpochs": 10},
     lambda o: S.LinearLR(o, start_factor=0.1, end_factor=0.5, total_iters=10)),
    ("reduce-on-plateau", {"patience": 2}, lambda o: S.ReduceLROnPlateau(o, patience=2)),
    ("reduce-on-plateau", {"factor": 0.5, "patience": 1, "threshold": 0.01, "cooldown": 2, "minLearningRate": 0.02},
     lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=1, threshold=0.01, cooldown=2, min_lr=0.02)),
    ("reduce-on-plateau", {"monitor": "validationAccuracy", "patience": 2},
     lambda o: S.ReduceLROnPlateau(o, mode="max", patience=2)),
    ("reduce-on-plateau", {"monitor": "validationAccuracy", "factor": 0.5, "patience": 1, "threshold": 0.01, "cooldown": 1},
     lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.5, patience=1, threshold=0.01, cooldown=1)),
    ("reduce-on-plateau", {"monitor": "validationLoss", "patience": 2}, lambda o: S.ReduceLROnPlateau(o, patience=2)),
]


def run(name, config, make):
    # A run that watches an accuracy is stepped with ACCURACIES, any other with LOSSES.
    values = ACCURACIES if config.get("monitor", "").endswith("Accuracy") else LOSSES
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=BASE)
    sched = make(opt)
    rates = []
    for epoch in range(EPOCHS):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()
        if isinstance(sched, S.ReduceLROnPlateau):
            sched.step(values[epoch])
        elif sched is not None:
            sched.step()
    return {"schedule": name, "config": config, "rates": rates}


json.dump({"torch_version": torch.__version__, "base": BASE, "losses": LOSSES, "accuracies": ACCURACIES,
           "runs": [run(*r) for r in RUNS]}, sys.stdout, indent=1)
print()
