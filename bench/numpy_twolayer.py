"""The numpy program of "Learning PyTorch with Examples", timed for bench/run.mjs.

Runs the tutorial's loop (without its print) for each dtype asked, `repeats` times from the same seed,
and prints one JSON object: the loop's seconds per run, the losses of the first run (so the caller can
check they are numpy's), and which BLAS kernel ran on how many threads.

    python3 bench/numpy_twolayer.py [--gram] [repeats] [dtype ...]
    python3 bench/numpy_twolayer.py --serve

--serve keeps one Python for runs the caller asks for one at a time (bench/paired.mjs alternates them
with its own): it prints one JSON line of the versions and BLAS (then it is ready), and for each line
`<form> <dtype>` read from stdin (form direct or gram, dtype f64 or f32) one training run, answered by
one JSON line {"seconds": ..., "losses": [...]}; it exits at the end of stdin.

--gram runs the same training in its Gram form: x does not change, so with K = x·xᵀ (N×N, once) the
next pre-activation is h − lr·K·grad_h, and w1 is needed only at the end, w1₀ − xᵀ·S with S the
running sum of lr·grad_h. The losses are the program's to rounding (within 1e-9 relative on seed 0).

The thread count is OpenBLAS's (set OPENBLAS_NUM_THREADS before starting Python).
"""
import ctypes
import glob
import json
import os
import platform
import sys
import time

import numpy as np

N, D_in, H, D_out = 64, 1000, 100, 10
ITERATIONS = 500
LEARNING_RATE = 1e-6


def train(dtype):
    np.random.seed(0)
    x = np.random.randn(N, D_in).astype(dtype)
    y = np.random.randn(N, D_out).astype(dtype)
    w1 = np.random.randn(D_in, H).astype(dtype)
    w2 = np.random.randn(H, D_out).astype(dtype)
    learning_rate = dtype(LEARNING_RATE)
    losses = []
    start = time.perf_counter()
    for t in range(ITERATIONS):
        h = x.dot(w1)
        h_relu = np.maximum(h, 0)
        y_pred = h_relu.dot(w2)

        loss = np.square(y_pred - y).sum()
        losses.append(loss)

        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.T.dot(grad_y_pred)
        grad_h_relu = grad_y_pred.dot(w2.T)
        grad_h = grad_h_relu.copy()
        grad_h[h < 0] = 0
        grad_w1 = x.T.dot(grad_h)

        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2
    return time.perf_counter() - start, [float(loss) for loss in losses]


def train_gram(dtype):
    np.random.seed(0)
    x = np.random.randn(N, D_in).astype(dtype)
    y = np.random.randn(N, D_out).astype(dtype)
    w1 = np.random.randn(D_in, H).astype(dtype)
    w2 = np.random.randn(H, D_out).astype(dtype)
    learning_rate = dtype(LEARNING_RATE)
    losses = []
    start = time.perf_counter()
    K = x.dot(x.T)
    h = x.dot(w1)
    S = np.zeros((N, H), dtype=dtype)
    for t in range(ITERATIONS):
        if t > 0:
            h -= learning_rate * K.dot(grad_h)
        h_relu = np.maximum(h, 0)
        y_pred = h_relu.dot(w2)

        loss = np.square(y_pred - y).sum()
        losses.append(loss)

        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.T.dot(grad_y_pred)
        grad_h_relu = grad_y_pred.dot(w2.T)
        grad_h = grad_h_relu.copy()
        grad_h[h < 0] = 0

        S += learning_rate * grad_h
        w2 -= learning_rate * grad_w2
    w1 = w1 - x.T.dot(S)
    return time.perf_counter() - start, [float(loss) for loss in losses]


def openblas():
    """OpenBLAS's kernel name and thread count, read from the library numpy loaded (None if not found)."""
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*.so*"))
    for path in libs:
        lib = ctypes.CDLL(path)
        for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""), ("openblas", "")):
            try:
                corename = getattr(lib, f"{prefix}_get_corename{suffix}")
                threads = getattr(lib, f"{prefix}_get_num_threads{suffix}")
            except AttributeError:
                continue
            corename.restype = ctypes.c_char_p
            return {"library": os.path.basename(path), "kernel": corename().decode(), "threads": threads()}
    return None


TRAIN = {"direct": train, "gram": train_gram}
DTYPES = {"f64": np.float64, "f32": np.float32}


def versions():
    """Python's and numpy's versions and the BLAS numpy runs on."""
    return {"python": platform.python_version(), "numpy": np.__version__, "blas": openblas()}


def batch(args):
    gram = "--gram" in args
    args = [a for a in args if a != "--gram"]
    repeats = int(args[0]) if args else 5
    dtypes = args[1:] or ["f64"]
    form = "gram" if gram else "direct"
    runs = {}
    for name in dtypes:
        seconds, first = [], None
        for _ in range(repeats):
            elapsed, losses = TRAIN[form](DTYPES[name])
            seconds.append(elapsed)
            first = first or losses
        runs[name] = {"seconds": seconds, "losses": first}
    print(json.dumps({**versions(), "form": form, "runs": runs}))


def serve():
    print(json.dumps(versions()), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        form, name = line.split()
        seconds, losses = TRAIN[form](DTYPES[name])
        print(json.dumps({"seconds": seconds, "losses": losses}), flush=True)


def main():
    args = sys.argv[1:]
    if "--serve" in args:
        serve()
    else:
        batch(args)


if __name__ == "__main__":
    main()
