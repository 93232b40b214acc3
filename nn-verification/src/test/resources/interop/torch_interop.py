#!/usr/bin/python3
"""nnkit model directories <-> PyTorch nn.Sequential, with Debian's python3-torch.

  torch_interop.py check MODEL_DIR INPUTS_JSON OUT_JSON
      Builds the nn.Sequential that MODEL_DIR/model.json describes, loads MODEL_DIR/model.safetensors
      into it (state_dict keys = nnkit tensor names), and writes its predictions for the inputs
      (normalizer and prediction activation applied as nnkit does) to OUT_JSON.

  torch_interop.py make-cnn OUT_DIR
      The same for a PyTorch CNN (conv, batch norm with running statistics and an I64
      num_batches_tracked, pooling, flatten, linear) on 1x8x8 images, its batch norm trained a few
      steps so the running statistics are not the initial ones.

  torch_interop.py make OUT_DIR
      Trains nothing: builds a seeded PyTorch 3-5-4-3 network, writes it as an nnkit model directory
      (model.json + model.safetensors written here, not by nnkit) with inputs.json and the PyTorch
      predictions.json, so nnkit can prove it loads PyTorch-written weights.

Debian's torch has no safetensors package, so the format is read and written here directly
(8-byte little-endian header length, JSON header, raw little-endian data).
"""
import json
import math
import struct
import sys

import torch
import torch.nn as nn

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}
NAMES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[b:end]), dtype=DTYPES[e["dtype"]]).reshape(e["shape"])
        out[name] = t.clone()
    return out


def write_safetensors(path, tensors):
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        b = t.contiguous().numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        chunks.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(chunks))


def activation(name):
    return {"identity": nn.Identity(), "sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(), "relu": nn.ReLU(),
            "softmax": nn.Softmax(dim=1)}[name]


class FlatLinear(nn.Linear):
    """nnkit's dense stage after images: nn.Flatten then nn.Linear in one module, so the
    state_dict indices stay the nnkit stage indices (a separate Flatten would shift them)."""

    def forward(self, x):
        return super().forward(x.reshape(x.shape[0], -1))


def pair(v):
    return tuple(v) if isinstance(v, list) else (v, v)


def layer(s, shape):
    """The PyTorch module of an nnkit stage that receives per-sample `shape`."""
    t = s["type"]
    if t == "dense":
        cls = nn.Linear if len(shape) == 1 else FlatLinear
        return cls(math.prod(shape), s["units"], bias=s["bias"])
    if t == "flatten":
        return nn.Flatten()
    if t == "conv2d":
        pad = s["padding"]
        return nn.Conv2d(shape[0], s["filters"], pair(s["kernel"]), stride=pair(s["stride"]),
                         padding=pad if isinstance(pad, str) else pair(pad), dilation=pair(s["dilation"]),
                         groups=s["groups"], bias=s["bias"])
    if t == "max-pool2d":
        return nn.MaxPool2d(pair(s["kernel"]), stride=pair(s["stride"]), padding=pair(s["padding"]))
    if t == "avg-pool2d":
        return nn.AvgPool2d(pair(s["kernel"]), stride=pair(s["stride"]), padding=pair(s["padding"]),
                            count_include_pad=s["countIncludePad"])
    if t == "global-avg-pool2d":
        return nn.AdaptiveAvgPool2d(1)
    if t == "batch-norm":
        cls = nn.BatchNorm1d if len(shape) == 1 else nn.BatchNorm2d
        return cls(shape[0], momentum=s["momentum"], eps=s["eps"], affine=s["affine"])
    if t == "dropout":
        return nn.Dropout(s["p"])
    if t == "leaky-relu":
        return nn.LeakyReLU(s["negativeSlope"])
    if t == "gelu":
        return nn.GELU(approximate=s.get("approximate", "none"))
    if t == "elu":
        return nn.ELU(alpha=s.get("alpha", 1.0))
    if t == "softplus":
        return nn.Softplus(beta=s.get("beta", 1.0), threshold=s.get("threshold", 20.0))
    if t in ("silu", "selu"):
        return {"silu": nn.SiLU(), "selu": nn.SELU()}[t]
    return activation(t)


def input_shape(net):
    # Format 2 gives the per-sample shape; format 1 gave the width.
    return list(net["inputShape"]) if "inputShape" in net else [net["inputs"]]


def build(desc):
    net = desc["network"]
    dtype = {"float32": torch.float32, "float64": torch.float64}[net["dtype"]]
    shape = input_shape(net)
    mods = []
    for s in net["stages"]:
        m = layer(s, shape).to(dtype).eval()
        with torch.no_grad():  # the next stage's input shape, from a probe sample
            shape = list(m(torch.zeros(1, *shape, dtype=dtype)).shape[1:])
        mods.append(m)
    return nn.Sequential(*mods).to(dtype), dtype


