#!/usr/bin/python3
"""PyTorch's side of bench/compare.sh (Debian python3-torch): the same measurements and JSON keys
as nnkit's dev.nnkit.bench.SideBySide. Threads are set by the caller (see compare.sh)."""
import gzip
import json
import struct
import sys
import time

import torch
import torch.nn as nn


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = struct.unpack(">" + "i" * rank, data[4:4 + 4 * rank])
    return torch.frombuffer(bytearray(data[4 + 4 * rank:]), dtype=torch.uint8).reshape(dims)


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def mlp():
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    with torch.no_grad():
        for layer, init in ((model[0], "he"), (model[2], "he"), (model[4], "glorot")):
            if init == "he":
                nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")
            else:
                nn.init.xavier_uniform_(layer.weight)
            layer.bias.zero_()
    return model


def cnn():
    """examples/fashion-mnist-cnn.json as an nn.Sequential, initialised as nnkit does (He uniform
    convolutions and hidden layer, Glorot uniform last layer, zero biases)."""
    model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(1568, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10))
    with torch.no_grad():
        for i in (0, 4, 8):
            nn.init.kaiming_uniform_(model[i].weight, nonlinearity="relu")
            model[i].bias.zero_()
        nn.init.xavier_uniform_(model[11].weight)
        model[11].bias.zero_()
    return model


def fashion(d, epochs, seeds=3, what="fashion"):
    """As nnkit's SideBySide.fashion: one run per seed of the MLP ("fashion") or the CNN ("cnn"),
    initialised as nnkit's; median epoch time over every epoch, mean accuracy over the seeds,
    inference with the last run's model."""
    shape = (-1, 784) if what == "fashion" else (-1, 1, 28, 28)
    x = idx(f"{d}/train-images-idx3-ubyte.gz").reshape(*shape).float() / 255
    y = idx(f"{d}/train-labels-idx1-ubyte.gz").long()
    tx = idx(f"{d}/t10k-images-idx3-ubyte.gz").reshape(*shape).float() / 255
    ty = idx(f"{d}/t10k-labels-idx1-ubyte.gz").long()
    seconds, accuracies = [], []
    for seed in range(1, seeds + 1):
        torch.manual_seed(seed)
        model = mlp() if what == "fashion" else cnn()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        for _ in range(epochs):
            model.train()
            start = time.perf_counter()
            perm = torch.randperm(len(x))
            for i in range(0, len(x), 128):
                b = perm[i:i + 128]
                opt.zero_grad()
                loss_fn(model(x[b]), y[b]).backward()
                opt.step()
            seconds.append(time.perf_counter() - start)
        model.eval()
        with torch.no_grad():
            accuracies.append((model(tx).argmax(1) == ty).float().mean().item())
    # The CNN predicts in chunks of 1,024 images, as nnkit does: all 10,000 at once hold 10,000×16×28×28
    # activations and run at a tenth of the speed (measured); the MLP is fastest in one call.
    chunk = len(tx) if what == "fashion" else 1024
    predict = lambda: [torch.softmax(model(tx[i:i + chunk]), 1) for i in range(0, len(tx), chunk)]
    with torch.no_grad():
        # As SideBySide: a second of warm-up, then the median of 15 calls.
        end = time.perf_counter() + 1
        while time.perf_counter() < end:
            predict()
        inference = []
        for _ in range(15):
            s = time.perf_counter()
            predict()
            inference.append(time.perf_counter() - s)
    print(json.dumps({"what": what, "epochSeconds": median(seconds), "testAccuracy": sum(accuracies) / seeds,
                      "testAccuracies": accuracies, "inferenceImagesPerSecond": 10000 / median(inference),
                      "epochs": seconds}))


def tiny():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 4), nn.Sigmoid(), nn.Linear(4, 3), nn.Sigmoid(), nn.Linear(3, 1), nn.Sigmoid())
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    loss_fn = nn.BCELoss()
    for batch in (1, 32):
        x = torch.rand(batch, 2)
        y = torch.randint(0, 2, (batch, 1)).float()
        per = []
        for _ in range(5):
            steps = 2000
            s = time.perf_counter()
            for _ in range(steps):
                opt.zero_grad()
                loss_fn(model(x), y).backward()
                opt.step()
            per.append((time.perf_counter() - s) / steps * 1e6)
        print(json.dumps({"what": "tiny", "batch": batch, "microsecondsPerStep": median(per[1:])}))
    tiny_numpy()


def tiny_numpy():
    """The same 2-4-3-1 step written by hand in numpy (float32), as a tutorial would: forward,
    binary cross-entropy, backward, SGD. Reported as setup "numpy" next to PyTorch's."""
    import numpy as np
    rng = np.random.default_rng(0)
    sizes = (2, 4, 3, 1)
    ws = [rng.uniform(-0.5, 0.5, (o, i)).astype(np.float32) for i, o in zip(sizes, sizes[1:])]
    bs = [np.zeros(o, np.float32) for o in sizes[1:]]
    for batch in (1, 32):
        x = rng.random((batch, 2), dtype=np.float32)
        y = rng.integers(0, 2, (batch, 1)).astype(np.float32)

        def step():
            acts = [x]
            for w, b in zip(ws, bs):
                acts.append(1 / (1 + np.exp(-(acts[-1] @ w.T + b))))
            p = acts[-1]
            loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
            delta = (p - y) / batch  # BCE through the sigmoid
            for layer in range(len(ws) - 1, -1, -1):
                gw = delta.T @ acts[layer]
                gb = delta.sum(0)
                if layer > 0:
                    a = acts[layer]
                    delta = (delta @ ws[layer]) * a * (1 - a)
                ws[layer] -= 0.5 * gw
                bs[layer] -= 0.5 * gb
            return loss

        per = []
        for _ in range(5):
            steps = 2000
            s = time.perf_counter()
            for _ in range(steps):
                step()
            per.append((time.perf_counter() - s) / steps * 1e6)
        print(json.dumps({"what": "tiny-numpy", "batch": batch, "microsecondsPerStep": median(per[1:])}))


