#!/usr/bin/env python3
"""Writes the numpy reference fixtures in test/fixtures/ (run once by developers; tests never need Python).

    python3 scripts/make-fixtures.py

- randn.json:  numpy's legacy RandomState (np.random.seed + np.random.randn) for several seeds and
               call-count sequences (odd counts carry the cached second gauss across calls), plus the
               tutorial's four seed-0 arrays summarised by shape, first/last values and SHA-256.
- losses.json: the tutorial's two-layer numpy training loop, every loss, for several configs.

Floats are written with Python's repr (json does this), which round-trips every double exactly.
"""
import hashlib
import json
import os
import platform

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "fixtures")

SEEDS = [0, 1, 7, 123456789, 4294967295]
COUNTS = [1, 3, 2, 7, 64]


def randn_fixture():
    sequences = []
    for seed in SEEDS:
        np.random.seed(seed)
        calls = []
        for count in COUNTS:
            values = np.random.randn(count)
            calls.append({"count": count, "values": [float(v) for v in values]})
        sequences.append({"seed": seed, "calls": calls})

    np.random.seed(0)
    arrays = []
    for name, shape in [("x", (64, 1000)), ("y", (64, 10)), ("w1", (1000, 100)), ("w2", (100, 10))]:
        a = np.random.randn(*shape)
        flat = a.ravel()
        arrays.append(
            {
                "name": name,
                "shape": list(shape),
                "first": [float(v) for v in flat[:5]],
                "last": [float(v) for v in flat[-5:]],
                "sha256": hashlib.sha256(a.astype("<f8").tobytes()).hexdigest(),
            }
        )
    assert arrays[0]["first"][:3] == [1.764052345967664, 0.4001572083672233, 0.9787379841057392], arrays[0]["first"]

    return {
        "numpyVersion": np.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "description": "np.random.seed(seed) then np.random.randn(count) for each count in order; "
        "tutorial: np.random.seed(0); x=randn(64,1000); y=randn(64,10); w1=randn(1000,100); w2=randn(100,10); "
        "sha256 of a.astype('<f8').tobytes()",
        "sequences": sequences,
        "tutorial": {"seed": 0, "arrays": arrays},
    }


def train(n, dIn, hidden, dOut, iterations, learningRate, seed):
    """The numpy program of PyTorch's 'Learning PyTorch with Examples' (warm-up: numpy)."""
    np.random.seed(seed)
    x = np.random.randn(n, dIn)
    y = np.random.randn(n, dOut)
    w1 = np.random.randn(dIn, hidden)
    w2 = np.random.randn(hidden, dOut)
    lr = learningRate
    losses = []
    for _ in range(iterations):
        h = x.dot(w1)
        h_relu = np.maximum(h, 0)
        y_pred = h_relu.dot(w2)
        loss = np.square(y_pred - y).sum()
        losses.append(float(loss))
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.T.dot(grad_y_pred)
        grad_h_relu = grad_y_pred.dot(w2.T)
        grad_h = grad_h_relu.copy()
        grad_h[h < 0] = 0
        grad_w1 = x.T.dot(grad_h)
        w1 -= lr * grad_w1
        w2 -= lr * grad_w2
    return losses


CONFIGS = [
    {"n": 64, "dIn": 1000, "hidden": 100, "dOut": 10, "iterations": 500, "learningRate": 1e-6, "seed": 0},
    {"n": 64, "dIn": 1000, "hidden": 100, "dOut": 10, "iterations": 500, "learningRate": 1e-6, "seed": 1},
    {"n": 1, "dIn": 1, "hidden": 1, "dOut": 1, "iterations": 20, "learningRate": 1e-2, "seed": 3},
    {"n": 3, "dIn": 5, "hidden": 7, "dOut": 2, "iterations": 50, "learningRate": 1e-3, "seed": 11},
    {"n": 17, "dIn": 33, "hidden": 9, "dOut": 5, "iterations": 100, "learningRate": 1e-4, "seed": 2024},
]


def blas_info():
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return f'{blas.get("name")} {blas.get("version")} ({blas.get("openblas configuration", "")})'
    except Exception:  # older numpy: no mode="dicts"
        return "unknown"


def losses_fixture():
    runs = []
    for config in CONFIGS:
        runs.append({"config": config, "losses": train(**config)})
    # The matrix products go through numpy's BLAS (OpenBLAS picks a kernel per CPU), so the losses
    # depend on the machine in the last bits: seed 0's are checked to 1e-9 relative, not exactly.
    first = runs[0]["losses"]
    for t, expected in [(0, 26365524.19345431), (499, 6.947019049596736e-05)]:
        assert abs(first[t] - expected) <= 1e-9 * abs(expected), (t, first[t], expected)
    return {
        "numpyVersion": np.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "description": "numpy float64 training loop of 'Learning PyTorch with Examples'; losses[t] is the loss "
        "computed at iteration t, before that iteration's weight update",
        "blas": blas_info(),
        "runs": runs,
    }


def write(name, data):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print("wrote", os.path.relpath(path))


if __name__ == "__main__":
    write("randn.json", randn_fixture())
    write("losses.json", losses_fixture())
