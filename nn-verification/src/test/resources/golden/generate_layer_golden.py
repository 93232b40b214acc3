#!/usr/bin/python3
"""Golden values for nnkit's image and training-mode layers, computed by PyTorch in float64.

Run:  /usr/bin/python3 generate_layer_golden.py > layers.json

Each case is one layer (an nnkit stage spec and the PyTorch module it equals) fed a few batches in
training mode: for each step the input x, the upstream gradient delta = dL/dy, and what PyTorch
gives: the output y, dL/dx and every parameter's gradient. Then the buffers after the last step,
and the output of the module in eval mode for one more batch. Parameters and buffers start from
the values recorded in "parameters" and "buffers" (state_dict names).
"""
import json

import torch
import torch.nn as nn

torch.manual_seed(18)
D = torch.float64


def pair(v):
    return tuple(v) if isinstance(v, list) else (v, v)


def module(stage, in_shape):
    t, s = stage["type"], stage
    if t == "conv2d":
        pad = s.get("padding", 0)
        return nn.Conv2d(in_shape[0], s["filters"], pair(s["kernel"]), stride=pair(s.get("stride", 1)),
                         padding=pad if isinstance(pad, str) else pair(pad), dilation=pair(s.get("dilation", 1)),
                         groups=s.get("groups", 1), bias=s.get("bias", True))
    if t == "max-pool2d":
        k = pair(s["kernel"])
        return nn.MaxPool2d(k, stride=pair(s.get("stride", list(k))), padding=pair(s.get("padding", 0)))
    if t == "avg-pool2d":
        k = pair(s["kernel"])
        return nn.AvgPool2d(k, stride=pair(s.get("stride", list(k))), padding=pair(s.get("padding", 0)),
                            count_include_pad=s.get("countIncludePad", True))
    if t == "global-avg-pool2d":
        return nn.AdaptiveAvgPool2d(1)
    if t == "batch-norm":
        cls = nn.BatchNorm1d if len(in_shape) == 1 else nn.BatchNorm2d
        return cls(in_shape[0], momentum=s.get("momentum", 0.1), eps=s.get("eps", 1e-5), affine=s.get("affine", True))
    if t == "dropout":
        return nn.Dropout(s.get("p", 0.5))
    raise ValueError(t)


def flat(t):
    # NaN as the string "NaN": JSON has no NaN, and Jackson reads the string back as one.
    return [v if v == v else "NaN" for v in t.detach().reshape(-1).tolist()]


def case(name, stage, in_shape, batch=2, steps=1, integers=False, train=True, nans=()):
    m = module(stage, in_shape).to(D)
    with torch.no_grad():  # non-trivial affine parameters and running statistics
        for n, b in m.named_buffers():
            if n == "running_mean":
                b.copy_(torch.randn(b.shape, dtype=D) * 0.3)
            elif n == "running_var":
                b.copy_(torch.rand(b.shape, dtype=D) + 0.5)
        for n, p in m.named_parameters():
            if stage["type"] == "batch-norm":
                p.copy_(torch.randn(p.shape, dtype=D) * 0.5 + (1 if n == "weight" else 0))
    out = {"name": name, "stage": stage, "inputShape": in_shape,
           "parameters": {n: flat(p) for n, p in m.named_parameters()},
           "buffers": {n: [float(v) for v in flat(b)] for n, b in m.named_buffers()}, "steps": []}

    def batch_input():
        x = torch.randn(batch, *in_shape, dtype=D)
        x = torch.round(x * 2) if integers else x  # integers: many ties for max pooling
        x.view(-1)[list(nans)] = float("nan")
        return x

    if train:
        m.train()
        for _ in range(steps):
            x = batch_input().requires_grad_(True)
            y = m(x)
            delta = torch.randn(y.shape, dtype=D)
            m.zero_grad()
            y.backward(delta)
            out["steps"].append({"x": flat(x), "delta": flat(delta), "y": flat(y), "dx": flat(x.grad),
                                 "gradients": {n: flat(p.grad) for n, p in m.named_parameters()}})
        out["buffersAfter"] = {n: [float(v) for v in flat(b)] for n, b in m.named_buffers()}
    m.eval()
    x = batch_input()
    with torch.no_grad():
        out["eval"] = {"x": flat(x), "y": flat(m(x))}
    return out


