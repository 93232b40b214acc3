#!/usr/bin/python3
"""θ after N steps of torch.optim optimizers (not NAdam: torch 1.13 has pytorch#92699) on the optimizer contract's quadratic, for
OptimizerContract.references(): the kit's own fixture and nnkit's built-in optimizers.

Run:  /usr/bin/python3 tck_references.py

The quadratic is f(θ) = ½ Σ aᵢ(θᵢ − cᵢ)², ∇f = a ⊙ (θ − c), θ of shape [2, 3] in float64; step t
uses rates[t − 1] (set in every param group before the step, as a schedule would). Prints one Java
array per case, to paste beside the settings it names.
"""
import torch

torch.set_default_dtype(torch.float64)
A = torch.tensor([1.0, 0.5, 2.0, 0.1, 1.5, 0.8]).reshape(2, 3)
C = torch.tensor([0.3, -0.7, 1.1, 0.0, -0.2, 0.5]).reshape(2, 3)
THETA0 = [1.0, 1.0, -1.0, 0.5, 0.7, -0.4]
MIXED = [0.05] * 5 + [0.02] * 5

CASES = [
    # (name, optimizer class, its keyword arguments, rates)
    ("fixture adamw", torch.optim.AdamW, dict(weight_decay=0.1), MIXED),
    ("sgd nesterov + L2", torch.optim.SGD, dict(momentum=0.9, nesterov=True, weight_decay=0.1), MIXED),
    ("sgd dampening", torch.optim.SGD, dict(momentum=0.8, dampening=0.3), MIXED),
    ("adam + L2 amsgrad", torch.optim.Adam, dict(betas=(0.8, 0.99), weight_decay=0.1, amsgrad=True), MIXED),
    ("adamw amsgrad", torch.optim.AdamW, dict(betas=(0.8, 0.99), weight_decay=0.2, amsgrad=True), MIXED),
    ("adamax + L2", torch.optim.Adamax, dict(betas=(0.8, 0.99), weight_decay=0.1), MIXED),
    ("adagrad", torch.optim.Adagrad, dict(lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.1), MIXED),
    ("rmsprop centered momentum", torch.optim.RMSprop, dict(alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1), MIXED),
    ("adadelta", torch.optim.Adadelta, dict(rho=0.8, weight_decay=0.1), [1.0] * 5 + [0.5] * 5),
]


def run(cls, kwargs, rates):
    theta = torch.tensor(THETA0).reshape(2, 3).requires_grad_()
    opt = cls([theta], lr=rates[0], **kwargs)
    for lr in rates:
        for group in opt.param_groups:
            group["lr"] = lr
        theta.grad = A * (theta.detach() - C)
        opt.step()
    return theta.detach().flatten().tolist()


for name, cls, kwargs, rates in CASES:
    print(f"// {name}: {cls.__name__}({kwargs}), rates {rates}")
    print("{" + ", ".join(repr(v) for v in run(cls, kwargs, rates)) + "}")
