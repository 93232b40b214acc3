#!/usr/bin/python3
"""Golden optimizer trajectories from torch.optim (Debian's python3-torch).

Run:  /usr/bin/python3 generate_optimizer_golden.py > optimizers.json

Each run minimizes the same fixed problem for 25 steps in float64 and records the parameters after
every step. The problem is a 6-dimensional Rosenbrock-style valley,
    f(θ) = Σ_{i<5} (1 − θ_i)² + 10 (θ_{i+1} − θ_i²)²,
whose gradient is written out below and set as p.grad, so the test compares optimizer arithmetic
only (nnkit's test computes the same gradient expression).
"""
import json
import sys

import torch
import torch.optim.nadam  # noqa: F401 (loads the module patched below)

# Scalar optimizer state (NAdam's mu_product, the step counters) is created with the default dtype;
# float64 throughout, so nothing is rounded to float32 behind the optimizer's back.
torch.set_default_dtype(torch.float64)
# torch.optim deletes its submodule names, so reach the NAdam module through sys.modules.
NADAM = sys.modules["torch.optim.nadam"]

STEPS = 25
THETA0 = [-1.2, 1.0, 0.3, -0.5, 0.8, 0.1]


def grad(t):
    n = len(t)
    g = [0.0] * n
    for i in range(n):
        v = 0.0
        if i < n - 1:
            v += -2.0 * (1.0 - t[i]) - 40.0 * t[i] * (t[i + 1] - t[i] * t[i])
        if i > 0:
            v += 20.0 * (t[i] - t[i - 1] * t[i - 1])
        g[i] = v
    return g


KEYS = {"learningRate": "lr", "weightDecay": "weight_decay", "epsilon": "eps", "learningRateDecay": "lr_decay",
        "initialAccumulator": "initial_accumulator_value", "momentumDecay": "momentum_decay"}
CLASSES = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
           "adamax": torch.optim.Adamax, "nadam": torch.optim.NAdam, "adagrad": torch.optim.Adagrad,
           "rmsprop": torch.optim.RMSprop, "adadelta": torch.optim.Adadelta}


