"""Makes the file fixtures of test/files*.test.ts with numpy and the safetensors package, and checks
what our writers wrote.

    python3 scripts/make-file-fixtures.py            # writes test/fixtures/files/{npy,npz,safetensors,csv}/ and expected.json,
                                                     # and test/fixtures/files/weights/ with weights.json
    python3 scripts/make-file-fixtures.py --check-ours   # reads test/fixtures/files/ours/ and saved/ (what our
                                                     # writers and net.saveWeights wrote) with numpy and safetensors

Needs numpy and safetensors (pip install safetensors). The tests never run this: they read the
committed files and expected.json, which holds every array's dtype, shape and exact bytes (hex of the
row-major little-endian float64, or float32 for float32 files, that our reader must return) or the
words an error message must contain.
"""
import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import safetensors
from safetensors.numpy import load_file, save_file

ROOT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "files"
expected = {}


def out_hex(a):
    """What our reader returns for array a: float32 stays float32, everything else becomes float64, row-major."""
    a = np.asarray(a)
    kind = "f4" if a.dtype.kind == "f" and a.dtype.itemsize == 4 else "f8"
    return {"type": kind, "shape": list(a.shape), "hex": np.ascontiguousarray(a, dtype="<" + kind).tobytes().hex()}


def write(rel, data, arrays=None, error=None):
    path = ROOT / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    expected[rel] = {"error": error} if error is not None else {"arrays": {k: out_hex(v) for k, v in arrays.items()}}


def npy(a, version=None, allow_pickle=False):
    b = io.BytesIO()
    if version is None:
        np.save(b, a, allow_pickle=allow_pickle)
    else:
        np.lib.format.write_array(b, a, version=version, allow_pickle=allow_pickle)
    return b.getvalue()


def savez(compressed=False, *args, **kwargs):
    b = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(b, *args, **kwargs)
    return b.getvalue()


def longdouble_one():
    return np.zeros(1, dtype=np.longdouble)  # zeros: the padding bytes of x86's 80-bit format are then 0, not garbage


