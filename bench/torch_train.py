#!/usr/bin/python3
"""PyTorch doing what `./nn train --config examples/fashion-mnist.json --out DIR` does, as one
script, for bench/whole-command.sh: read the gzipped IDX files, scale pixels by 1/255, train the
784-256-128-10 MLP (He uniform, Glorot uniform for the last layer, zero biases) with Adam 1e-3 in
shuffled batches of 128 for 5 epochs; after each epoch the training accuracy on the first 10,000
examples and the validation (test set) loss and accuracy, one JSON line each in DIR/metrics.jsonl;
at the end the loss and accuracy on the whole training and validation sets, and the weights saved
(state_dict) in DIR. Usage: torch_train.py THREADS DATA_DIR OUT_DIR [EPOCHS]."""
import json
import os
import sys
import time

import torch
import torch.nn as nn

from torch_bench import idx


def accuracy(model, x, y):
    return (model(x).argmax(1) == y).float().mean().item()


def main():
    torch.set_num_threads(int(sys.argv[1]))
    d, out = sys.argv[2], sys.argv[3]
    epochs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    os.makedirs(out, exist_ok=True)
    x = idx(f"{d}/train-images-idx3-ubyte.gz").reshape(-1, 784).float() / 255
    y = idx(f"{d}/train-labels-idx1-ubyte.gz").long()
    vx = idx(f"{d}/t10k-images-idx3-ubyte.gz").reshape(-1, 784).float() / 255
    vy = idx(f"{d}/t10k-labels-idx1-ubyte.gz").long()
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    with torch.no_grad():
        nn.init.kaiming_uniform_(model[0].weight, nonlinearity="relu")
        nn.init.kaiming_uniform_(model[2].weight, nonlinearity="relu")
        nn.init.xavier_uniform_(model[4].weight)
        for layer in (model[0], model[2], model[4]):
            layer.bias.zero_()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    with open(f"{out}/metrics.jsonl", "w") as metrics:
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            total = 0.0
            perm = torch.randperm(len(x))
            for i in range(0, len(x), 128):
                b = perm[i:i + 128]
                opt.zero_grad()
                loss = loss_fn(model(x[b]), y[b])
                loss.backward()
                opt.step()
                total += loss.item() * len(b)
            with torch.no_grad():
                line = {"epoch": epoch, "trainLoss": total / len(x), "trainAccuracy": accuracy(model, x[:10000], y[:10000]),
                        "validationLoss": loss_fn(model(vx), vy).item(), "validationAccuracy": accuracy(model, vx, vy),
                        "seconds": time.perf_counter() - start}
            metrics.write(json.dumps(line) + "\n")
            print(f"epoch {epoch}/{epochs}  loss {line['trainLoss']:.6f}", file=sys.stderr)
    with torch.no_grad():
        for name, (fx, fy) in (("train", (x, y)), ("validation", (vx, vy))):
            print(f"{name:10} loss {loss_fn(model(fx), fy).item():.6f}  accuracy {100 * accuracy(model, fx, fy):.2f}%")
    torch.save(model.state_dict(), f"{out}/model.pt")


if __name__ == "__main__":
    main()