def _single_tensor_nadam_fixed(params, grads, exp_avgs, exp_avg_sqs, mu_products, state_steps, *,
                               beta1, beta2, lr, weight_decay, momentum_decay, eps, bug=False):
    """torch 1.13's _single_tensor_nadam, line for line, with the fix of pytorch/pytorch#92699 (torch >= 2.0):
    1.13 computes mu_product_next = mu_product * mu * mu_next after mu_product already includes mu."""
    for i, param in enumerate(params):
        grad = grads[i]
        exp_avg = exp_avgs[i]
        exp_avg_sq = exp_avg_sqs[i]
        mu_product = mu_products[i]
        step_t = state_steps[i]
        step_t += 1
        step = step_t.item()
        bias_correction2 = 1 - beta2 ** step
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        mu = beta1 * (1. - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1. - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product *= mu
        mu_product_next = mu_product * mu * mu_next if bug else mu_product * mu_next
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
        param.addcdiv_(grad, denom, value=-lr * (1. - mu) / (1. - mu_product.item()))
        param.addcdiv_(exp_avg, denom, value=-lr * mu_next / (1. - mu_product_next.item()))


def torch_kwargs(config):
    kw = {}
    for k, v in config.items():
        if k in ("beta1", "beta2"):
            continue
        kw[KEYS.get(k, k)] = v
    if "beta1" in config or "beta2" in config:
        kw["betas"] = (config.get("beta1", 0.9), config.get("beta2", 0.999))
    return kw


def run(optimizer, config):
    if optimizer != "nadam":
        return trajectory_of(optimizer, config)
    # The copy with the bug kept must reproduce Debian's torch exactly, or the copy is not faithful.
    original = NADAM._single_tensor_nadam
    buggy = trajectory_of(optimizer, config)
    try:
        NADAM._single_tensor_nadam = lambda *a, **k: _single_tensor_nadam_fixed(*a, bug=True, **k)
        assert trajectory_of(optimizer, config)["trajectory"] == buggy["trajectory"], "NAdam copy is not faithful"
        NADAM._single_tensor_nadam = _single_tensor_nadam_fixed
        fixed = trajectory_of(optimizer, config)
    finally:
        NADAM._single_tensor_nadam = original
    fixed["reference"] = ("torch 1.13 NAdam with the fix of pytorch/pytorch#92699 (as in torch >= 2.0); "
                          "Debian's 1.13 multiplies mu twice into mu_product_next")
    return fixed


def trajectory_of(optimizer, config):
    p = torch.tensor(THETA0, dtype=torch.float64, requires_grad=True)
    kw = torch_kwargs(config)
    if optimizer == "sgd" and "lr" not in kw:
        kw["lr"] = 1e-3  # torch 1.13's SGD has no default lr; nnkit uses 1e-3, torch >= 2.2's default
    opt = CLASSES[optimizer]([p], **kw)
    trajectory = []
    for _ in range(STEPS):
        with torch.no_grad():
            p.grad = torch.tensor(grad(p.tolist()), dtype=torch.float64)
        opt.step()
        trajectory.append([float(v) for v in p.detach().tolist()])
    return {"optimizer": optimizer, "config": config, "torch": {k: (list(v) if isinstance(v, tuple) else v)
                                                                  for k, v in kw.items()},
            "trajectory": trajectory}


RUNS = [
    ("sgd", {}), ("sgd", {"learningRate": 0.01}), ("sgd", {"learningRate": 0.01, "momentum": 0.9}),
    ("sgd", {"learningRate": 0.01, "momentum": 0.9, "dampening": 0.5}),
    ("sgd", {"learningRate": 0.01, "momentum": 0.9, "nesterov": True}),
    ("sgd", {"learningRate": 0.01, "weightDecay": 0.1}),
    ("sgd", {"learningRate": 0.01, "momentum": 0.5, "weightDecay": 0.1, "nesterov": True}),
    ("adam", {}), ("adam", {"learningRate": 0.01}), ("adam", {"learningRate": 0.01, "amsgrad": True}),
    ("adam", {"learningRate": 0.01, "weightDecay": 0.1}),
    ("adam", {"learningRate": 0.01, "beta1": 0.5, "beta2": 0.9, "epsilon": 1e-6}),
    ("adamw", {}), ("adamw", {"learningRate": 0.01}), ("adamw", {"learningRate": 0.01, "weightDecay": 0.1, "amsgrad": True}),
    ("adamax", {}), ("adamax", {"learningRate": 0.01}), ("adamax", {"learningRate": 0.01, "weightDecay": 0.1}),
    ("nadam", {}), ("nadam", {"learningRate": 0.01}),
    ("nadam", {"learningRate": 0.01, "weightDecay": 0.1, "momentumDecay": 0.01}),
    ("adagrad", {}), ("adagrad", {"learningRate": 0.1}), ("adagrad", {"learningRate": 0.1, "learningRateDecay": 0.01}),
    ("adagrad", {"learningRate": 0.1, "initialAccumulator": 0.5, "weightDecay": 0.1}),
    ("rmsprop", {}), ("rmsprop", {"learningRate": 0.01, "centered": True}),
    ("rmsprop", {"learningRate": 0.01, "momentum": 0.9}),
    ("rmsprop", {"learningRate": 0.01, "centered": True, "momentum": 0.5, "weightDecay": 0.1}),
    ("rmsprop", {"learningRate": 0.01, "alpha": 0.9}),
    ("adadelta", {}), ("adadelta", {"learningRate": 0.5, "rho": 0.5, "weightDecay": 0.1}),
]

json.dump({"torch_version": torch.__version__, "theta0": THETA0, "steps": STEPS,
           "runs": [run(o, c) for o, c in RUNS]}, sys.stdout, indent=1)
print()