cases = [
    case("conv2d 3x3", {"type": "conv2d", "filters": 3, "kernel": 3}, [2, 6, 5]),
    case("conv2d stride 2, padding 1, no bias", {"type": "conv2d", "filters": 4, "kernel": 3, "stride": 2,
                                                 "padding": 1, "bias": False}, [3, 7, 6], batch=3),
    case("conv2d 2x3 kernel, stride [1,2], padding [1,0], dilation [2,1]",
         {"type": "conv2d", "filters": 2, "kernel": [2, 3], "stride": [1, 2], "padding": [1, 0],
          "dilation": [2, 1]}, [2, 6, 7]),
    case("conv2d groups 2, padding same", {"type": "conv2d", "filters": 6, "kernel": 3, "groups": 2,
                                           "padding": "same"}, [4, 5, 5]),
    case("conv2d even kernel, dilation 2, padding same (asymmetric)",
         {"type": "conv2d", "filters": 2, "kernel": 4, "dilation": 2, "padding": "same"}, [1, 9, 8]),
    case("conv2d depthwise (groups = channels), stride 2", {"type": "conv2d", "filters": 3, "kernel": 2,
                                                            "groups": 3, "stride": 2}, [3, 6, 6]),
    case("max-pool2d 2x2", {"type": "max-pool2d", "kernel": 2}, [2, 6, 6]),
    case("max-pool2d 3x3, stride 2, padding 1", {"type": "max-pool2d", "kernel": 3, "stride": 2, "padding": 1},
         [2, 7, 6]),
    case("max-pool2d [2,3], stride [1,2]", {"type": "max-pool2d", "kernel": [2, 3], "stride": [1, 2]}, [1, 5, 8]),
    case("max-pool2d with ties", {"type": "max-pool2d", "kernel": 3, "stride": 1}, [2, 5, 5], integers=True),
    case("avg-pool2d 2x2", {"type": "avg-pool2d", "kernel": 2}, [2, 6, 6]),
    case("avg-pool2d 3x3, stride 2, padding 1", {"type": "avg-pool2d", "kernel": 3, "stride": 2, "padding": 1},
         [2, 7, 6]),
    case("avg-pool2d padding 1, padding not counted",
         {"type": "avg-pool2d", "kernel": [3, 2], "stride": [2, 1], "padding": 1, "countIncludePad": False},
         [2, 6, 5]),
    case("global-avg-pool2d", {"type": "global-avg-pool2d"}, [3, 4, 5], batch=3),
    case("batch-norm over features, 3 steps", {"type": "batch-norm"}, [5], batch=4, steps=3),
    case("batch-norm over channels, momentum 0.3, eps 1e-3, 3 steps",
         {"type": "batch-norm", "momentum": 0.3, "eps": 1e-3}, [3, 4, 4], batch=2, steps=3),
    case("batch-norm without affine", {"type": "batch-norm", "affine": False}, [2, 3, 3], batch=3, steps=2),
    case("batch-norm, batch of 2 features", {"type": "batch-norm", "momentum": 1.0}, [3], batch=2, steps=2),
    case("dropout p = 0 in training", {"type": "dropout", "p": 0.0}, [2, 3, 3]),
    case("dropout p = 0.5 in inference", {"type": "dropout", "p": 0.5}, [6], batch=3, train=False),
    # Appended later (the cases above keep their random draws):
    case("max-pool2d 2x2 with ties", {"type": "max-pool2d", "kernel": 2}, [2, 4, 6], integers=True),
    case("max-pool2d with NaN (two in one window: the last wins)", {"type": "max-pool2d", "kernel": 2},
         [1, 4, 4], nans=(0, 5, 10, 18)),
    case("max-pool2d 3x3 with NaN", {"type": "max-pool2d", "kernel": 3, "stride": 1, "padding": 1}, [1, 4, 4],
         nans=(5, 6, 20)),
    # The direct float32 convolution's blocks: 9 filters and 9 channels (a block of 8 and one more,
    # both ways), a batch of 5 (weight-gradient blocks of 4 and a short one), dilation with padding.
    case("conv2d 9 channels to 9 filters, padding 1, batch 5", {"type": "conv2d", "filters": 9, "kernel": 3,
                                                                "padding": 1}, [9, 5, 6], batch=5),
    case("conv2d 9 to 10 filters, dilation 2, padding 2, batch 5",
         {"type": "conv2d", "filters": 10, "kernel": 3, "dilation": 2, "padding": 2}, [9, 6, 5], batch=5),
    # 2x2 pooling's own loop on odd sizes: the last row and column belong to no window (their δ is 0).
    case("max-pool2d 2x2 on 5x7, ties", {"type": "max-pool2d", "kernel": 2}, [2, 5, 7], batch=3, integers=True),
    # Batch norm's float32 sums run in vectors of 16 and 32 values: 81 pixels per run is both plus a tail.
    case("batch-norm over channels, 9x9 images, 2 steps", {"type": "batch-norm"}, [2, 9, 9], batch=3, steps=2),
    # 2x2 pooling in vectors of 16 columns (a last one overlapping), an odd last row, ties, NaN windows.
    case("max-pool2d 2x2 on 5x36, ties", {"type": "max-pool2d", "kernel": 2}, [2, 5, 36], batch=2, integers=True),
    case("max-pool2d 2x2 on 4x32 with NaN", {"type": "max-pool2d", "kernel": 2}, [1, 4, 32], nans=(3, 34, 40, 41, 70)),
    # Rows wider than a vector of 16 copied out of the padded planes, the last vector overlapping.
    case("conv2d on 3x20 images, padding 1, batch 3", {"type": "conv2d", "filters": 3, "kernel": 3, "padding": 1},
         [2, 3, 20], batch=3),
]
# One case per line: small, and a changed case shows as one changed line.
print('{"torch": %s, "cases": [\n%s\n]}' % (json.dumps(torch.__version__),
                                          ",\n".join(json.dumps(c, separators=(",", ":")) for c in cases)))