def single():
    """As SideBySide.single: one prediction (batch 1, probabilities) of the Fashion-MNIST MLP."""
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)).eval()
    x = torch.rand(1, 784)
    with torch.no_grad():
        end = time.perf_counter() + 1
        while time.perf_counter() < end:
            torch.softmax(model(x), 1)
        per = []
        for _ in range(9):
            s = time.perf_counter()
            calls = 0
            while time.perf_counter() - s < 0.1:
                torch.softmax(model(x), 1)
                calls += 1
            per.append((time.perf_counter() - s) / calls * 1e6)
    print(json.dumps({"what": "single", "microsecondsPerSample": median(per)}))


def matmul():
    for n, i, o in ((128, 784, 256), (128, 256, 128), (128, 2048, 2048), (1024, 1024, 1024), (2048, 2048, 2048)):
        x = torch.rand(n, i)
        w = torch.rand(o, i)
        b = torch.zeros(o)
        # As nnkit's side: a second of warm-up, then 9 timed rounds of at least 0.1 s each.
        end = time.perf_counter() + 1
        while time.perf_counter() < end:
            torch.addmm(b, x, w.t())
        times = []
        for _ in range(9):
            s = time.perf_counter()
            reps = 0
            while time.perf_counter() - s < 0.1:
                torch.addmm(b, x, w.t())
                reps += 1
            times.append((time.perf_counter() - s) / reps)
        print(json.dumps({"what": "matmul", "shape": f"{n}x{i}x{o}", "gflops": 2 * n * i * o / median(times) / 1e9}))


# name, hidden widths, batch, rows per epoch, dtype: the same list as SideBySide.SWEEP.
SWEEP = [("mlp-b1", (256, 128), 1, 4096, "float32"), ("mlp-b8", (256, 128), 8, 8192, "float32"),
         ("mlp-b32", (256, 128), 32, 8192, "float32"), ("mlp-b128", (256, 128), 128, 16384, "float32"),
         ("mlp-b512", (256, 128), 512, 16384, "float32"), ("mlp-b2048", (256, 128), 2048, 16384, "float32"),
         ("wide1024-b128", (1024, 1024), 128, 4096, "float32"),
         ("wide2048x3-b128", (2048, 2048, 2048), 128, 2048, "float32"),
         ("deep16-b128", (256,) * 16, 128, 8192, "float32"), ("mlp-float64-b128", (256, 128), 128, 8192, "float64")]


def sweep():
    """As SideBySide.sweep: random images and classes, Adam 1e-3, shuffled batches, four epochs;
    samples per second from the median of the last three."""
    for name, hidden, batch, rows, dtype in SWEEP:
        torch.manual_seed(1)
        dt = torch.float64 if dtype == "float64" else torch.float32
        layers, width = [], 784
        for units in hidden:
            layers += [nn.Linear(width, units), nn.ReLU()]
            width = units
        model = nn.Sequential(*layers, nn.Linear(width, 10)).to(dt)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        x = torch.rand(rows, 784, dtype=dt)
        y = torch.randint(0, 10, (rows,))
        seconds = []
        for _ in range(4):
            start = time.perf_counter()
            perm = torch.randperm(rows)
            for i in range(0, rows, batch):
                b = perm[i:i + batch]
                opt.zero_grad()
                loss_fn(model(x[b]), y[b]).backward()
                opt.step()
            seconds.append(time.perf_counter() - start)
        print(json.dumps({"what": "sweep", "case": name, "samplesPerSecond": rows / median(seconds[1:])}))


def blas():
    """Which BLAS kernels this process runs (threadpoolctl, Debian python3-threadpoolctl): the
    environment can pin OpenBLAS to older ones (OPENBLAS_CORETYPE)."""
    try:
        import numpy  # noqa: F401 (loads the OpenBLAS that threadpoolctl inspects)
        from threadpoolctl import threadpool_info
    except ImportError:
        print(json.dumps({"what": "blas", "kernel": "unknown (install python3-threadpoolctl)"}))
        return
    found = [lib for lib in threadpool_info() if lib.get("internal_api") in ("openblas", "mkl", "blis", "flexiblas")]
    for lib in found:
        print(json.dumps({"what": "blas", "kernel": f"{lib['internal_api']} {lib.get('version')} {lib.get('architecture')}",
                          "threads": lib.get("num_threads")}))
    if not found:  # Debian's libblas.so.3 alternative is then the unoptimised reference BLAS
        print(json.dumps({"what": "blas", "kernel": "reference BLAS (no OpenBLAS: install libopenblas0-pthread)"}))


if __name__ == "__main__":
    torch.set_num_threads(int(sys.argv[1]))
    if sys.argv[2] in ("matmul", "blas"):
        blas()
    {"fashion": lambda: fashion(sys.argv[3], int(sys.argv[4]), int(sys.argv[5]) if len(sys.argv) > 5 else 3),
     "cnn": lambda: fashion(sys.argv[3], int(sys.argv[4]), int(sys.argv[5]) if len(sys.argv) > 5 else 1, "cnn"),
     "tiny": tiny, "matmul": matmul, "single": single, "sweep": sweep,
     "blas": lambda: None}[sys.argv[2]]()