def make():
    specials = np.array([0.0, -0.0, 1.5, -2.25, 1e-310, 1.7976931348623157e308, np.inf, -np.inf,
                         np.nan, np.pi, 1 / 3, 5e-324]).reshape(3, 4)
    write("npy/f8.npy", npy(specials), {"arr_0": specials})
    with np.errstate(over="ignore"):
        f4 = specials.astype(np.float32)  # the largest double becomes inf
    write("npy/f4.npy", npy(f4), {"arr_0": f4})
    write("npy/f8-be.npy", npy(specials.astype(">f8")), {"arr_0": specials})
    write("npy/f4-be.npy", npy(f4.astype(">f4")), {"arr_0": f4})
    m = np.arange(12.0).reshape(3, 4) * 1.5 - 4
    write("npy/f8-fortran.npy", npy(m.T), {"arr_0": m.T})  # np.save(x.T) writes fortran_order: True
    cube = np.asfortranarray((np.arange(24, dtype=np.float32) * 0.25).reshape(2, 3, 4))
    write("npy/f4-fortran-3d.npy", npy(cube), {"arr_0": cube})
    col = np.asfortranarray(np.arange(5.0).reshape(5, 1))
    write("npy/f8-fortran-column.npy", npy(col), {"arr_0": col})
    write("npy/f8-v2.npy", npy(m, version=(2, 0)), {"arr_0": m})
    write("npy/f8-v3.npy", npy(m, version=(3, 0)), {"arr_0": m})
    for name, a in {"scalar": np.array(2.5), "empty": np.zeros(0), "empty-2d": np.zeros((0, 3)),
                    "1d": np.linspace(-1, 1, 7), "3d": np.arange(24.0).reshape(2, 3, 4) / 7,
                    "long-axis": np.zeros((1234567, 0))}.items():  # a 7-digit first axis: less growth padding
        write(f"npy/f8-{name}.npy", npy(a), {"arr_0": a})
    write("npy/f4-1d.npy", npy(np.linspace(-1, 1, 7, dtype=np.float32)), {"arr_0": np.linspace(-1, 1, 7, dtype=np.float32)})

    ints = {
        "i1": [-128, -1, 0, 1, 127], "u1": [0, 1, 200, 255],
        "i2": [-32768, -1, 0, 300, 32767], "u2": [0, 1, 40000, 65535],
        "i4": [-2**31, -1, 0, 70000, 2**31 - 1], "u4": [0, 1, 3_000_000_000, 2**32 - 1],
        # int64/uint64 values a double holds exactly, up to the extremes
        "i8": [-2**63, -2**53, -1, 0, 2**53, 2**62, 2**63 - 1024], "u8": [0, 1, 2**53, 2**63, 2**64 - 2048],
    }
    for code, values in ints.items():
        for order in "<>":
            a = np.array(values, dtype=order + code if code[1] != "1" else code)
            suffix = "" if order == "<" else "-be"
            if code[1] == "1" and order == ">":
                continue
            write(f"npy/{code}{suffix}.npy", npy(a), {"arr_0": a.astype(np.float64)})
    write("npy/i8-2d.npy", npy(np.arange(-6, 6, dtype=np.int64).reshape(3, 4).T), {"arr_0": np.arange(-6, 6).reshape(3, 4).T.astype(np.float64)})
    write("npy/b1.npy", npy(np.array([[True, False, True], [False, False, True]])), {"arr_0": np.array([[1.0, 0, 1], [0, 0, 1]])})
    write("npy/i8-inexact.npy", npy(np.array([1, 2**53 + 1], dtype=np.int64)), error=["int64 element 1 is 9007199254740993"])
    write("npy/u8-inexact.npy", npy(np.array([2**64 - 1], dtype=np.uint64)), error=["uint64 element 0 is 18446744073709551615"])

    unsupported = {
        "c16": (np.array([1 + 2j]), "'<c16' (complex)"),
        "c8": (np.array([1 + 2j], dtype=np.complex64), "'<c8' (complex)"),
        "f2": (np.array([1.5], dtype=np.float16), "'<f2' (float16)"),
        "U3": (np.array(["abc"]), "'<U3' (unicode strings)"),
        "S3": (np.array([b"abc"]), "'|S3' (byte strings)"),
        "M8": (np.array(["2024-01-01"], dtype="datetime64[D]"), "datetime64"),
        "structured": (np.zeros(2, dtype=[("a", "<f8"), ("b", "<i4")]), "structured dtype"),
        "object": (np.array([{"a": 1}], dtype=object), "'|O' (Python objects"),
        "longdouble": (longdouble_one(), "long double"),
    }
    for name, (a, words) in unsupported.items():
        if name == "longdouble" and a.dtype.itemsize <= 8:
            continue  # a platform whose long double is a double
        write(f"npy/unsupported-{name}.npy", npy(a, allow_pickle=True), error=[words])

    x = np.round(np.sin(np.arange(12.0)).reshape(3, 4), 6)
    y = np.cos(np.arange(6.0, dtype=np.float32)).reshape(3, 2)
    write("npz/savez.npz", savez(False, x=x, y=y), {"x": x, "y": y})
    big = np.concatenate([np.round(np.random.RandomState(1).standard_normal(400), 2), np.zeros(600)]).reshape(25, 40)
    write("npz/savez-compressed.npz", savez(True, x=big, y=y, n=np.arange(7, dtype=np.int32)),
          {"x": big, "y": y, "n": np.arange(7.0)})
    write("npz/savez-positional.npz", savez(False, x, y), {"arr_0": x, "arr_1": y})
    write("npz/savez-fortran-be.npz", savez(True, a=m.T.astype(">f8"), b=np.array([True, False])), {"a": m.T, "b": np.array([1.0, 0.0])})
    write("npz/savez-empty.npz", savez(False), {})
    w1 = np.round(np.random.RandomState(2).standard_normal((5, 4)), 4)
    w2 = np.round(np.random.RandomState(3).standard_normal((4, 3)), 4)
    write("npz/weights.npz", savez(False, w1=w1, w2=w2), {"w1": w1, "w2": w2})
    write("npz/unsupported-member.npz", savez(False, z=np.array([1j])), error=['npz member "z.npy"', "'<c16' (complex)"])

    def st(tensors, metadata=None):
        path = ROOT / "st.tmp"
        save_file(tensors, str(path), metadata=metadata)
        data = path.read_bytes()
        path.unlink()
        return data
    write("safetensors/f64.safetensors", st({"w1": w1, "w2": w2}), {"w1": w1, "w2": w2})
    write("safetensors/f32.safetensors", st({"w1": w1.astype(np.float32), "w2": w2.astype(np.float32)}),
          {"w1": w1.astype(np.float32), "w2": w2.astype(np.float32)})
    write("safetensors/mixed.safetensors", st({"b": w2.astype(np.float32), "a": x, "s": np.array(3.5), "e": np.zeros((0, 2))}),
          {"a": x, "b": w2.astype(np.float32), "s": np.array(3.5), "e": np.zeros((0, 2))})
    write("safetensors/metadata.safetensors", st({"w1": w1}, metadata={"format": "np"}), {"w1": w1})
    st_ints = {"i8": np.array([-2**63, 2**53], dtype=np.int64), "i4": np.array([-5, 7], dtype=np.int32),
               "i2": np.array([-300], dtype=np.int16), "i1": np.array([-1, 2], dtype=np.int8),
               "u1": np.array([255], dtype=np.uint8), "u2": np.array([65535], dtype=np.uint16),
               "u4": np.array([2**32 - 1], dtype=np.uint32), "u8": np.array([2**64 - 2048], dtype=np.uint64),
               "bool": np.array([True, False])}
    write("safetensors/ints.safetensors", st(st_ints), {k: v.astype(np.float64) for k, v in st_ints.items()})
    write("safetensors/unsupported-f16.safetensors", st({"h": np.array([1.5], dtype=np.float16)}), error=['"F16" is not one we read'])

    np.savetxt(ROOT / "csv.tmp", x, delimiter=",")
    write("csv/savetxt.csv", (ROOT / "csv.tmp").read_bytes(), {"csv": x})
    np.savetxt(ROOT / "csv.tmp", x, delimiter=",", header="a,b,c,d")
    write("csv/savetxt-header.csv", (ROOT / "csv.tmp").read_bytes(), {"csv": x})
    (ROOT / "csv.tmp").unlink()
    names = "x1,x2,x3\r\n1,2.5,-3e-05\r\nnan,inf,-inf\r\n0.1, 7 ,1e+16\r\n\r\n"
    write("csv/names-crlf.csv", names.encode(), {"csv": np.array([[1, 2.5, -3e-05], [np.nan, np.inf, -np.inf], [0.1, 7, 1e16]])})

    rs = np.random.RandomState(4)
    f32 = np.concatenate([np.array([0.1, 1e-5, 1e16, 3.4028235e38, 1e-45, 1.17549435e-38, 16777216, 0.3], dtype=np.float32),
                          rs.standard_normal(300).astype(np.float32) * np.float32(10.0) ** rs.randint(-8, 9, 300).astype(np.float32)])
    cases = [[int(v.view(np.uint32)), str(v)] for v in f32 if np.isfinite(v)]
    (ROOT / "float32-str.json").write_text(json.dumps({"numpy": np.__version__, "cases": cases}) + "\n")

    meta = {"numpy": np.__version__, "safetensors": safetensors.__version__, "files": expected}
    (ROOT / "expected.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(expected)} fixtures to {ROOT}")
    make_weights(st)


