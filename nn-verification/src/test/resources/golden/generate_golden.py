#!/usr/bin/python3
"""Golden values for nnkit's seed networks, computed by PyTorch (Debian's python3-torch).

Run:  /usr/bin/python3 generate_golden.py > golden.json

For each case this records the input, targets and initial parameters, then in float64 and float32:
every stage's output (z for a Linear, a for an activation), the batch loss, every parameter's
gradient, the parameters after one SGD step, after one Adam step, and after three Adam steps.
Parameter names are the nn.Sequential state_dict keys, which nnkit uses too.
A regenerated file matches the stored one to float rounding, not bit for bit (PyTorch's kernels
and threads vary), so cases added later were appended to the stored file, leaving the older ones.
"""
import json
import sys

import torch
import torch.nn as nn

torch.manual_seed(2024)


def linear(n_in, n_out, bias=True):
    return {"type": "dense", "units": n_out, "bias": bias, "_in": n_in}


def act(name, **settings):
    return {"type": name, **settings}


def uniform(*shape):
    return (torch.rand(*shape, dtype=torch.float64) * 2 - 1).tolist()


def build(stages, dtype):
    mods = []
    for s in stages:
        t = s["type"]
        if t == "dense":
            mods.append(nn.Linear(s["_in"], s["units"], bias=s["bias"]))
        elif t == "sigmoid":
            mods.append(nn.Sigmoid())
        elif t == "tanh":
            mods.append(nn.Tanh())
        elif t == "relu":
            mods.append(nn.ReLU())
        elif t == "leaky-relu":
            mods.append(nn.LeakyReLU(0.01))
        elif t == "softmax":
            mods.append(nn.Softmax(dim=1))
        elif t == "identity":
            mods.append(nn.Identity())
        elif t == "gelu":
            mods.append(nn.GELU(approximate=s.get("approximate", "none")))
        elif t == "silu":
            mods.append(nn.SiLU())
        elif t == "elu":
            mods.append(nn.ELU(alpha=s.get("alpha", 1.0)))
        elif t == "selu":
            mods.append(nn.SELU())
        elif t == "softplus":
            mods.append(nn.Softplus(beta=s.get("beta", 1), threshold=s.get("threshold", 20)))
        else:
            raise ValueError(t)
    return nn.Sequential(*mods).to(dtype)


def loss_fn(name):
    # Each matches nnkit's per-sample loss with the batch mean taken by the engine.
    if name == "mse":
        return nn.MSELoss()
    if name == "binary-cross-entropy":
        return nn.BCELoss()
    if name == "half-sse":
        # ½ Σ_j (y − ŷ)² per sample, mean over the batch.
        return lambda p, y: 0.5 * ((y - p) ** 2).sum(dim=1).mean()
    if name == "categorical-cross-entropy-logits":
        return nn.CrossEntropyLoss()  # probability (one-hot or soft) targets
    if name == "sparse-categorical-cross-entropy-logits":
        return lambda z, y: nn.CrossEntropyLoss()(z, y[:, 0].long())
    raise ValueError(name)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def run(case, dtype):
    model = build(case["stages"], dtype)
    with torch.no_grad():
        for name, p in model.state_dict().items():
            p.copy_(torch.tensor(case["params"][name], dtype=torch.float64).to(dtype))
    x = torch.tensor(case["x"], dtype=torch.float64).to(dtype)
    y = torch.tensor(case["y"], dtype=torch.float64).to(dtype)
    loss = loss_fn(case["loss"])
    initial = {k: v.clone() for k, v in model.state_dict().items()}

    outs = []
    h = x
    for m in model:
        h = m(h)
        outs.append(h.detach().tolist())
    model.zero_grad()
    value = loss(model(x), y)
    value.backward()
    grads = {n: flat(p.grad) for n, p in model.named_parameters()}

    def after(opt_factory, steps):
        model.load_state_dict(initial)
        opt = opt_factory(model.parameters())
        for _ in range(steps):
            opt.zero_grad()
            loss(model(x), y).backward()
            opt.step()
        return {n: flat(p) for n, p in model.named_parameters()}

    sgd = after(lambda ps: torch.optim.SGD(ps, lr=case["sgd_lr"]), 1)
    adam1 = after(lambda ps: torch.optim.Adam(ps, lr=case["adam_lr"]), 1)
    adam3 = after(lambda ps: torch.optim.Adam(ps, lr=case["adam_lr"]), 3)
    model.load_state_dict(initial)
    return {"stage_outputs": outs, "loss": float(value), "gradients": grads,
            "after_sgd": sgd, "after_adam_1": adam1, "after_adam_3": adam3}


