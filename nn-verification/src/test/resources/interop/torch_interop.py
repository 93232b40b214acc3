#!/usr/bin/python3
"""nnkit model directories <-> PyTorch nn.Sequential, with Debian's python3-torch.

  torch_interop.py check MODEL_DIR INPUTS_JSON OUT_JSON
      Builds the nn.Sequential that MODEL_DIR/model.json describes, loads MODEL_DIR/model.safetensors
      into it (state_dict keys = nnkit tensor names), and writes its predictions for the inputs
      (normalizer and prediction activation applied as nnkit does) to OUT_JSON.

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

DTYPES = {"F32": torch.float32, "F64": torch.float64}
NAMES = {torch.float32: "F32", torch.float64: "F64"}


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


def build(desc):
    dtype = {"float32": torch.float32, "float64": torch.float64}[desc["network"]["dtype"]]
    # Format 2 gives the per-sample shape; a dense first stage takes its values flattened, as the
    # batch x.reshape(n, -1) gives them. Format 1 gave the width.
    net = desc["network"]
    width = math.prod(net["inputShape"]) if "inputShape" in net else net["inputs"]
    mods = []
    for s in desc["network"]["stages"]:
        if s["type"] == "dense":
            mods.append(nn.Linear(width, s["units"], bias=s["bias"]))
            width = s["units"]
        elif s["type"] == "flatten":
            mods.append(nn.Flatten())
        elif s["type"] == "leaky-relu":
            mods.append(nn.LeakyReLU(s["negativeSlope"]))
        elif s["type"] == "gelu":
            mods.append(nn.GELU(approximate=s.get("approximate", "none")))
        elif s["type"] == "elu":
            mods.append(nn.ELU(alpha=s.get("alpha", 1.0)))
        elif s["type"] == "softplus":
            mods.append(nn.Softplus(beta=s.get("beta", 1.0), threshold=s.get("threshold", 20.0)))
        elif s["type"] in ("silu", "selu"):
            mods.append({"silu": nn.SiLU(), "selu": nn.SELU()}[s["type"]])
        else:
            mods.append(activation(s["type"]))
    return nn.Sequential(*mods).to(dtype), dtype


def check(model_dir, inputs_json, out_json):
    desc = json.load(open(f"{model_dir}/model.json"))
    model, dtype = build(desc)
    model.load_state_dict(read_safetensors(f"{model_dir}/model.safetensors"), strict=True)
    x = torch.tensor(json.load(open(inputs_json)), dtype=torch.float64)
    x = x.reshape(x.shape[0], -1)
    if "normalizer" in desc:
        x = (x - torch.tensor(desc["normalizer"]["shift"], dtype=torch.float64)) / torch.tensor(
            desc["normalizer"]["scale"], dtype=torch.float64)
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


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(*sys.argv[2:5])
    elif sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        sys.exit("usage: torch_interop.py check MODEL_DIR INPUTS_JSON OUT_JSON | make OUT_DIR")