def check(model_dir, inputs_json, out_json):
    desc = json.load(open(f"{model_dir}/model.json"))
    model, dtype = build(desc)
    model.load_state_dict(read_safetensors(f"{model_dir}/model.safetensors"), strict=True)
    model.eval()
    x = torch.tensor(json.load(open(inputs_json)), dtype=torch.float64)
    x = x.reshape(x.shape[0], -1)
    if "normalizer" in desc:
        x = (x - torch.tensor(desc["normalizer"]["shift"], dtype=torch.float64)) / torch.tensor(
            desc["normalizer"]["scale"], dtype=torch.float64)
    x = x.reshape(x.shape[0], *input_shape(desc["network"]))
    with torch.no_grad():
        y = activation(desc["predictionActivation"])(model(x.to(dtype)))
    json.dump(y.double().tolist(), open(out_json, "w"))


def make(out_dir):
    import os
    torch.manual_seed(5)
    model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3))
    os.makedirs(out_dir, exist_ok=True)
    write_safetensors(f"{out_dir}/model.safetensors", model.state_dict())
    dense = lambda n: {"type": "dense", "units": n, "bias": True, "weightInit": "glorot-uniform"}
    desc = {"format": "nnkit-model", "formatVersion": 1,
            "network": {"inputs": 3, "dtype": "float32", "stages": [dense(5), {"type": "tanh"}, dense(4),
                                                                      {"type": "relu"}, dense(3)]},
            "loss": {"type": "categorical-cross-entropy-logits"}, "predictionActivation": "softmax",
            "labels": {"features": ["a", "b", "c"], "target": "y", "classes": ["p", "q", "r"]},
            "provenance": {"producer": "PyTorch " + torch.__version__ + " via torch_interop.py"}}
    json.dump(desc, open(f"{out_dir}/model.json", "w"), indent=1)
    x = torch.linspace(-2, 2, 24, dtype=torch.float32).reshape(8, 3)
    with torch.no_grad():
        y = torch.softmax(model(x), dim=1)
    json.dump(x.double().tolist(), open(f"{out_dir}/inputs.json", "w"))
    json.dump(y.double().tolist(), open(f"{out_dir}/predictions.json", "w"))


def make_cnn(out_dir):
    import os
    torch.manual_seed(18)
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4, momentum=0.2), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(4, 6, 3, groups=2, bias=False), nn.Tanh(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(6, 5), nn.BatchNorm1d(5), nn.Dropout(0.25), nn.Linear(5, 3))
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(4):  # a few steps: running statistics and weights away from their initial values
        opt.zero_grad()
        model(torch.randn(16, 1, 8, 8) + 0.5).pow(2).mean().backward()
        opt.step()
    model.eval()
    os.makedirs(out_dir, exist_ok=True)
    write_safetensors(f"{out_dir}/model.safetensors", model.state_dict())
    stages = [{"type": "conv2d", "filters": 4, "kernel": [3, 3], "stride": [1, 1], "padding": [1, 1],
               "dilation": [1, 1], "groups": 1, "bias": True, "weightInit": "he-uniform"},
              {"type": "batch-norm", "momentum": 0.2, "eps": 1e-5, "affine": True}, {"type": "relu"},
              {"type": "max-pool2d", "kernel": [2, 2], "stride": [2, 2], "padding": [0, 0]},
              {"type": "conv2d", "filters": 6, "kernel": [3, 3], "stride": [1, 1], "padding": [0, 0],
               "dilation": [1, 1], "groups": 2, "bias": False, "weightInit": "he-uniform"}, {"type": "tanh"},
              {"type": "global-avg-pool2d"}, {"type": "flatten"},
              {"type": "dense", "units": 5, "bias": True, "weightInit": "glorot-uniform"},
              {"type": "batch-norm", "momentum": 0.1, "eps": 1e-5, "affine": True}, {"type": "dropout", "p": 0.25},
              {"type": "dense", "units": 3, "bias": True, "weightInit": "glorot-uniform"}]
    desc = {"format": "nnkit-model", "formatVersion": 2,
            "network": {"inputShape": [1, 8, 8], "dtype": "float32", "stages": stages},
            "loss": {"type": "sparse-categorical-cross-entropy-logits"}, "predictionActivation": "softmax",
            "labels": {"features": ["p%d" % i for i in range(64)], "target": "y", "classes": ["p", "q", "r"]},
            "provenance": {"producer": "PyTorch " + torch.__version__ + " via torch_interop.py make-cnn"}}
    json.dump(desc, open(f"{out_dir}/model.json", "w"), indent=1)
    x = torch.randn(6, 1, 8, 8)
    with torch.no_grad():
        y = torch.softmax(model(x), dim=1)
    json.dump(x.reshape(6, -1).double().tolist(), open(f"{out_dir}/inputs.json", "w"))
    json.dump(y.double().tolist(), open(f"{out_dir}/predictions.json", "w"))


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(*sys.argv[2:5])
    elif sys.argv[1] == "make":
        make(sys.argv[2])
    elif sys.argv[1] == "make-cnn":
        make_cnn(sys.argv[2])
    else:
        sys.exit("usage: torch_interop.py check MODEL_DIR INPUTS_JSON OUT_JSON | make OUT_DIR | make-cnn OUT_DIR")