def case(name, note, stages, loss, x, y, sgd_lr, adam_lr, params=None):
    n_in = stages[0]["_in"]
    if params is None:
        params = {}
        for i, s in enumerate(stages):
            if s["type"] == "dense":
                params[f"{i}.weight"] = uniform(s["units"], s["_in"])
                if s["bias"]:
                    params[f"{i}.bias"] = uniform(s["units"])
    c = {"name": name, "note": note, "inputs": n_in, "stages": stages, "loss": loss, "x": x, "y": y,
         "params": params, "sgd_lr": sgd_lr, "adam_lr": adam_lr}
    c["float64"] = run(c, torch.float64)
    c["float32"] = run(c, torch.float32)
    for s in stages:
        s.pop("_in", None)
    return c


cases = [
    case("seed000", "Seed 000: 2-4-3-1, sigmoid after every layer, binary cross-entropy (its text calls the "
         "output activation 'Softmax' but writes the sigmoid 1/(1+e^-z); the sigmoid is what a binary output needs).",
         [linear(2, 4), act("sigmoid"), linear(4, 3), act("sigmoid"), linear(3, 1), act("sigmoid")],
         "binary-cross-entropy", [[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8]], [[1.0], [0.0], [1.0]], 0.5, 0.01),
    case("seed001", "Seed 001: 4-3-4-3 without biases, f = sigmoid, n = 4 samples. The seed sums the per-output "
         "losses; nnkit's mse takes their mean (a documented 1/k scale, k = 3). Its cost formula also drops the "
         "1/n in its second form (C = 1/n sum L = sum [...]); the batch mean with 1/n is what both libraries compute.",
         [linear(4, 3, False), act("sigmoid"), linear(3, 4, False), act("sigmoid"), linear(4, 3, False), act("sigmoid")],
         "mse", [[0.1, 0.2, 0.3, 0.4], [1.0, -1.0, 0.5, 0.0], [-0.3, 0.8, -0.6, 0.9], [0.0, 0.0, 1.0, -1.0]],
         [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.2, 0.3, 0.5]], 0.5, 0.01),
    case("seed003", "Seed 003's exact network: x = (2, 3, -1), y = 1, sigmoid on both layers, C0 = (a - y)^2. "
         "The seed prints dC/dW2 = (-0.0287, -0.0572), half the true values (-0.0575, -0.1143) here, because "
         "it multiplies -0.822 x 0.242 x 0.289 as if it were half that; its SGD and Adam numbers inherit the slip "
         "Its Adam step prints W2 = (0.5003, 0.2006), b2 = 0.1021, which no Adam gives: with its own m and v and no "
         "bias correction the step would be about 0.32, and with PyTorch's bias-corrected Adam the first step "
         "moves every parameter by lr = 0.1 (W2 -> (0.6, 0.3), b2 -> 0.2).",
         [linear(3, 2), act("sigmoid"), linear(2, 1), act("sigmoid")], "mse", [[2.0, 3.0, -1.0]], [[1.0]], 0.1, 0.1,
         params={"0.weight": [[0.2, -0.5, 0.1], [-0.3, 0.4, 0.2]], "0.bias": [0.3, -0.1],
                 "2.weight": [[0.5, 0.2]], "2.bias": [0.1]}),
    case("seed004", "Seed 004: 3-3-3 sigmoid without biases, L = 1/2 sum (y - y_hat)^2 over the outputs.",
         [linear(3, 3, False), act("sigmoid"), linear(3, 3, False), act("sigmoid")], "half-sse",
         [[0.35, 0.9, -0.4]], [[0.5, 0.1, 0.9]], 0.5, 0.01),
    case("softmax-ce", "Multi-class: 4-5-3 with tanh, softmax fused into cross-entropy, one-hot targets.",
         [linear(4, 5), act("tanh"), linear(5, 3)], "categorical-cross-entropy-logits",
         [[0.2, -0.1, 0.4, 1.0], [-1.0, 0.5, 0.3, -0.2], [0.7, 0.7, -0.9, 0.1]],
         [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], 0.1, 0.01),
    case("relu-sparse-ce", "ReLU and leaky ReLU, class-index targets, 3-6-4-2 with sparse cross-entropy from logits.",
         [linear(3, 6), act("relu"), linear(6, 4), act("leaky-relu"), linear(4, 2)],
         "sparse-categorical-cross-entropy-logits",
         [[0.5, 0.1, -0.3], [-0.8, 0.9, 0.4], [1.2, -0.4, 0.6], [0.05, 0.3, -1.1]], [[1.0], [0.0], [1.0], [0.0]],
         0.1, 0.01),
]