def tutorial(iterations=500, seed=0, n=64, d_in=1000, hidden=100, d_out=10, lr=1e-6):
    """The numpy program of the tutorial (as scripts/make-fixtures.py runs it): its data, trained
    weights, and the loss of one more forward pass after the last update."""
    np.random.seed(seed)
    x = np.random.randn(n, d_in)
    y = np.random.randn(n, d_out)
    w1 = np.random.randn(d_in, hidden)
    w2 = np.random.randn(hidden, d_out)
    for _ in range(iterations):
        h = x.dot(w1)
        h_relu = np.maximum(h, 0)
        y_pred = h_relu.dot(w2)
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.T.dot(grad_y_pred)
        grad_h = grad_y_pred.dot(w2.T)
        grad_h[h < 0] = 0
        grad_w1 = x.T.dot(grad_h)
        w1 -= lr * grad_w1
        w2 -= lr * grad_w2
    loss = float(np.square(np.maximum(x.dot(w1), 0).dot(w2) - y).sum())
    return x, w1, w2, loss


def make_weights(st):
    """Weights files for test/weights*.test.ts: numpy's trained tutorial network, predictions numpy
    made with it (np.maximum(x @ w1, 0) @ w2), float64 weights and their astype(np.float32), and
    the bad files create({ weights }) must refuse, with the words its message must contain (and
    the dtype of the network that refuses it, where only one does)."""
    out = ROOT / "weights"
    out.mkdir(parents=True, exist_ok=True)
    spec = {}

    def put(name, data, **facts):
        (out / name).write_bytes(data)
        spec[name] = facts

    x, w1, w2, loss = tutorial()
    put("trained.npz", savez(False, w1=w1, w2=w2), loss_after=loss, sizes=[1000, 100, 10])
    put("trained-f32.safetensors", st({"w1": w1.astype(np.float32), "w2": w2.astype(np.float32)}), sizes=[1000, 100, 10])
    x_new = np.random.RandomState(7).randn(9, 1000)
    put("trained-predict.npz", savez(False, x=x_new, y_pred=np.maximum(x_new @ w1, 0) @ w2))
    # Odd sizes (primes, SIMD tails), compressed, for predict on a small network.
    rs = np.random.RandomState(8)
    o1, o2, ox = rs.randn(37, 13), rs.randn(13, 5), rs.randn(11, 37)
    put("odd.npz", savez(True, w1=o1, w2=o2), sizes=[37, 13, 5])
    put("odd-predict.npz", savez(False, x=ox, y_pred=np.maximum(ox @ o1, 0) @ o2))
    # float64 weights an f32 network rounds: ties to even, float32's subnormals and its largest value.
    f32 = np.float32
    ties = np.array([1 + 2**-24, 1 + 3 * 2**-24, -(1 + 2**-24), 2**-149 * 0.5, 2**-149 * 1.5, 2**-149 * 0.49,
                     float(np.finfo(f32).max) * (1 + 2**-25), 0.1, 1 / 3, -0.0, 1e-50, 16777217.0,
                     2.0**-126 * (1 - 2**-24), np.pi, -np.e, 3.4e38])
    a1, a2 = ties.reshape(4, 4), np.array([[0.1], [0.2], [0.3], [1 + 2**-24]])
    put("astype.npz", savez(False, w1=a1, w2=a2), sizes=[4, 4, 1])
    put("astype-f32.npz", savez(False, w1=a1.astype(f32), w2=a2.astype(f32)), sizes=[4, 4, 1])
    # What PyTorch's weights become in numpy: w1 = weight.T (Fortran order), and a big-endian w2.
    put("fortran-be.npz", savez(True, w1=o1.T.copy().T, w2=o2.astype(">f8")), sizes=[37, 13, 5])

    small1, small2 = np.round(rs.randn(3, 2), 3), np.round(rs.randn(2, 2), 3)
    bad = {
        "no-w2.npz": (savez(False, w1=small1), ['has no array "w2"', "it holds w1"]),
        "unchained.npz": (savez(True, w1=np.zeros((1000, 100)), w2=np.zeros((50, 10))), ["w1 is 1000×100 and w2 is 50×10"]),
        "int.npz": (savez(False, w1=np.arange(6).reshape(3, 2), w2=small2), ['npz member "w1.npy"', "int64 values"]),
        "int8.safetensors": (st({"w1": np.ones((3, 2), dtype=np.int8), "w2": small2}), ['safetensors tensor "w1"', "int8 values"]),
        "nan.npz": (savez(False, w1=np.where(np.arange(6).reshape(3, 2) == 3, np.nan, small1), w2=small2), ['npz member "w1.npy"', "w1[1, 1] is NaN", "allowNonFinite"]),
        "inf.safetensors": (st({"w1": small1, "w2": np.array([[1.0, -np.inf], [0.5, 2.0]])}), ['safetensors tensor "w2"', "w2[0, 1] is -Infinity"]),
        "w2-1d.npz": (savez(False, w1=small1, w2=np.ones(2)), ['npz member "w2.npy"', "w2 has shape (2,) but must be 2-D"]),
        "w1-3d.safetensors": (st({"w1": np.ones((3, 2, 1)), "w2": small2}), ['safetensors tensor "w1"', "w1 has shape (3, 2, 1)"]),
        "empty-w1.npz": (savez(False, w1=np.zeros((0, 2)), w2=small2), ["w1 has shape (0, 2)", "at least 1"]),
        "extra.npz": (savez(False, w1=small1, w2=small2, b1=np.zeros(2)), ['"b1" besides w1 and w2']),
        "torch-names.safetensors": (st({"0.weight": small1.T.copy(), "2.weight": small2.T.copy()}), ['has no array "w1"', "0.weight, 2.weight"]),
        "f16.safetensors": (st({"w1": small1.astype(np.float16), "w2": small2}), ['"F16" is not one we read']),
        "complex.npz": (savez(False, w1=small1 + 1j, w2=small2), ["'<c16' (complex)"]),
        "beyond-f32.npz": (savez(False, w1=np.where(np.arange(6).reshape(3, 2) == 5, 1e39, small1), w2=small2), ["w1[2, 1] is 1e+39, beyond float32's range"], "f32"),
        "one.npy": (npy(small1), ["an .npy file, which holds one array"]),
    }
    for name, (data, words, *dtype) in bad.items():
        put(name, data, error=words, **({"dtype": dtype[0]} if dtype else {}))  # the network's dtype, when it matters
    meta = {"numpy": np.__version__, "safetensors": safetensors.__version__, "files": spec}
    (out / "weights.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(spec)} weights fixtures to {out}")
    make_cli(st, o1, o2)


