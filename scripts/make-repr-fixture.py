"""Writes test/fixtures/python-repr.json: doubles and Python's repr of each, for the float formatter's test.

Run with python3 (any 3.x): python3 scripts/make-repr-fixture.py
"""
import json
import math
import random
import struct
from pathlib import Path

random.seed(2024)
values = [0.0, -0.0, 1.0, -1.0, 2.0, 0.1, 0.5, 1.5, 100.0, 123456789.0, 26365524.19345431,
          6.947019049596736e-05, 1e-4, 1e-5, 9.999999999999999e-05, 0.0001, 0.00011, 1e15, 1e16,
          9999999999999998.0, 1.2345e16, 1e22, 1e-300, 5e-324, 2.2250738585072014e-308,
          1.7976931348623157e308, math.pi, -math.e, 1 / 3, 2 / 3, 1e21, 1e-7, 123.456, 0.3]
for _ in range(300):
    # random doubles over the whole exponent range, bit patterns included
    bits = random.getrandbits(64)
    x = struct.unpack("<d", struct.pack("<Q", bits))[0]
    if math.isfinite(x):
        values.append(x)
for _ in range(200):
    values.append(random.uniform(-1, 1) * 10 ** random.randint(-8, 18))
for _ in range(50):
    values.append(float(random.randint(-10**17, 10**17)))

cases = [[struct.unpack("<Q", struct.pack("<d", v))[0].to_bytes(8, "big").hex(), repr(v)] for v in values]
out = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "python-repr.json"
out.write_text(json.dumps({"python": __import__("sys").version.split()[0], "cases": cases}) + "\n")
print(f"wrote {len(cases)} cases to {out}")