# Seed 000's network on its first sample alone: what `nn explain` writes out (docs/explain/seed-000.md).
s0 = cases[0]
cases.append(case("seed000-sample0", "Seed 000's network and weights on its first sample alone, as nn explain shows it.",
                  [linear(2, 4), act("sigmoid"), linear(4, 3), act("sigmoid"), linear(3, 1), act("sigmoid")],
                  "binary-cross-entropy", [s0["x"][0]], [s0["y"][0]], s0["sgd_lr"], s0["adam_lr"], params=s0["params"]))

# Batches of 16 rows and more of tiny float32 networks run feature-major in nnkit when the Vector
# API is enabled (docs/performance.md): the seed 000 network at batch 32, and a ReLU network at
# batch 20, whose rows do not fill the last vector. Inputs and targets are drawn here and recorded.
def rows(n, width, scale=1.0):
    return [[round(v, 4) for v in row] for row in ((torch.rand(n, width, dtype=torch.float64) * 2 - 1) * scale).tolist()]


cases.append(case("seed000-batch32", "Seed 000's network on 32 random samples (the batch size bench/compare.sh times).",
                  [linear(2, 4), act("sigmoid"), linear(4, 3), act("sigmoid"), linear(3, 1), act("sigmoid")],
                  "binary-cross-entropy", rows(32, 2, 2.0), [[float(v)] for v in torch.randint(0, 2, (32,)).tolist()],
                  0.5, 0.01))
cases.append(case("relu-batch20", "3-6-4-2 with ReLU and leaky ReLU, mean squared error, 20 samples.",
                  [linear(3, 6), act("relu"), linear(6, 4), act("leaky-relu"), linear(4, 2)], "mse",
                  rows(20, 3, 1.5), rows(20, 2), 0.1, 0.01))

# The smooth activations of issue 18, each on both sides of 0 (inputs up to ±2.5, so
# pre-activations reach about ±4), softplus with β = 2 and threshold 3 so both its branches run.
cases.append(case("gelu-silu", "GELU (exact, erf) then SiLU: 3-6-5-2, mean squared error, 8 samples.",
                  [linear(3, 6), act("gelu"), linear(6, 5), act("silu"), linear(5, 2)], "mse",
                  rows(8, 3, 2.5), rows(8, 2), 0.1, 0.01))
cases.append(case("gelu-tanh-elu", "GELU's tanh approximation then ELU with alpha 0.7: 3-6-5-2, mean squared error.",
                  [linear(3, 6), act("gelu", approximate="tanh"), linear(6, 5), act("elu", alpha=0.7), linear(5, 2)],
                  "mse", rows(8, 3, 2.5), rows(8, 2), 0.1, 0.01))
cases.append(case("selu-softplus", "SELU then softplus (beta 2, threshold 3): 3-6-5-2, sparse cross-entropy.",
                  [linear(3, 6), act("selu"), linear(6, 5), act("softplus", beta=2, threshold=3), linear(5, 2)],
                  "sparse-categorical-cross-entropy-logits", rows(8, 3, 2.5),
                  [[float(v)] for v in torch.randint(0, 2, (8,)).tolist()], 0.1, 0.01))

json.dump({"torch_version": torch.__version__, "cases": cases}, sys.stdout, indent=1)
print()