def make_cli(st, w1, w2):
    """Files for test/cli-files.test.ts: data as numpy writes it (.npy, Fortran order, float32, CSV
    with np.savetxt, .npz, .safetensors), and what numpy computes from it: 20 SGD steps of the
    tutorial's program from the weights odd.npz holds (every loss, and the weights after), and
    np.maximum(x @ w1, 0) @ w2 with those weights."""
    out = ROOT / "cli"
    out.mkdir(parents=True, exist_ok=True)
    rs = np.random.RandomState(12)
    x, y = rs.randn(12, 37), rs.randn(12, 5)
    (out / "x.npy").write_bytes(npy(x))
    (out / "y.npy").write_bytes(npy(y))
    (out / "x-fortran.npy").write_bytes(npy(np.asfortranarray(x)))
    (out / "x-f32.npy").write_bytes(npy(x.astype(np.float32)))
    (out / "x-1d.npy").write_bytes(npy(x[0]))
    np.savetxt(out / "y.csv", y, delimiter=",", header="a,b,c,d,e", comments="")
    (out / "data.npz").write_bytes(savez(True, x=x, y=y))
    (out / "data.safetensors").write_bytes(st({"x": x, "y": y}))
    lr, iterations = 1e-4, 20
    a, b, losses = w1.copy(), w2.copy(), []
    for _ in range(iterations):
        h = x.dot(a)
        h_relu = np.maximum(h, 0)
        y_pred = h_relu.dot(b)
        losses.append(float(np.square(y_pred - y).sum()))
        grad_y_pred = 2.0 * (y_pred - y)
        grad_b = h_relu.T.dot(grad_y_pred)
        grad_h = grad_y_pred.dot(b.T)
        grad_h[h < 0] = 0
        grad_a = x.T.dot(grad_h)
        a -= lr * grad_a
        b -= lr * grad_b
    (out / "trained.npz").write_bytes(savez(False, w1=a, w2=b))
    (out / "predict.npy").write_bytes(npy(np.maximum(x @ w1, 0) @ w2))
    facts = {"numpy": np.__version__, "lr": lr, "iterations": iterations, "losses": losses,
             "made": "x.npy, y.npy (12×37, 12×5); predict.npy from ../weights/odd.npz; trained.npz after the losses"}
    (out / "cli.json").write_text(json.dumps(facts, indent=1) + "\n")
    print(f"wrote the command line's fixtures to {out}")


def check_ours():
    failures = sum(check_dir(ROOT / d) for d in ("ours", "saved"))
    sys.exit(1 if failures else 0)


def check_dir(ours):
    spec = json.loads((ours / "expected.json").read_text())
    failures = 0
    for rel, arrays in sorted(spec.items()):
        path = ours / rel
        if rel.endswith(".npy"):
            got = {"arr_0": np.load(path)}
        elif rel.endswith(".npz"):
            with np.load(path) as z:
                got = {k: z[k] for k in z.files}
            # Each member is the very file np.save writes for its array.
            with zipfile.ZipFile(path) as zf:
                for member in zf.namelist():
                    raw = zf.read(member)
                    b = io.BytesIO()
                    np.save(b, np.load(io.BytesIO(raw)))
                    if b.getvalue() != raw:
                        failures += 1
                        print(f"MISMATCH {rel} {member}: not the bytes np.save writes")
        elif rel.endswith(".safetensors"):
            got = load_file(str(path))
        else:
            got = {"csv": np.loadtxt(path, delimiter=",", ndmin=2)}
        for name, want in arrays.items():
            a = got.get(name)
            # CSV: numpy reads float64; our float32 values must read back to the same float32.
            ok = a is not None and list(a.shape) == want["shape"]
            if ok and rel.endswith(".csv") and want["type"] == "f4":
                a = a.astype(np.float32)
            ok = ok and a.dtype == np.dtype("<" + want["type"]) and a.tobytes().hex() == want["hex"]
            if not ok:
                failures += 1
                print(f"MISMATCH {rel} {name}: got {None if a is None else (a.dtype, a.shape)}")
        extra = set(got) - set(arrays)
        if extra:
            failures += 1
            print(f"MISMATCH {rel}: unexpected arrays {sorted(extra)}")
    print(f"numpy {np.__version__}, safetensors {safetensors.__version__}: checked {len(spec)} files we wrote in {ours.name}/, {failures} mismatches")
    return failures


if __name__ == "__main__":
    check_ours() if "--check-ours" in sys.argv else make()
